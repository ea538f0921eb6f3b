import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { drivers } from "../helpers/databases.ts";
import type { TestInstance } from "../helpers/instance.ts";
import { listFollowers } from "../../db/followers.ts";
import { getFollowByTarget } from "../../db/follows.ts";
import { getMunicipalityByActorUrl } from "../../db/municipalities.ts";
import { removeRemoteProject } from "../../db/remote-projects.ts";
import { api, eventually, follow, postAs, publish, remoteProjects, startMunicipality } from "./helpers.ts";
import { startFakeActor, type FakeActor } from "./fake-actor.ts";

const as = "https://www.w3.org/ns/activitystreams";
const publicAudience = `${as}#Public`;


async function queueDrained(instance: TestInstance): Promise<boolean> {
  return (await instance.federation.queue.getDepth()).queued === 0;
}

describe.each(drivers)("the inbox trusts an activity only from its actor's own key and host (%s)", (driver) => {
  let a: TestInstance; // the victim: publishes, follows b
  let b: TestInstance; // the receiver: follows a
  let attacker: FakeActor;
  let project: any;
  let inbox: string;
  let aActor: string;

  beforeAll(async () => {
    [a, b, attacker] = await Promise.all([
      startMunicipality("fredrikstad", { driver }),
      startMunicipality("sarpsborg", { driver }),
      startFakeActor(),
    ]);
    aActor = a.municipality!.actorUrl;
    inbox = `${b.url}/inbox`;
    project = await publish(a, { title: "Lånebil for hjemmetjenesten" });
    await follow(b, a);
    await follow(a, b);
    await eventually(async () => (await remoteProjects(b)).length === 1);
    // The forged key: on the attacker's host, its `owner` names the victim.
    attacker.serve("/key", {
      "@context": "https://w3id.org/security/v1",
      id: `${attacker.origin}/key`,
      type: "CryptographicKey",
      owner: aActor,
      publicKeyPem: attacker.publicKeyPem,
    });
  }, 120_000);

  afterAll(async () => {
    await Promise.all([a?.close(), b?.close(), attacker?.close()]);
  });

  const aFollowers = async () => (await listFollowers(b.ctx.db)).filter((f) => f.actorUrl === aActor);
  const bFollowOfA = async () => (await api(b, "GET", "/api/v1/follows")).json.items.find((f: any) => f.actorUrl === aActor);
  const imitatedBy = async (url: string) => (await remoteProjects(b)).find((p) => p.url === url)?.imitatedBy ?? [];

  it("refuses Update, Delete, Reject and Undo signed by a key on another host that names the actor as its owner", async () => {
    const forgedKey = `${attacker.origin}/key`;
    const id = () => `${aActor}#forged-${Math.random().toString(36).slice(2)}`;
    const follower = (await aFollowers())[0];
    expect(follower).toBeDefined();
    const ourFollow = await bFollowOfA();
    expect(ourFollow.status).toBe("accepted");

    const forged: any[] = [
      {
        "@context": as,
        id: id(),
        type: "Update",
        actor: aActor,
        object: { id: aActor, type: "Organization", name: "Fredrikstad kommune OPPDATER BANKKONTO HER", inbox: `${aActor}/inbox` },
        to: publicAudience,
      },
      { "@context": as, id: id(), type: "Delete", actor: aActor, object: { id: project.url, type: "Tombstone" }, to: publicAudience },
      { "@context": as, id: id(), type: "Reject", actor: aActor, object: (await getFollowByTarget(b.ctx.db, aActor))!.followActivityId },
      { "@context": as, id: id(), type: "Undo", actor: aActor, object: { id: follower.followActivityId, type: "Follow", actor: aActor, object: b.municipality!.actorUrl } },
    ];
    for (const activity of forged) {
      const r = await attacker.post(inbox, activity, forgedKey);
      expect(r.status, `${activity.type}: ${r.text}`).toBeLessThan(500);
    }

    const [cached] = await remoteProjects(b);
    expect(cached?.url).toBe(project.url);
    expect(cached.municipality.name).toBe("Fredrikstad kommune");
    expect((await getMunicipalityByActorUrl(b.ctx.db, aActor))!.name).toBe("Fredrikstad kommune");
    expect((await bFollowOfA()).status).toBe("accepted");
    expect(await aFollowers()).toHaveLength(1);

    // The same Update signed with the municipality's own key takes effect: the check above can fail.
    const genuine = await postAs(a, inbox, { ...forged[0], id: id(), object: { ...forged[0].object, name: "Fredrikstad kommune (ny)" } });
    expect(genuine.status).toBe(202);
    expect((await getMunicipalityByActorUrl(b.ctx.db, aActor))!.name).toBe("Fredrikstad kommune (ny)");
  });

  it("refuses a key on the actor's own host that the actor's document does not list", async () => {
    attacker.serve("/other-key", {
      "@context": "https://w3id.org/security/v1",
      id: `${attacker.origin}/other-key`,
      type: "CryptographicKey",
      owner: attacker.actorUrl,
      publicKeyPem: attacker.publicKeyPem,
    });
    const followOf = (n: number) => ({ "@context": as, id: `${attacker.actorUrl}#follows/${n}`, type: "Follow", actor: attacker.actorUrl, object: b.municipality!.actorUrl });
    const following = async () => (await listFollowers(b.ctx.db)).some((f) => f.actorUrl === attacker.actorUrl);
    const unlisted = await attacker.post(inbox, followOf(1), `${attacker.origin}/other-key`);
    expect(unlisted.status).toBeLessThan(500);
    expect(await following()).toBe(false);
    // Signed with the key its document lists, the same Follow is taken.
    expect((await attacker.post(inbox, followOf(2))).status).toBe(202);
    expect(await following()).toBe(true);
    const undo = { "@context": as, id: `${attacker.actorUrl}#undo/2`, type: "Undo", actor: attacker.actorUrl, object: followOf(2) };
    expect((await attacker.post(inbox, undo)).status).toBe(202);
    expect(await following()).toBe(false);
  });

  it("an activity id squatted by another actor does not make the owner's activity be dropped", async () => {
    const fresh = await publish(a, { title: "Digital tilsynsordning" });
    await eventually(async () => (await remoteProjects(b)).some((p) => p.url === fresh.url));
    // Forget b's copy, so only the Create below can bring it back.
    const municipality = await getMunicipalityByActorUrl(b.ctx.db, aActor);
    await removeRemoteProject(b.ctx.db, municipality!, fresh.url);
    expect((await remoteProjects(b)).some((p) => p.url === fresh.url)).toBe(false);

    // Our ids are predictable (<url>#create-<updated ms>); the attacker signs correctly, with its own
    // key, an activity under an id the victim will use (one not delivered yet).
    const squatted = `${fresh.url}#create-${Date.parse(fresh.updatedAt) + 1000}`;
    attacker.serve("/prosjekter/kopi", { "@context": as, id: `${attacker.origin}/prosjekter/kopi`, type: "Article", name: "Kopi" });
    const squat = await attacker.post(inbox, {
      "@context": as,
      id: squatted,
      type: "Create",
      actor: attacker.actorUrl,
      object: `${attacker.origin}/prosjekter/kopi`,
      to: publicAudience,
    });
    expect(squat.status).toBeLessThan(500);

    const real = await postAs(a, inbox, { "@context": as, id: squatted, type: "Create", actor: aActor, object: fresh.url, to: publicAudience });
    expect(real.status).toBe(202);
    expect((await remoteProjects(b)).some((p) => p.url === fresh.url)).toBe(true);
  });

  it("an activity the handler refused leaves its id free for a later delivery", async () => {
    const fresh = await publish(a, { title: "Sensorer i omsorgsboliger" });
    await eventually(async () => (await remoteProjects(b)).some((p) => p.url === fresh.url));
    const municipality = await getMunicipalityByActorUrl(b.ctx.db, aActor);
    await removeRemoteProject(b.ctx.db, municipality!, fresh.url);

    const id = `${fresh.url}#create-retry`;
    // Not a project (the actor document): refused.
    const refused = await postAs(a, inbox, { "@context": as, id, type: "Create", actor: aActor, object: aActor, to: publicAudience });
    expect(refused.status).toBe(202);
    expect((await remoteProjects(b)).some((p) => p.url === fresh.url)).toBe(false);
    const again = await postAs(a, inbox, { "@context": as, id, type: "Create", actor: aActor, object: fresh.url, to: publicAudience });
    expect(again.status).toBe(202);
    expect((await remoteProjects(b)).some((p) => p.url === fresh.url)).toBe(true);
  });

  it("answers 401, never 500, when the key id does not resolve to a key (and again from the negative cache)", async () => {
    const activity = { "@context": as, id: `${attacker.origin}/x/${Math.random()}`, type: "Create", actor: attacker.actorUrl, object: `${attacker.origin}/x`, to: publicAudience };
    for (const keyId of [`${attacker.origin}/ingen-nokkel`, `${attacker.origin}/ingen-nokkel`, "http://127.0.0.1:1/key"]) {
      const r = await attacker.post(inbox, { ...activity, id: `${attacker.origin}/x/${Math.random()}` }, keyId);
      expect(r.status, `${keyId}: ${r.text}`).toBe(401);
    }
  });

  it("answers 400 to JSON nested 5,000 deep, signed or not", async () => {
    const deep = `${"[".repeat(5000)}${"]".repeat(5000)}`;
    const body = `{"@context":"${as}","id":"${attacker.origin}/deep","type":"Create","actor":"${attacker.actorUrl}","object":${deep}}`;
    const unsigned = await fetch(inbox, { method: "POST", headers: { "content-type": "application/activity+json" }, body });
    expect(unsigned.status).toBe(400);
    expect(await unsigned.text()).toMatch(/dyp|nest/i);
    const signed = await attacker.post(inbox, body);
    expect(signed.status).toBe(400);
    // Ordinary nesting (an embedded object with a list inside) still goes through.
    const shallow = await attacker.post(inbox, {
      "@context": [as, { kominn: "https://kominn.no/ns#" }],
      id: `${attacker.origin}/shallow`,
      type: "Create",
      actor: attacker.actorUrl,
      object: { id: `${attacker.origin}/notat`, type: "Note", tag: [{ type: "Hashtag", name: "#x" }] },
      to: publicAudience,
    });
    expect(shallow.status).toBe(202);
  });

  it("refuses a remote object whose path has a malformed %-escape without a 500", async () => {
    const article = await (await fetch(project.url, { headers: { accept: "application/activity+json" } })).json();
    for (const path of ["/prosjekter/%E0%A4%A", "/prosjekter/100%"]) {
      const url = `${attacker.origin}${path}`;
      attacker.serve(path, { ...article, id: url, url, attributedTo: attacker.actorUrl, imitationOf: project.url });
      const r = await attacker.post(inbox, { "@context": as, id: `${attacker.origin}/create/${Math.random()}`, type: "Create", actor: attacker.actorUrl, object: url, to: publicAudience });
      expect(r.status, r.text).toBe(202);
    }
    expect(await imitatedBy(project.url)).toEqual([]);
  });

  it("answers a flood of Follows from one actor with at most three Accepts and one follower row", async () => {
    const flooder = await startFakeActor("flom");
    try {
      const target = b.municipality!.actorUrl;
      const followOf = (n: number) => ({ "@context": as, id: `${flooder.actorUrl}#follows/${n}`, type: "Follow", actor: flooder.actorUrl, object: target });
      const statuses: number[] = [];
      for (let batch = 0; batch < 15; batch++) {
        const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => flooder.post(inbox, followOf(batch * 10 + i))));
        statuses.push(...answers.map((r) => r.status));
      }
      expect(statuses.filter((s) => s !== 202)).toEqual([]);
      await eventually(() => queueDrained(b));
      const accepts = () => flooder.received.filter((x) => x.type === "Accept");
      expect(accepts().length).toBeGreaterThanOrEqual(1);
      expect(accepts().length).toBeLessThanOrEqual(3);
      const answered = accepts().length;
      expect((await listFollowers(b.ctx.db)).filter((f) => f.actorUrl === flooder.actorUrl)).toHaveLength(1);

      // Unfollowing and following again is answered at once.
      const undo = await flooder.post(inbox, { "@context": as, id: `${flooder.actorUrl}#undo/1`, type: "Undo", actor: flooder.actorUrl, object: followOf(149) });
      expect(undo.status).toBe(202);
      expect((await listFollowers(b.ctx.db)).filter((f) => f.actorUrl === flooder.actorUrl)).toHaveLength(0);
      expect((await flooder.post(inbox, followOf(1000))).status).toBe(202);
      await eventually(async () => accepts().length === answered + 1);
      expect(accepts()[answered].object?.id ?? accepts()[answered].object).toBe(followOf(1000).id);
    } finally {
      await flooder.close();
    }
  });
});
