// DNS rebinding: a name answers 127.0.0.1 first (allowed: the test names
// 127.0.0.1:<peer port> in KOMINN_ALLOW_HOSTS, a peer listens there) and
// 127.0.0.2 after (not allowed: a canary listens there on the same port).
// Each path must connect to the address it checked, so whatever the name
// answers later, the canary is never reached. Names are resolved by a DNS
// server of the test's own (KOMINN_DNS_SERVERS), so no lookup leaves the machine.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, type TestInstance } from "../helpers/instance.ts";
import { startTestDns, type TestDns } from "./dns-server.ts";
import { api, eventually, publish, startMunicipality } from "./helpers.ts";
import { startCanary, startTestPeer, type Canary, type TestPeer } from "./network-peer.ts";

describe("a name that rebinds to an address not allowed never reaches it", () => {
  let dns: TestDns;
  let peer: TestPeer;
  let canary: Canary;
  let x: TestInstance;

  beforeAll(async () => {
    dns = await startTestDns();
    peer = await startTestPeer({ address: "127.0.0.1" });
    canary = await startCanary("127.0.0.2", peer.port);
    const port = await freePort();
    x = await startMunicipality("fredrikstad", {
      port,
      env: { KOMINN_ALLOW_HOSTS: `127.0.0.1:${port},127.0.0.1:${peer.port}`, KOMINN_DNS_SERVERS: dns.server },
    });
  }, 90_000);

  afterAll(async () => {
    await Promise.all([x?.close(), peer?.close(), canary?.close(), dns?.close()]);
  });

  /** A fresh name on the peer's port: the first `legit` A answers are 127.0.0.1, then 127.0.0.2. */
  const rebinding = (label: string, legit = 1) => {
    const name = `${label}.rebind.test`;
    dns.answer(name, [...Array.from({ length: legit }, () => "127.0.0.1"), "127.0.0.2"]);
    return `${name}:${peer.port}`;
  };
  const lookups = (host: string) => dns.queries.filter((q) => q.type === "A" && q.name === host.split(":")[0]).length;

  it("follow by actor URL", async () => {
    const host = rebinding("follow");
    const r = await api(x, "POST", "/api/v1/follows", { target: peer.actorUrl(host) });
    expect(r.status).toBe(201);
    expect(peer.requests).toContain(`GET ${host}/actor`);
    // The Follow's delivery needs a new connection: the name now answers 127.0.0.2.
    await eventually(async () => lookups(host) >= 2);
    expect(canary.connections()).toBe(0);
  });

  it("WebFinger lookup", async () => {
    const host = rebinding("webfinger", 2);
    await api(x, "POST", "/api/v1/follows", { target: `@kommune@${host}` });
    expect(peer.requests).toContain(`GET ${host}/.well-known/webfinger`);
    await eventually(async () => lookups(host) >= 3);
    expect(canary.connections()).toBe(0);
  });

  it("imitation of a remote project", async () => {
    const host = rebinding("imitation");
    const local = await publish(x, { title: "Felles innkjøp av el-sykler" });
    const article = await (await fetch(local.url, { headers: { accept: "application/activity+json" } })).text();
    const path = new URL(local.url).pathname;
    peer.serve(path, JSON.parse(article.replaceAll(x.url, `http://${host}`)));
    const r = await api(x, "POST", "/api/v1/imitations", { original: `http://${host}${path}` });
    expect(r.status).toBeGreaterThanOrEqual(400);
    expect(r.status).toBeLessThan(500);
    expect(peer.requests).toContain(`GET ${host}${path}`);
    // Reading the project's actor needs a second connection, which the rebound name would send to the canary.
    await eventually(async () => lookups(host) >= 2);
    expect(canary.connections()).toBe(0);
  });

  it("delivery to a follower", async () => {
    const host = `delivery.rebind.test:${peer.port}`;
    dns.answer("delivery.rebind.test", ["127.0.0.1"]);
    const followed = await peer.follow(host, x);
    expect(followed.status).toBeLessThan(300);
    await eventually(async () => peer.received.some((a) => a.type === "Accept"));
    // Now the name rebinds: one more good answer, then the canary's address.
    dns.answer("delivery.rebind.test", ["127.0.0.1", "127.0.0.2"]);
    const before = lookups(host);
    const project = await publish(x, { title: "Digital nøkkel til kommunale bygg" });
    await eventually(async () => peer.received.some((a) => a.type === "Create" && (a.object?.id ?? a.object) === project.url));
    expect(lookups(host)).toBeGreaterThan(before);
    expect(canary.connections()).toBe(0);
  });
});
