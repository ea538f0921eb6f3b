// Activities as the servers most of the fediverse runs send them, fed to our
// inbox with signatures made by libraries that are not Fedify
// (independent-signatures.ts). Each fixture under tests/fixtures/fediverse/
// keeps the shape, @context and id scheme of its server; hosts are written
// as <server>.example and kominn.example and rewritten here to a loopback
// fake server (fake-actor.ts) that serves the sender's actor and key, and to
// our instance. Where each shape comes from:
//
// - mastodon: the Follow, Undo and Create (a status with a Mention and its
//   `replies` collection) after LemmyNet/lemmy crates/apub/assets/mastodon/
//   activities/{follow,undo_follow,create_note}.json (recorded from
//   Mastodon); the actor, Update, Delete, Like, Announce and Accept after
//   mastodon/mastodon app/serializers/activitypub/*_serializer.rb and
//   app/lib/activitypub/tag_manager.rb (ids such as `<actor>#likes/<n>`,
//   `<actor>#delete`, `<actor>#updates/<t>`); docs.joinmastodon.org/spec/activitypub.
// - misskey: misskey-dev/misskey packages/backend/src/core/activitypub/
//   ApRendererService.ts (its inline @context object with `misskey:` terms,
//   `/follows/<follower>/<followee>`, `/likes/<id>` with `_misskey_reaction`,
//   `/notes/<id>/activity` for Create and Announce, Delete of the actor).
// - gotosocial: superseriousbusiness/gotosocial docs/federation/actors.md,
//   posts.md and http_signatures.md (key id `<actor>/main-key`, a separate
//   document; `interactionPolicy` on statuses; the gotosocial.org/ns context).
// - pleroma (and Akkoma, which sends the same): pleroma/pleroma
//   lib/pleroma/web/activity_pub/utils.ex and priv/static/schemas/
//   litepub-0.1.jsonld (every activity's @context names
//   `https://<host>/schemas/litepub-0.1.jsonld` and `{"@language": "und"}`;
//   ids `/activities/<uuid>`, `context`/`conversation` on Notes, Follow with
//   `state: pending`).
// - lemmy: LemmyNet/lemmy crates/apub/assets/lemmy/activities/following/
//   {follow,undo_follow,accept}.json, deletion/delete_user.json,
//   voting/like_note.json, create_or_update/create_note.json and
//   assets/lemmy/context.json (the join-lemmy.org context).
//
// Each is handled or refused, never a 500: 202 when accepted (handled, or
// ignored because KOMINN has nothing to do with it), and nothing stored that
// should not be.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateCryptoKeyPair } from "@fedify/fedify";
import { drivers } from "../helpers/databases.ts";
import type { TestInstance } from "../helpers/instance.ts";
import { listFollowers } from "../../db/followers.ts";
import { getMunicipalityByActorUrl } from "../../db/municipalities.ts";
import { eventually, publish, remoteProjects, startMunicipality } from "./helpers.ts";
import { startFakeActor, type FakeActor } from "./fake-actor.ts";
import { postIndependentlySigned, schemes, type Scheme, type SigningKey } from "./independent-signatures.ts";
import { inboxSettled } from "./signed-http.ts";
import { sql } from "drizzle-orm";
import { rowsOf } from "../../db/client.ts";

const servers = ["mastodon", "misskey", "gotosocial", "pleroma", "lemmy"] as const;
type Server = (typeof servers)[number];

function fixtureText(server: Server, name: string): string {
  return readFileSync(new URL(`../fixtures/fediverse/${server}/${name}.json`, import.meta.url), "utf8");
}

interface Sender {
  fake: FakeActor;
  actorUrl: string;
  key: SigningKey;
  /** The fixture with its hosts rewritten. */
  load(name: string): any;
}

async function startSender(server: Server, instance: TestInstance, projectUrl: string): Promise<Sender> {
  const fake = await startFakeActor(server);
  // The fixtures hold "PEM" where the sender's public key goes (an Update of the actor embeds it too).
  const rewrite = (text: string) =>
    JSON.parse(
      text
        .replaceAll(`https://${server}.example`, fake.origin)
        .replaceAll("https://kominn.example/actor", instance.municipality!.actorUrl)
        .replaceAll("https://kominn.example/project", projectUrl)
        .replaceAll("https://kominn.example", instance.url)
        .replaceAll('"publicKeyPem": "PEM"', `"publicKeyPem": ${JSON.stringify(fake.publicKeyPem)}`),
    );
  const actor = rewrite(fixtureText(server, "actor"));
  const actorPath = new URL(actor.id).pathname;
  fake.serve(actorPath, actor);
  // GoToSocial's key id is a document of its own, answering with the actor.
  const keyPath = new URL(actor.publicKey.id).pathname;
  if (keyPath !== actorPath) fake.serve(keyPath, actor);
  return {
    fake,
    actorUrl: actor.id,
    key: { keyId: actor.publicKey.id, privateKey: fake.privateKey },
    load: (name) => rewrite(fixtureText(server, name)),
  };
}

describe.each(drivers)("activities as Mastodon, Misskey, GoToSocial, Pleroma and Lemmy send them (%s)", (driver) => {
  let instance: TestInstance;
  let project: any;
  let inbox: string;
  const senders = new Map<Server, Sender>();

  /** Every line the instance logged (at any level, shown or not). */
  const logged: string[] = [];

  beforeAll(async () => {
    instance = await startMunicipality("fredrikstad", { driver });
    const logger = instance.ctx.logger;
    for (const level of ["debug", "info", "warn", "error"] as const) {
      const write = logger[level];
      logger[level] = (message, detail) => {
        logged.push(message);
        write(message, detail);
      };
    }
    project = await publish(instance, { title: "Lånebil for hjemmetjenesten" });
    inbox = `${instance.url}/inbox`;
    for (const server of servers) senders.set(server, await startSender(server, instance, project.url));
  }, 120_000);

  afterAll(async () => {
    await Promise.all([instance?.close(), ...[...senders.values()].map((s) => s.fake.close())]);
  });

  const followerOf = async (actorUrl: string) => (await listFollowers(instance.ctx.db)).find((f) => f.actorUrl === actorUrl);
  const nothingElseStored = async () => {
    expect(await remoteProjects(instance)).toEqual([]);
    for (const s of senders.values()) expect(await getMunicipalityByActorUrl(instance.ctx.db, s.actorUrl)).toBeFalsy();
  };

  describe.each(servers)("%s", (server) => {
    // Each activity goes with another of the three signatures, so every scheme meets every server.
    const schemeFor = (i: number): Scheme => schemes[(servers.indexOf(server) + i) % schemes.length]!;
    const send = (name: string, i: number, change: Record<string, unknown> = {}) => {
      const s = senders.get(server)!;
      return postIndependentlySigned(schemeFor(i), inbox, { ...s.load(name), ...change }, s.key);
    };

    it("Follow creates a follower and is answered with an Accept of that Follow", async () => {
      const s = senders.get(server)!;
      const follow = s.load("follow");
      const r = await send("follow", 0);
      expect(r.status, r.text).toBe(202);
      await eventually(async () => (await followerOf(s.actorUrl))?.status === "accepted");
      await eventually(async () => s.fake.received.some((a) => a.type === "Accept"));
      const accept = s.fake.received.find((a) => a.type === "Accept");
      expect(accept.actor).toBe(instance.municipality!.actorUrl);
      expect(typeof accept.object === "string" ? accept.object : accept.object.id).toBe(follow.id);
    });

    it("Like and Announce of a project are accepted and ignored: no follower row, nothing stored", async () => {
      const s = senders.get(server)!;
      const before = (await listFollowers(instance.ctx.db)).length;
      for (const [i, name] of (["like", "announce"] as const).entries()) {
        const r = await send(name, i + 1);
        expect(r.status, `${name}: ${r.text}`).toBe(202);
        // One line says what came and that it was ignored.
        const id = s.load(name).id;
        await eventually(async () => logged.some((line) => line.includes(id)));
        expect(logged.filter((line) => line.includes(id))).toEqual([expect.stringMatching(/ignored/)]);
      }
      expect((await listFollowers(instance.ctx.db)).length).toBe(before);
      expect(s.fake.received.filter((a) => a.type !== "Accept")).toEqual([]);
      await nothingElseStored();
    });

    it("a Create of a Note that mentions the municipality is accepted and stores no project", async () => {
      const r = await send("create-note", 2);
      expect(r.status, r.text).toBe(202);
      await nothingElseStored();
    });

    it("an Accept of a Follow we never sent, and an Update of the actor, change nothing", async () => {
      const s = senders.get(server)!;
      for (const [i, name] of (["accept", "update-actor"] as const).entries()) {
        const r = await send(name, i);
        expect(r.status, `${name}: ${r.text}`).toBe(202);
      }
      const follows = await fetch(`${instance.url}/api/v1/follows`, { headers: { authorization: `Bearer ${instance.adminToken}` } });
      expect((await follows.json()).items).toEqual([]);
      expect((await followerOf(s.actorUrl))?.status).toBe("accepted");
      await nothingElseStored();
    });

    it("Undo of the Follow removes the follower", async () => {
      const s = senders.get(server)!;
      const r = await send("undo-follow", 1);
      expect(r.status, r.text).toBe(202);
      await eventually(async () => (await followerOf(s.actorUrl)) === undefined);
    });

    it("Delete of the actor is accepted, never a 500, and leaves no follower", async () => {
      const s = senders.get(server)!;
      // Following again is a new Follow, with an id of its own.
      expect((await send("follow", 2, { id: `${s.load("follow").id}-again` })).status).toBe(202);
      await eventually(async () => (await followerOf(s.actorUrl))?.status === "accepted");
      // The actor is gone: its server no longer serves it.
      s.fake.serve(new URL(s.actorUrl).pathname, undefined);
      const r = await send("delete-actor", 0);
      expect(r.status, r.text).toBe(202);
      await eventually(async () => (await followerOf(s.actorUrl)) === undefined);
    });

    it("no JSON-LD context was fetched from the sender", () => {
      const s = senders.get(server)!;
      expect(s.fake.requests.filter((r) => /\.jsonld$|context/i.test(r))).toEqual([]);
    });
  });

  it("a signed activity that does not parse is answered 202, then logged once and dropped: nothing stored, no retry", async () => {
    const mastodon = senders.get("mastodon")!;
    const like = { ...mastodon.load("like"), id: `${mastodon.actorUrl}#likes/unparsable-${Math.random()}`, published: "i går kveld" };
    const failures = () => logged.filter((line) => line.includes("handling an activity failed")).length;
    const before = failures();
    const r = await postIndependentlySigned("rfc9421", inbox, like, mastodon.key);
    expect(r.status, r.text).toBe(202);
    await eventually(async () => failures() === before + 1);
    await inboxSettled(inbox);
    const queued = rowsOf<{ n: number }>(await instance.ctx.db.execute(sql`select count(*)::int as n from fedify_queue where message->>'type' = 'inbox'`));
    expect(queued[0].n).toBe(0);
    expect(failures()).toBe(before + 1);
    await nothingElseStored();
  });

  it("the LitePub context is never fetched, not even for an unsigned request; another context URL on that host is still refused", async () => {
    const pleroma = senders.get("pleroma")!;
    const before = pleroma.fake.requests.length;
    const follow = { ...pleroma.load("follow"), id: `${pleroma.actorUrl}/unsigned-${Math.random()}` };
    const unsigned = await fetch(inbox, { method: "POST", headers: { "content-type": "application/activity+json" }, body: JSON.stringify(follow) });
    expect(unsigned.status).toBe(401);
    const other = { ...follow, "@context": ["https://www.w3.org/ns/activitystreams", `${pleroma.fake.origin}/schemas/litepub-0.2.jsonld`] };
    const refused = await postIndependentlySigned("rfc9421", inbox, other, pleroma.key);
    expect(refused.status).toBe(400);
    expect(pleroma.fake.requests.slice(before).filter((r) => r.includes("/schemas/"))).toEqual([]);
  });

  describe("tampered requests are refused with 401 in every scheme", () => {
    let victim: Sender;
    let other: FakeActor;
    beforeAll(async () => {
      victim = senders.get("mastodon")!;
      other = await startFakeActor("andre");
    });
    afterAll(() => other?.close());

    const like = () => ({ ...victim.load("like"), id: `${victim.actorUrl}#likes/${Math.random().toString(36).slice(2)}` });

    it.each(schemes)("%s: the untampered request is accepted (the baseline)", async (scheme) => {
      expect((await postIndependentlySigned(scheme, inbox, like(), victim.key)).status).toBe(202);
    });

    it.each(schemes)("%s: the body changed after signing", async (scheme) => {
      const signed = like();
      const changed = JSON.stringify({ ...signed, object: `${instance.url}/prosjekter/noe-annet` });
      const r = await postIndependentlySigned(scheme, inbox, signed, victim.key, { bodyAfterSigning: changed });
      expect(r.status, r.text).toBe(401);
    });

    it.each(schemes)("%s: a date outside the window", async (scheme) => {
      const r = await postIndependentlySigned(scheme, inbox, like(), victim.key, { date: new Date(Date.now() - 60 * 60_000) });
      expect(r.status, r.text).toBe(401);
    });

    it.each(schemes)("%s: signed with another key under the actor's key id", async (scheme) => {
      const wrong = await generateCryptoKeyPair("RSASSA-PKCS1-v1_5");
      const r = await postIndependentlySigned(scheme, inbox, like(), { keyId: victim.key.keyId, privateKey: wrong.privateKey });
      expect(r.status, r.text).toBe(401);
    });

    it.each(schemes)("%s: signed correctly by another actor than the activity's", async (scheme) => {
      const r = await postIndependentlySigned(scheme, inbox, like(), { keyId: other.keyId, privateKey: other.privateKey });
      expect(r.status, r.text).toBe(401);
    });
  });
});
