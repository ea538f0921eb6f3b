// The address policy where it matters most: at the connection. A follower's
// actor document decides where our deliveries go, and an inbox request decides
// which JSON-LD contexts a parser would load. Every instance here runs the
// production code; KOMINN_ALLOW_HOSTS names exactly the host:port pairs of the
// instances and the peer, so the canaries (other loopback ports) stand for
// internal services that are not allowed.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listDeliveryFailures } from "../../db/delivery-state.ts";
import { freePort, type TestInstance } from "../helpers/instance.ts";
import { eventually, follow, publish, remoteProjects, startMunicipality } from "./helpers.ts";
import { startCanary, startTestPeer, type Canary, type TestPeer } from "./network-peer.ts";

const as = "https://www.w3.org/ns/activitystreams";

describe("outgoing requests pass the address policy at the connection", () => {
  let a: TestInstance; // publishes; followed by the peer and by b
  let b: TestInstance; // a legitimate follower
  let peer: TestPeer;
  let canary4: Canary;
  let canary6: Canary;
  let peerHost: string;

  beforeAll(async () => {
    [peer, canary4, canary6] = await Promise.all([startTestPeer(), startCanary("127.0.0.1"), startCanary("::1")]);
    peerHost = `127.0.0.1:${peer.port}`;
    const [pa, pb] = [await freePort(), await freePort()];
    const env = { KOMINN_ALLOW_HOSTS: `127.0.0.1:${pa},127.0.0.1:${pb},${peerHost}` };
    [a, b] = await Promise.all([
      startMunicipality("fredrikstad", { port: pa, env }),
      startMunicipality("sarpsborg", { port: pb, env }),
    ]);
  }, 90_000);

  afterAll(async () => {
    await Promise.all([a?.close(), b?.close(), peer?.close(), canary4?.close(), canary6?.close()]);
  });

  it("a follower whose inbox and shared inbox are on loopback ports not allowed receives nothing; a legitimate follower does", async () => {
    peer.actorOverrides(peerHost, {
      inbox: `http://127.0.0.1:${canary4.port}/inbox`,
      endpoints: { sharedInbox: `http://[::1]:${canary6.port}/inbox` },
    });
    const followed = await peer.follow(peerHost, a);
    expect(followed.status).toBeLessThan(300);
    await follow(b, a);

    const project = await publish(a, { title: "Sensorer i kommunale bygg" });
    await eventually(async () => (await remoteProjects(b)).some((p) => p.url === project.url));
    // The Accept (to the inbox) and the Create (to the shared inbox) were tried and refused before connecting.
    await eventually(async () => {
      const hosts = (await listDeliveryFailures(a.ctx.db)).map((f) => f.host);
      return hosts.includes(`127.0.0.1:${canary4.port}`) && hosts.includes(`[::1]:${canary6.port}`);
    });
    expect(canary4.connections()).toBe(0);
    expect(canary6.connections()).toBe(0);
  });

  it("names this instance's origin in the User-Agent of what it sends", async () => {
    const seen = peer.userAgents.filter((ua) => ua !== "");
    expect(seen.length).toBeGreaterThan(0);
    for (const ua of seen) expect(ua).toContain(a.url);
  });

  it("an unsigned inbox POST naming 10 unknown @context URLs makes no outgoing request and gets a 4xx", async () => {
    // The contexts are on an allowed host and would load: only the loader's rule keeps them from being fetched.
    for (let i = 0; i < 10; i++) peer.serve(`/context/${i}`, { "@context": {} });
    const before = peer.requests.length;
    const response = await fetch(`${a.url}/inbox`, {
      method: "POST",
      headers: { "content-type": "application/activity+json" },
      body: JSON.stringify({
        "@context": [as, ...Array.from({ length: 10 }, (_, i) => `http://${peerHost}/context/${i}`)],
        id: `http://${peerHost}/creates/1`,
        type: "Create",
        actor: peer.actorUrl(peerHost),
        object: `http://${peerHost}/notes/1`,
      }),
    });
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expect(peer.requests.slice(before)).toEqual([]);
  });

  it("a signed inbox POST with an unknown @context is refused with a 4xx before any context is fetched", async () => {
    const before = peer.requests.length;
    const response = await peer.post(peerHost, `${a.url}/inbox`, {
      "@context": [as, `http://${peerHost}/context/0`],
      id: `http://${peerHost}/creates/2`,
      type: "Create",
      actor: peer.actorUrl(peerHost),
      object: `http://${peerHost}/notes/2`,
    });
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expect(peer.requests.slice(before).filter((r) => r.includes("/context/"))).toEqual([]);
  });

  it("more than ten @context entries, or one that cannot be loaded, get a 4xx, never a 500", async () => {
    // Preloaded contexts that do not clash, one more than jsonld's limit of ten remote contexts per document.
    const known = [
      as,
      "https://w3id.org/security/v1",
      "https://w3id.org/security/data-integrity/v1",
      "https://www.w3.org/ns/did/v1",
      "https://w3id.org/security/multikey/v1",
      "https://w3id.org/identity/v1",
      "https://purl.archive.org/socialweb/webfinger",
      "http://schema.org/",
      "https://gotosocial.org/ns",
      "https://w3id.org/fep/5711",
      "https://www.w3.org/ns/cid/v1",
      "https://w3id.org/fep/ef61",
    ];
    const unknown = Array.from({ length: 11 }, (_, i) => `http://${peerHost}/eleven/${i}`);
    const unreachable = [as, "http://127.0.0.1:1/context"];
    // A Linked Data signature takes Fedify down another path (compaction first).
    const ldSigned = { signature: { type: "RsaSignature2017", creator: `http://${peerHost}/actor#main-key`, created: "2026-01-01T00:00:00Z", signatureValue: "AAAA" } };
    const before = peer.requests.length;
    const cases: [string[], object][] = [[known, {}], [unknown, {}], [unreachable, {}], [unknown.slice(0, 1), ldSigned]];
    for (const [i, [contexts, extra]] of cases.entries()) {
      const response = await fetch(`${a.url}/inbox`, {
        method: "POST",
        headers: { "content-type": "application/activity+json" },
        body: JSON.stringify({ "@context": contexts, id: `http://${peerHost}/creates/1${i}`, type: "Create", actor: peer.actorUrl(peerHost), object: `http://${peerHost}/notes/1${i}`, ...extra }),
      });
      expect(response.status, contexts.join(" ")).toBeGreaterThanOrEqual(400);
      expect(response.status, contexts.join(" ")).toBeLessThan(500);
    }
    expect(peer.requests.slice(before)).toEqual([]);
  });
});
