// An independent check of what our instance sends: a peer written for this
// test verifies every request it receives with libraries that are not Fedify
// (independent-signatures.ts: RFC 9421 through Misskey's signature base and
// WebCrypto; draft-cavage through Misskey's library and Joyent's
// http-signature), answers 401 to anything that does not verify, and signs
// its own requests to our inbox with them. A peer that takes only
// draft-cavage (as servers without RFC 9421 do) answers an RFC 9421 request
// with 401; our instance must then knock again with draft-cavage, as Fedify's
// double-knocking does (RFC 9421 first, the other scheme after a 401).
// Requests our instance signs to our own inbox are covered by
// fediverse-fixtures.test.ts (every fixture, every scheme, tampered variants).
import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateCryptoKeyPair } from "@fedify/fedify";
import { drivers } from "../helpers/databases.ts";
import type { TestInstance } from "../helpers/instance.ts";
import { listFollowers } from "../../db/followers.ts";
import { eventually, publish, startMunicipality } from "./helpers.ts";
import { publicKeyPem } from "./signed-http.ts";
import { postIndependentlySigned, verifyIndependently, type Received, type Scheme } from "./independent-signatures.ts";

interface Delivery {
  /** What the independent libraries made of the signature (null: it did not verify). */
  verified: "rfc9421" | "draft-cavage" | null;
  status: number;
  activity: any;
}

interface VerifyingPeer {
  origin: string;
  actorUrl: string;
  keyId: string;
  privateKey: CryptoKey;
  /** Every POST to its inbox, in order. */
  deliveries: Delivery[];
  /** Which signatures it takes: both (RFC 9421 or draft-cavage), or draft-cavage only. */
  accepts: "both" | "draft-cavage";
  close(): Promise<void>;
}

async function startVerifyingPeer(instanceActorPem: (keyId: string) => Promise<string | null>): Promise<VerifyingPeer> {
  const keys = await generateCryptoKeyPair("RSASSA-PKCS1-v1_5");
  const pem = await publicKeyPem(keys.publicKey);
  const deliveries: Delivery[] = [];
  let origin = "";
  const peer: VerifyingPeer = {
    origin: "",
    actorUrl: "",
    keyId: "",
    privateKey: keys.privateKey,
    deliveries,
    accepts: "both",
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
  const server: Server = createServer(async (req, res) => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    if (req.method === "GET" && path === "/users/peer") {
      res.writeHead(200, { "content-type": "application/activity+json" }).end(
        JSON.stringify({
          "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
          id: `${origin}/users/peer`,
          type: "Person",
          preferredUsername: "peer",
          inbox: `${origin}/users/peer/inbox`,
          outbox: `${origin}/users/peer/outbox`,
          publicKey: { id: `${origin}/users/peer#main-key`, owner: `${origin}/users/peer`, publicKeyPem: pem },
        }),
      );
      return;
    }
    if (req.method !== "POST") {
      res.writeHead(404).end();
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(", ") : (v ?? "")]));
    const received: Received = { method: "POST", url: `${origin}${req.url}`, headers, body };
    const verified = await verifyIndependently(received, instanceActorPem).catch(() => null);
    const ok = verified !== null && (peer.accepts === "both" || verified === "draft-cavage");
    const status = ok ? 202 : 401;
    deliveries.push({ verified, status, activity: JSON.parse(body) });
    res.writeHead(status).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  Object.assign(peer, { origin, actorUrl: `${origin}/users/peer`, keyId: `${origin}/users/peer#main-key` });
  return peer;
}

describe.each(drivers)("a peer with independent signature libraries verifies what we send (%s)", (driver) => {
  let instance: TestInstance;
  let peer: VerifyingPeer;
  let other: VerifyingPeer;

  beforeAll(async () => {
    instance = await startMunicipality("fredrikstad", { driver });
    // The instance's public keys, read from its actor document as any server would.
    const keyOf = async (keyId: string) => {
      const response = await fetch(keyId.replace(/#.*$/, ""), { headers: { accept: "application/activity+json" } });
      if (!response.ok) return null;
      const actor = await response.json();
      const keys = [actor.publicKey].flat().filter(Boolean);
      return keys.find((k: any) => k.id === keyId)?.publicKeyPem ?? null;
    };
    [peer, other] = await Promise.all([startVerifyingPeer(keyOf), startVerifyingPeer(keyOf)]);
  }, 60_000);

  afterAll(async () => {
    await Promise.all([instance?.close(), peer?.close(), other?.close()]);
  });

  const followAs = (p: VerifyingPeer, scheme: Scheme) =>
    postIndependentlySigned(
      scheme,
      `${instance.url}/inbox`,
      {
        "@context": "https://www.w3.org/ns/activitystreams",
        id: `${p.actorUrl}#follows/${crypto.randomUUID()}`,
        type: "Follow",
        actor: p.actorUrl,
        object: instance.municipality!.actorUrl,
      },
      { keyId: p.keyId, privateKey: p.privateKey },
    );

  // The check itself can fail: what it refuses, a peer would refuse.
  it.each(["cavage-joyent", "cavage-misskey", "rfc9421"] as const)("%s: the peer's check refuses a tampered body, an old date and a wrong key", async (scheme) => {
    const inbox = `${peer.origin}/users/peer/inbox`;
    const note = { "@context": "https://www.w3.org/ns/activitystreams", id: `${peer.actorUrl}#probe`, type: "Like", actor: peer.actorUrl, object: instance.url };
    const key = { keyId: peer.keyId, privateKey: peer.privateKey };
    const wrong = await generateCryptoKeyPair("RSASSA-PKCS1-v1_5");
    const before = peer.deliveries.length;
    expect((await postIndependentlySigned(scheme, inbox, note, key)).status).toBe(202);
    expect((await postIndependentlySigned(scheme, inbox, note, key, { bodyAfterSigning: JSON.stringify({ ...note, object: peer.origin }) })).status).toBe(401);
    expect((await postIndependentlySigned(scheme, inbox, note, key, { date: new Date(Date.now() - 60 * 60_000) })).status).toBe(401);
    expect((await postIndependentlySigned(scheme, inbox, note, { keyId: peer.keyId, privateKey: wrong.privateKey })).status).toBe(401);
    peer.deliveries.splice(before);
  });

  it("the Accept of a Follow and the Create of a project verify as RFC 9421, the first knock", async () => {
    const r = await followAs(peer, "rfc9421");
    expect(r.status, r.text).toBe(202);
    await eventually(async () => peer.deliveries.some((d) => d.activity.type === "Accept"));
    await publish(instance, { title: "Lånebil for hjemmetjenesten" });
    await eventually(async () => peer.deliveries.some((d) => d.activity.type === "Create"));
    expect(peer.deliveries.map((d) => [d.activity.type, d.verified, d.status])).toEqual([
      ["Accept", "rfc9421", 202],
      ["Create", "rfc9421", 202],
    ]);
  });

  it("a peer that takes only draft-cavage answers 401 to RFC 9421; our instance knocks again with draft-cavage, which verifies", async () => {
    other.accepts = "draft-cavage";
    const r = await followAs(other, "cavage-joyent");
    expect(r.status, r.text).toBe(202);
    await eventually(async () => other.deliveries.some((d) => d.activity.type === "Accept" && d.status === 202));
    const accepts = other.deliveries.filter((d) => d.activity.type === "Accept");
    expect(accepts.map((d) => [d.verified, d.status])).toEqual([
      ["rfc9421", 401],
      ["draft-cavage", 202],
    ]);
    expect(accepts[1]!.activity).toEqual(accepts[0]!.activity);
    // Both peers still follow: a 401 on the first knock is not a failure.
    expect((await listFollowers(instance.ctx.db)).map((f) => f.actorUrl).sort()).toEqual([other.actorUrl, peer.actorUrl].sort());
  });

  it("every request that reached the peers verified, except the RFC 9421 knocks the draft-cavage peer refused", () => {
    expect(peer.deliveries.every((d) => d.verified !== null)).toBe(true);
    expect(other.deliveries.every((d) => d.verified !== null)).toBe(true);
  });
});
