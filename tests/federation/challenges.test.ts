import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { drivers } from "../helpers/databases.ts";
import type { TestInstance } from "../helpers/instance.ts";
import { listPublicIdeas } from "../../db/ideas.ts";
import { listRemoteChallenges } from "../../db/remote-challenges.ts";
import { getFollowerByActor } from "../../db/followers.ts";
import { ChallengeService } from "../../services/challenges.ts";
import { csrfFrom, signInAdmin } from "../http/pages-support.ts";
import { api, eventually, follow, postAs, startMunicipality } from "./helpers.ts";
import { startFakeActor, type FakeActor } from "./fake-actor.ts";

const as = "https://www.w3.org/ns/activitystreams";

/** The status of an activity POSTed to an inbox, signed with a KOMINN instance's own key. */
const statusOf = async (instance: TestInstance, inbox: string, activity: unknown) => (await postAs(instance, inbox, activity)).status;

/** An idea as Sarpsborg's staff send it: a Note in reply to the challenge, to its owner. */
function ideaCreate(from: TestInstance, to: TestInstance, challengeUrl: string, title: string) {
  const id = `${from.url}/ideer/sendt/${Math.random().toString(36).slice(2, 12)}`;
  return {
    "@context": [as, { schema: "http://schema.org#", PropertyValue: "schema:PropertyValue", value: "schema:value" }],
    id: `${id}#create`,
    type: "Create",
    actor: from.municipality!.actorUrl,
    to: to.municipality!.actorUrl,
    object: {
      id,
      type: "Note",
      attributedTo: from.municipality!.actorUrl,
      to: to.municipality!.actorUrl,
      inReplyTo: challengeUrl,
      content: `<p>${title}</p>`,
      attachment: [
        { type: "PropertyValue", name: "Tittel", value: title },
        { type: "PropertyValue", name: "Problemet", value: "Køene er lange." },
        { type: "PropertyValue", name: "Idéen", value: "Book time på nett." },
      ],
    },
  };
}

// Fredrikstad opens an idea competition to other municipalities; Sarpsborg,
// which follows Fredrikstad, shows it and its staff send an idea to it.
describe.each(drivers)("an idea competition open to other municipalities (%s)", (driver) => {
  let a: TestInstance;
  let b: TestInstance;
  let attacker: FakeActor;
  let challengeId: string;
  let challengeUrl: string;
  let following: any;

  beforeAll(async () => {
    [a, b, attacker] = await Promise.all([startMunicipality("fredrikstad", { driver }), startMunicipality("sarpsborg", { driver }), startFakeActor()]);
    following = await follow(b, a);
  }, 90_000);
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close(), attacker?.close()]);
  });

  const ideasAtA = () => listPublicIdeas(a.ctx.db, { challengeId });

  it("sends the challenge to followers, who show it; their staff's idea arrives tied to it, from the municipality only", async () => {
    const staffA = await signInAdmin(a);
    const form = await staffA.agent.get("/admin/konkurranser/ny").expect(200);
    expect(form.text).toContain('name="openToOthers"');
    const today = new Date().toISOString().slice(0, 10);
    const later = new Date(Date.now() + 20 * 86_400_000).toISOString().slice(0, 10);
    const created = await staffA.agent.post("/admin/konkurranser/ny").type("form").send({
      _csrf: csrfFrom(form.text),
      title: "Kortere køer på legevakten",
      problem: "Folk venter **for lenge**.",
      eligibility: "Ansatte i kommunene",
      opensAt: today,
      closesAt: later,
      "criteria.0.name": "Nytte",
      "criteria.0.description": "Hvor mye tid det sparer",
      scaleMax: "5",
      openToOthers: "true",
    }).expect(303);
    challengeId = created.headers.location!.split("/").pop()!;
    challengeUrl = `${a.url}/konkurranser/${challengeId}`;

    // Its URL answers as ActivityPub JSON: a Page marked as a KOMINN challenge.
    const object = await fetch(challengeUrl, { headers: { accept: "application/activity+json" } });
    expect(object.status).toBe(200);
    const page = await object.json();
    expect(page).toMatchObject({ type: "Page", id: challengeUrl, name: "Kortere køer på legevakten", attributedTo: a.municipality!.actorUrl });

    const list = await eventually(async () => {
      const html = (await fetch(`${b.url}/konkurranser`).then((r) => r.text()));
      return html.includes("Kortere køer på legevakten") && html;
    });
    expect(list).toContain("fra Fredrikstad kommune");
    const [remote] = await listRemoteChallenges(b.ctx.db);

    // The public sees the challenge but no form; staff send an idea.
    const anonymous = await fetch(`${b.url}/konkurranser/ekstern/${remote.id}`).then((r) => r.text());
    expect(anonymous).not.toContain('action="/konkurranser/ekstern/');
    const staffB = await signInAdmin(b);
    const pageB = await staffB.agent.get(`/konkurranser/ekstern/${remote.id}`).expect(200);
    expect(pageB.text).toContain("Folk venter <strong>for lenge</strong>.");
    await staffB.agent.post(`/konkurranser/ekstern/${remote.id}/forslag`).type("form")
      .send({ _csrf: csrfFrom(pageB.text), title: "Timebok på nett", problem: "Køene er lange.", proposal: "La folk bestille tid.", serviceArea: "" })
      .expect(303);

    const [idea] = await eventually(async () => {
      const ideas = await ideasAtA();
      return ideas.length === 1 && ideas;
    });
    expect(idea).toMatchObject({ title: "Timebok på nett", origin: "remote", fromMunicipality: "Sarpsborg kommune", submitterName: null, submitterEmail: null, moderation: "approved" });
    const shown = await fetch(challengeUrl).then((r) => r.text());
    expect(shown).toContain("Timebok på nett");
  });

  it("refuses an idea signed for Sarpsborg by another host's key", async () => {
    attacker.serve("/key", {
      "@context": ["https://w3id.org/security/v1"],
      id: `${attacker.origin}/key`,
      owner: b.municipality!.actorUrl,
      publicKeyPem: attacker.publicKeyPem,
    });
    const forged = await attacker.post(`${a.url}/inbox`, ideaCreate(b, a, challengeUrl, "Forfalsket idé"), `${attacker.origin}/key`);
    expect(forged.status).not.toBe(500);
    expect((await ideasAtA()).map((i) => i.title)).toEqual(["Timebok på nett"]);
  });

  it("takes an idea delivered twice (to the shared inbox and the actor's inbox) once, and refuses one whose ids are on another host", async () => {
    const idea = ideaCreate(b, a, challengeUrl, "Dobbelt levert");
    expect(await statusOf(b, `${a.url}/inbox`, idea)).toBeLessThan(300);
    expect(await statusOf(b, `${a.municipality!.actorUrl}/inbox`, idea)).toBeLessThan(300);
    const elsewhere = ideaCreate(b, a, challengeUrl, "Fra en annen vert");
    elsewhere.id = `${attacker.origin}/aktivitet/1`;
    elsewhere.object.id = `${attacker.origin}/idé/1`;
    expect(await statusOf(b, `${a.url}/inbox`, elsewhere)).not.toBe(500);
    expect((await ideasAtA()).map((i) => i.title).sort()).toEqual(["Dobbelt levert", "Timebok på nett"]);
  });

  it("closing the challenge tells the followers, and an idea sent after is refused", async () => {
    // Sent by Sarpsborg's own key while still open: taken.
    expect(await statusOf(b, `${a.url}/inbox`, ideaCreate(b, a, challengeUrl, "Andre idé"))).toBeLessThan(300);
    expect((await ideasAtA()).map((i) => i.title).sort()).toEqual(["Andre idé", "Dobbelt levert", "Timebok på nett"]);

    const staffA = await signInAdmin(a);
    const pageA = await staffA.agent.get(`/konkurranser/${challengeId}`).expect(200);
    await staffA.agent.post(`/konkurranser/${challengeId}/steng`).type("form").send({ _csrf: csrfFrom(pageA.text) }).expect(303);

    const [remote] = await listRemoteChallenges(b.ctx.db);
    await eventually(async () => (await fetch(`${b.url}/konkurranser/ekstern/${remote.id}`).then((r) => r.text())).includes("Konkurransen er stengt"));

    expect(await statusOf(b, `${a.url}/inbox`, ideaCreate(b, a, challengeUrl, "For sent"))).toBeLessThan(300);
    expect((await ideasAtA()).map((i) => i.title).sort()).toEqual(["Andre idé", "Dobbelt levert", "Timebok på nett"]);
  });

  it("once Sarpsborg stops following Fredrikstad, it no longer shows the challenge, and Fredrikstad takes no idea from it", async () => {
    const [remote] = await listRemoteChallenges(b.ctx.db);
    expect((await api(b, "DELETE", `/api/v1/follows/${following.id}`)).status).toBeLessThan(300);
    expect(await fetch(`${b.url}/konkurranser`).then((r) => r.text())).not.toContain("Kortere køer på legevakten");
    expect((await fetch(`${b.url}/konkurranser/ekstern/${remote.id}`)).status).toBe(404);

    // Fredrikstad takes ideas only from its followers: Sarpsborg's idea to a new open challenge is refused.
    await eventually(async () => !(await getFollowerByActor(a.ctx.db, b.municipality!.actorUrl)));
    const today = new Date().toISOString().slice(0, 10);
    const later = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10);
    const fresh = await new ChallengeService(a.ctx.db, a.ctx.events).create(
      { title: "Ny runde", problem: "Mer å gjøre.", eligibility: "Alle ansatte", opensAt: today, closesAt: later, criteria: [{ name: "Nytte", description: "" }], prizes: "", scaleMax: 5, openToOthers: true },
      [],
      { accountId: a.admin!.id, name: "Anne Admin", role: "admin" },
    );
    expect(await statusOf(b, `${a.url}/inbox`, ideaCreate(b, a, `${a.url}/konkurranser/${fresh.id}`, "Fra en som ikke følger"))).toBeLessThan(300);
    expect(await listPublicIdeas(a.ctx.db, { challengeId: fresh.id })).toEqual([]);
  });
});
