import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { drivers } from "../helpers/databases.ts";
import { startTestInstance, type TestInstance } from "../helpers/instance.ts";
import { addEditor, addProject, signIn, signInAdmin, type Agent } from "../http/pages-support.ts";
import { rowsOf } from "../../db/client.ts";
import { getAccountByEmail, updateAccount } from "../../db/accounts.ts";
import { notificationsSeen, peerMunicipality, receiveRemote } from "./helpers.ts";
import { IdeaService } from "../../services/ideas.ts";

async function count(inst: TestInstance, query: ReturnType<typeof sql>): Promise<number> {
  const [row] = rowsOf<{ n: number }>(await inst.ctx.db.execute(query));
  return Number(row.n);
}

describe.each(drivers)("following and notifications on %s", (driver) => {
  let inst: TestInstance;
  let admin: { agent: Agent; csrf: string };

  beforeAll(async () => {
    inst = await startTestInstance({ driver });
    admin = await signInAdmin(inst);
  });
  afterAll(async () => {
    await inst?.close();
  });

  const follow = (fields: Record<string, string>, who = admin) =>
    who.agent.post("/varsler/folg").type("form").send({ _csrf: who.csrf, neste: "/varsler", ...fields });

  it("tells a follower of a service area of a new project there, with the line that says why, and counts it unread in the header", async () => {
    await follow({ kind: "service-area", target: "helse-omsorg" }).expect(303).expect("location", "/varsler?melding=fulgt");
    const sarpsborg = await peerMunicipality(inst);
    await receiveRemote(inst, sarpsborg, "fallsensorer", { title: "Fallsensorer for eldre", serviceAreas: ["helse-omsorg"] });
    await receiveRemote(inst, sarpsborg, "sjobading", { title: "Svømming i sjøen", serviceAreas: ["kultur"] });
    await inst.ctx.events.settled();

    const page = await admin.agent.get("/varsler").expect(200);
    expect(page.text).toContain("Fallsensorer for eldre");
    expect(page.text).toContain("Nytt prosjekt innen helse og omsorg fra Sarpsborg kommune.");
    expect(page.text).not.toContain("Svømming i sjøen");
    const front = await admin.agent.get("/prosjekter").expect(200);
    expect(front.text).toMatch(/class="header-notifications"[^>]*>Varsler <span class="count-badge">1<span class="visually-hidden"> uleste/);

    await admin.agent.post("/varsler/les").type("form").send({ _csrf: admin.csrf }).expect(303);
    const after = await admin.agent.get("/prosjekter").expect(200);
    expect(after.text).not.toContain("count-badge");
  });

  it("tells the follower of a project when it changes phase or records realised benefits, and not when a muted kind moves", async () => {
    const project = await addProject(inst, { title: "Digital søknad om parkering", published: true, phase: "test" });
    const editor = await addEditor(inst);
    const rita = await signIn(inst, editor.email, editor.password);
    // The follow button on the project page.
    const page = await rita.agent.get(`/prosjekter/${project.slug}`).expect(200);
    expect(page.text).toContain("Følg prosjektet");
    await follow({ kind: "project", target: project.url, neste: `/prosjekter/${project.slug}` }, rita).expect(303).expect("location", `/prosjekter/${project.slug}`);
    expect((await rita.agent.get(`/prosjekter/${project.slug}`).expect(200)).text).toContain("Du følger prosjektet");

    // Rita switches off news of realised benefits.
    await rita.agent.post("/varsler/innstillinger").type("form")
      .send({ _csrf: rita.csrf, delivery: "daily", digestHour: "7", digestWeekday: "1", kinds: ["new-project", "phase", "imitated", "seeking-partners", "collaboration", "idea"] })
      .expect(303);
    const actor = { accountId: inst.admin!.id, name: "Anne Admin" };
    const moved = await inst.ctx.projects.update(inst.municipality!, project, { phase: "skalering" }, actor);
    await inst.ctx.projects.update(inst.municipality!, moved, { realisedBenefits: [{ kind: "tid", description: "Sparer 200 timer i året" }] }, actor);
    await inst.ctx.events.settled();
    const list = await rita.agent.get("/varsler").expect(200);
    expect(list.text).toContain("Fasen er endret fra Test til Skalering.");
    expect(list.text).not.toContain("realisert gevinst");
    const rita2 = await getAccountByEmail(inst.ctx.db, editor.email);
    expect((await notificationsSeen(inst)).filter((n) => n.accountId === rita2!.id)).toHaveLength(1);
  });

  it("tells the followers of a project of a request to join it, and of the answer", async () => {
    const project = await addProject(inst, { title: "Felles innkjøp av trygghetsalarmer", published: true, seekingPartners: true });
    await follow({ kind: "project", target: project.url }).expect(303);
    const request = await inst.ctx.collaboration.receive(project, {
      message: "Vi vil gjerne være med.",
      contactName: "Siri Sarpsborg",
      contactEmail: "siri@sarpsborg.test",
      fromActorUrl: "http://127.0.0.1:9/kommune/sarpsborg",
      fromMunicipalityName: "Sarpsborg kommune",
      activityId: "http://127.0.0.1:9/kommune/sarpsborg#join-1",
    });
    // The same Join delivered again is the same request: no second notification.
    await inst.ctx.collaboration.receive(project, {
      message: "Vi vil gjerne være med.", contactName: "Siri Sarpsborg", contactEmail: "siri@sarpsborg.test",
      fromActorUrl: "http://127.0.0.1:9/kommune/sarpsborg", fromMunicipalityName: "Sarpsborg kommune", activityId: "http://127.0.0.1:9/kommune/sarpsborg#join-1",
    });
    await inst.ctx.collaboration.decide(request.id, true, { accountId: inst.admin!.id, name: "Anne Admin" });
    await inst.ctx.events.settled();
    const reasons = (await notificationsSeen(inst)).filter((n) => n.kind === "collaboration" && n.accountId === inst.admin!.id).map((r) => r.reason);
    expect(reasons).toEqual(["Sarpsborg kommune ber om å få bli med i prosjektet.", "Forespørselen fra Sarpsborg kommune om å bli med er godtatt."]);
  });

  it("tells a staff member who submitted an idea when it is answered, unless they switched that off", async () => {
    const ideas = new IdeaService(inst.ctx.db, inst.ctx.events, inst.ctx.projects, { origin: inst.ctx.config.origin });
    const admin = inst.admin!;
    const idea = await ideas.submit(
      { title: "Felles bilpool for hjemmetjenesten", problem: "Bilene står stille om natten.", proposal: "Del dem med teknisk drift.", serviceArea: "helse-omsorg", submitterName: null, submitterEmail: null, showName: false },
      { kind: "staff", accountId: admin.id, name: admin.name, email: admin.email },
    );
    await ideas.changeState(idea.id, { state: "under_vurdering", reason: "Vi ser på kostnadene." }, { accountId: admin.id, name: admin.name, role: "admin" });
    await inst.ctx.events.settled();
    const [row] = (await notificationsSeen(inst)).filter((n) => n.kind === "idea" && n.accountId === admin.id).map(({ title, reason, link, groupLabel }) => ({ title, reason, link, groupLabel }));
    expect(row).toEqual({ title: "Felles bilpool for hjemmetjenesten", reason: "Idéen din har fått ny status: under vurdering. Vi ser på kostnadene.", link: `/ideer/${idea.id}`, groupLabel: "Dine idéer" });
  });

  it("tells nothing to a staff member whose account was disabled before their idea was answered", async () => {
    const ideas = new IdeaService(inst.ctx.db, inst.ctx.events, inst.ctx.projects, { origin: inst.ctx.config.origin });
    const admin = inst.admin!;
    await addEditor(inst, "sluttet@fredrikstad.test");
    const leaver = (await getAccountByEmail(inst.ctx.db, "sluttet@fredrikstad.test"))!;
    const idea = await ideas.submit(
      { title: "Lånesykler for ansatte", problem: "Korte turer tas med bil.", proposal: "Tre elsykler på rådhuset.", serviceArea: "helse-omsorg", submitterName: null, submitterEmail: null, showName: false },
      { kind: "staff", accountId: leaver.id, name: leaver.name, email: leaver.email },
    );
    await updateAccount(inst.ctx.db, leaver.id, { disabledAt: new Date() });
    const answered = await ideas.changeState(idea.id, { state: "under_vurdering", reason: "Vi ser på det." }, { accountId: admin.id, name: admin.name, role: "admin" });
    await inst.ctx.events.settled();
    // The answer itself is stored: it is the telling that stops.
    expect(answered.state).toBe("under_vurdering");
    expect((await notificationsSeen(inst)).filter((n) => n.accountId === leaver.id)).toEqual([]);
  });

  it("refuses a saved search with hostile parameters with a 400 naming the field, keeps what was typed, and stores nothing", async () => {
    const before = await count(inst, sql`select count(*)::int as n from subscriptions`);
    const hostile = "/sok?q=<script>alert(1)</script>&phase=drift&phase=%27%3B%20drop%20table%20projects%3B--&perPage=9999";
    const refused = await follow({ kind: "search", target: hostile }).expect(400);
    expect(refused.text).toContain("phase");
    expect(refused.text).toContain("ukjent fase");
    // The typed value comes back, escaped.
    expect(refused.text).toContain("value=\"/sok?q=&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(refused.text).not.toContain("<script>alert(1)");
    const unknown = await follow({ kind: "search", target: "q=x&__proto__=1&constructor=2" }).expect(400);
    expect(unknown.text).toContain("__proto__");
    expect(await count(inst, sql`select count(*)::int as n from subscriptions`)).toBe(before);
    expect(await count(inst, sql`select count(*)::int as n from projects`)).toBeGreaterThan(0);
  });

  it("matches a saved search with its words and filters through the index, and only projects that meet all of it", async () => {
    await follow({ kind: "search", target: "/sok?q=velferdsteknologi&serviceArea=helse-omsorg&scope=all" }).expect(303);
    // Words typed as they are make a search of their own (here: every area).
    await follow({ kind: "search", target: "trygghetsalarm" }).expect(303);
    const hvaler = await peerMunicipality(inst, "hvaler", "Hvaler kommune", "3110");
    await receiveRemote(inst, hvaler, "medisin", { title: "Velferdsteknologi i hjemmetjenesten", serviceAreas: ["helse-omsorg"] });
    await receiveRemote(inst, hvaler, "skole", { title: "Velferdsteknologi i skolen", serviceAreas: ["oppvekst-utdanning"] });
    await receiveRemote(inst, hvaler, "annet", { title: "Trygghetsalarm", serviceAreas: ["helse-omsorg"] });
    await inst.ctx.events.settled();
    const rows = (await notificationsSeen(inst)).filter((n) => n.groupLabel.startsWith("Søk: "));
    expect(rows.map((r) => r.title)).toEqual(["Velferdsteknologi i hjemmetjenesten", "Trygghetsalarm"]);
    expect(rows[0].reason).toContain("velferdsteknologi");
    expect(rows[1].reason).toBe("Nytt prosjekt som passer søket ditt: «trygghetsalarm».");
  });

  it("answers 404 naming the field for something that does not exist or is not public, and stores nothing", async () => {
    const before = await count(inst, sql`select count(*)::int as n from subscriptions`);
    const draft = await addProject(inst, { title: "Hemmelig utkast", published: false });
    const a = await follow({ kind: "project", target: draft.url }).expect(404);
    expect(a.text).toContain("prosjektet finnes ikke, eller er ikke publisert");
    await follow({ kind: "project", target: `${inst.url}/prosjekter/finnes-ikke` }).expect(404);
    await follow({ kind: "municipality", target: "https://ukjent.example/kommune/x" }).expect(404);
    const area = await follow({ kind: "service-area", target: "ukjent-omrade" }).expect(422);
    expect(area.text).toContain("ukjent tjenesteområde");
    await follow({ kind: "nonsense", target: "x" }).expect(400);
    expect(await count(inst, sql`select count(*)::int as n from subscriptions`)).toBe(before);
  });

  it("lets nobody stop someone else's follow, and asks a visitor to sign in", async () => {
    const [own] = rowsOf<{ id: string }>(await inst.ctx.db.execute(sql`select id from subscriptions where account_id = ${inst.admin!.id} limit 1`));
    const editor = await signIn(inst, "redaktor@fredrikstad.test", "redaktor-passord-1");
    await editor.agent.post(`/varsler/slutt/${own.id}`).type("form").send({ _csrf: editor.csrf }).expect(404);
    expect(await count(inst, sql`select count(*)::int as n from subscriptions where id = ${own.id}`)).toBe(1);
    const anonymous = await fetch(`${inst.url}/varsler`, { redirect: "manual" });
    expect(anonymous.status).toBe(303);
  });

  it("serves a service area's projects as Atom and as an ActivityPub collection", async () => {
    await addProject(inst, { title: "Trygghetsskjerm hjemme", published: true, serviceAreas: ["helse-omsorg"] });
    const atom = await fetch(`${inst.url}/prosjekter/omrade/helse-omsorg.atom`);
    expect(atom.headers.get("content-type")).toContain("application/atom+xml");
    const xml = await atom.text();
    expect(xml).toContain("<title>Helse og omsorg – Fredrikstad kommune</title>");
    expect(xml).toContain("Trygghetsskjerm hjemme");
    expect(xml).not.toContain("Digital søknad om parkering");
    const ap = await fetch(`${inst.url}/prosjekter/omrade/helse-omsorg`, { headers: { accept: "application/activity+json" } });
    const collection = await ap.json();
    expect(collection.type).toBe("OrderedCollection");
    expect(collection.orderedItems).toContain(`${inst.url}/prosjekter/trygghetsskjerm-hjemme`);
    const html = await fetch(`${inst.url}/prosjekter/omrade/helse-omsorg`, { redirect: "manual" });
    expect(html.status).toBe(303);
    expect((await fetch(`${inst.url}/prosjekter/omrade/ukjent.atom`)).status).toBe(404);
  });
});
