import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateCryptoKeyPair, signRequest } from "@fedify/fedify";
import { Temporal } from "@js-temporal/polyfill";
import { drivers } from "../helpers/databases.ts";
import type { TestInstance } from "../helpers/instance.ts";
import { actorKeyPairs } from "../../federation/keys.ts";
import { fetchAndStoreProject, RefusedError } from "../../federation/remote-projects.ts";
import { getMunicipalityByActorUrl } from "../../db/municipalities.ts";
import { api, eventually, follow, publish, remoteProjects, startMunicipality } from "./helpers.ts";

async function post(inbox: string, activity: unknown, sign?: { key: CryptoKey; keyId: string; at?: Date }) {
  const body = typeof activity === "string" ? activity : JSON.stringify(activity);
  let request = new Request(inbox, { method: "POST", headers: { "content-type": "application/activity+json" }, body });
  if (sign) {
    request = await signRequest(request, sign.key, new URL(sign.keyId), {
      spec: "draft-cavage-http-signatures-12",
      ...(sign.at ? { currentTime: Temporal.Instant.fromEpochMilliseconds(sign.at.getTime()) as never } : {}),
    });
  }
  const response = await fetch(request);
  return { status: response.status, text: await response.text() };
}

const createOf = (actor: string, object: string, id = `${actor}#create-${Math.random()}`) => ({
  "@context": "https://www.w3.org/ns/activitystreams",
  id,
  type: "Create",
  actor,
  object,
  to: "https://www.w3.org/ns/activitystreams#Public",
});

describe.each(drivers)("inbound activities are verified before anything is stored (%s)", (driver) => {
  let a: TestInstance; // publishes
  let b: TestInstance; // follows a and c, receives
  let c: TestInstance; // a followed peer that tries to speak for a
  let project: any;
  let inbox: string;

  beforeAll(async () => {
    [a, b, c] = await Promise.all([
      startMunicipality("fredrikstad", { driver }),
      startMunicipality("sarpsborg", { driver }),
      startMunicipality("hvaler", { driver }),
    ]);
    project = await publish(a, { title: "Lånebil for hjemmetjenesten" });
    await follow(b, a);
    await follow(b, c);
    await eventually(async () => (await remoteProjects(b)).length === 1);
    inbox = `${b.url}/inbox`;
  }, 90_000);

  afterAll(async () => {
    await Promise.all([a?.close(), b?.close(), c?.close()]);
  });

  const newProjectUrl = () => `${a.url}/prosjekter/ny-${Math.random().toString(36).slice(2)}`;

  it("refuses an unsigned activity with 401", async () => {
    const r = await post(inbox, createOf(a.municipality!.actorUrl, project.url));
    expect(r.status).toBe(401);
  });

  it("refuses a forged signature (someone else's key under the municipality's key id) with 401", async () => {
    const forged = await generateCryptoKeyPair("RSASSA-PKCS1-v1_5");
    const r = await post(inbox, createOf(a.municipality!.actorUrl, project.url), {
      key: forged.privateKey,
      keyId: `${a.municipality!.actorUrl}#main-key`,
    });
    expect(r.status).toBe(401);
  });

  it("refuses a stale signature (two hours old) with 401", async () => {
    const [rsa] = await actorKeyPairs(a.ctx.db);
    const r = await post(inbox, createOf(a.municipality!.actorUrl, project.url), {
      key: rsa.privateKey,
      keyId: `${a.municipality!.actorUrl}#main-key`,
      at: new Date(Date.now() - 2 * 60 * 60 * 1000),
    });
    expect(r.status).toBe(401);
  });

  it("refuses a correctly signed peer that speaks for another municipality's project", async () => {
    const [rsa] = await actorKeyPairs(c.ctx.db);
    const signer = { key: rsa.privateKey, keyId: `${c.municipality!.actorUrl}#main-key` };
    const del = await post(
      inbox,
      { ...createOf(c.municipality!.actorUrl, project.url), type: "Delete", object: { type: "Tombstone", id: project.url } },
      signer,
    );
    expect(del.status).toBe(202); // taken in, then refused: nothing changes
    expect((await remoteProjects(b)).map((p) => p.url)).toContain(project.url);
    // The same check guards Create and Update: Hvaler cannot make Sarpsborg store Fredrikstad's project.
    const hvaler = await getMunicipalityByActorUrl(b.ctx.db, c.municipality!.actorUrl);
    await expect(fetchAndStoreProject(b.ctx, hvaler!, new URL(project.url))).rejects.toThrow(RefusedError);
  });

  it("takes a signed activity at its municipality's own inbox; another name, or a malformed one, is refused, never a 500", async () => {
    const [rsa] = await actorKeyPairs(a.ctx.db);
    const signer = { key: rsa.privateKey, keyId: `${a.municipality!.actorUrl}#main-key` };
    const create = () => createOf(a.municipality!.actorUrl, project.url);
    expect((await post(`${b.municipality!.actorUrl}/inbox`, create(), signer)).status).toBe(202);
    for (const path of ["/kommune/ukjent/inbox", "/kommune/%E0%A4%A/inbox"]) {
      const { status } = await post(`${b.url}${path}`, create(), signer);
      expect([400, 403, 404], `${path}: ${status}`).toContain(status);
    }
  });

  it("answers an oversized body with 413 and malformed JSON with 400", async () => {
    const big = JSON.stringify({ ...createOf(a.municipality!.actorUrl, newProjectUrl()), padding: "x".repeat(300_000) });
    expect((await post(inbox, big)).status).toBe(413);
    expect((await post(inbox, "{ikke json")).status).toBe(400);
    expect((await post(inbox, "[1,2,3]")).status).toBe(400);
    const [rsa] = await actorKeyPairs(a.ctx.db);
    const signer = { key: rsa.privateKey, keyId: `${a.municipality!.actorUrl}#main-key` };
    const badLd = await post(inbox, { "@context": 42, id: "urn:x", type: "Create", actor: a.municipality!.actorUrl }, signer);
    expect(badLd.status).toBe(400);
    expect((await remoteProjects(b)).map((p) => p.url)).toEqual([project.url]);
  });

  it("blocks a domain: its followers go, our follow there goes, and its activities are refused", async () => {
    const host = new URL(a.url).host;
    // a follows b, so b has a follower on a's domain.
    await follow(a, b);
    const followersBefore = await (await fetch(`${b.municipality!.actorUrl}/followers`, { headers: { accept: "application/activity+json" } })).json();
    expect(followersBefore.totalItems).toBe(1);
    const result = await b.federation.domainBlocks.block(host, "test");
    expect(result).toEqual({ added: true, followersRemoved: 1 });
    expect((await api(b, "GET", "/api/v1/follows")).json.items.map((f: any) => f.actorUrl)).toEqual([c.municipality!.actorUrl]);
    expect(await remoteProjects(b)).toEqual([]);

    const [rsa] = await actorKeyPairs(a.ctx.db);
    const fresh = await publish(a, { title: "Etter blokkeringen" });
    await post(inbox, createOf(a.municipality!.actorUrl, fresh.url), { key: rsa.privateKey, keyId: `${a.municipality!.actorUrl}#main-key` });
    expect(await remoteProjects(b)).toEqual([]);
    const refollow = await api(b, "POST", "/api/v1/follows", { target: a.municipality!.actorUrl });
    expect(refollow.status).toBe(422);
    expect(refollow.json.error.fields[0]).toMatchObject({ field: "target" });

    const csv = await b.federation.domainBlocks.exportCsv();
    expect(csv).toBe(`domain,reason\n${host},test\n`);
    const bad = await b.federation.domainBlocks.importCsv("domain,reason\nspam.example,søppel\nikke et domene!,x\n");
    expect(bad).toEqual({ added: 0, invalid: ["linje 3: ikke et domene!,x"] });
    expect(await b.federation.domainBlocks.exportCsv()).toBe(`domain,reason\n${host},test\n`);
    expect(await b.federation.domainBlocks.importCsv("spam.example,søppel\n")).toEqual({ added: 1, invalid: [] });
  });
});

// The address policy itself: tests/federation/address-policy.test.ts.
describe("remote fetches refuse private addresses unless allowed", () => {
  it("an instance whose KOMINN_ALLOW_HOSTS names no host will not follow a loopback actor", async () => {
    const [target, guarded] = await Promise.all([
      startMunicipality("fredrikstad"),
      startMunicipality("sarpsborg", { env: { KOMINN_ALLOW_HOSTS: "" } }),
    ]);
    try {
      const r = await api(guarded, "POST", "/api/v1/follows", { target: target.municipality!.actorUrl });
      expect(r.status).toBe(422);
      expect((await api(guarded, "GET", "/api/v1/follows")).json.items).toEqual([]);
    } finally {
      await Promise.all([target.close(), guarded.close()]);
    }
  }, 60_000);
});
