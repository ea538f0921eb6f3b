import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { drivers } from "../helpers/databases.ts";
import { startTestInstance, type TestInstance } from "../helpers/instance.ts";
import { addProject, csrfFrom, signInAdmin, type Agent } from "./pages-support.ts";

describe.each(drivers)("imitation and collaboration pages (%s)", (driver) => {
  let inst: TestInstance;
  let agent: Agent;
  let csrf: string;

  beforeAll(async () => {
    inst = await startTestInstance({ driver });
    ({ agent, csrf } = await signInAdmin(inst));
  });
  afterAll(() => inst?.close());

  it("lets staff imitate from the project page, then shows the spread, the lineage and adopters' results", async () => {
    const original = await addProject(inst, {
      title: "Digitalt nattilsyn", phase: "drift", published: true,
      contacts: [{ name: "Nina Natt", role: "Leder", email: "nina@fredrikstad.test" }],
    });
    const publicPage = await request(inst.app).get(`/prosjekter/${original.slug}`).expect(200);
    expect(publicPage.text).not.toContain('action="/admin/imitasjoner"');
    expect(publicPage.text).toContain("Ingen andre kommuner har imitert dette ennå.");

    // No "Imiter" on one's own project (issue 15); the imitation route itself still takes it.
    const staffPage = await agent.get(`/prosjekter/${original.slug}`).expect(200);
    expect(staffPage.text).not.toContain('action="/admin/imitasjoner"');
    const created = await agent.post("/admin/imitasjoner").type("form").send({ _csrf: csrfFrom(staffPage.text), original: original.url }).expect(303);
    const editPath = created.headers.location as string;
    expect(editPath).toMatch(/^\/admin\/prosjekter\/[a-z0-9]+\/rediger$/);
    const copyId = editPath.split("/")[3];

    await request(inst.app).patch(`/api/v1/projects/${copyId}`).set({ Authorization: `Bearer ${inst.adminToken}` })
      .send({ adaptation: "Vi startet med to bofellesskap.", published: true, realisedBenefits: [{ kind: "tid", description: "Færre nattlige utrykninger" }] })
      .expect(200);
    await inst.ctx.events.settled();

    const after = await request(inst.app).get(`/prosjekter/${original.slug}`).expect(200);
    expect(after.text).toContain("Imitert av 1 kommune");
    expect(after.text).toContain("Resultater hos dem som har tatt dette i bruk");
    expect(after.text).toContain("Færre nattlige utrykninger");
    expect(after.text).toContain("Vi startet med to bofellesskap.");
    const copy = await request(inst.app).get(`/api/v1/projects/${copyId}`).expect(200);
    const copyPage = await request(inst.app).get(`/prosjekter/${copy.body.slug}`).expect(200);
    expect(copyPage.text).toMatch(/<h3>Bygger på<\/h3><ol class="lineage"><li><a href="\/prosjekter\/[^"]+">Digitalt nattilsyn<\/a>/);
  });

  it("refuses an imitation without a CSRF token, and of an unknown project", async () => {
    const original = await addProject(inst, { title: "Uten token", published: true });
    await agent.post("/admin/imitasjoner").type("form").send({ original: original.url }).expect(403);
    await agent.post("/admin/imitasjoner").type("form").send({ _csrf: csrf, original: "https://ukjent.test/prosjekter/x" }).expect(404);
    await request(inst.app).post("/admin/imitasjoner").type("form").send({ original: original.url }).expect(403);
  });

  it("lists collaboration requests for staff, who accept them with a form", async () => {
    const p = await addProject(inst, { title: "Felles innkjøp", seekingPartners: true, published: true });
    const r = await inst.ctx.collaboration.receive(p, {
      fromActorUrl: "https://sarpsborg.test/kommune/sarpsborg", fromMunicipalityName: "Sarpsborg kommune",
      message: "<b>Vi</b> vil være med", contactName: "Siri", contactEmail: "siri@sarpsborg.test",
    });
    const list = await agent.get("/admin/samarbeid").expect(200);
    expect(list.text).toContain("&lt;b&gt;Vi&lt;/b&gt; vil være med");
    expect(list.text).toContain(`action="/admin/samarbeid/${r.id}/godta"`);
    await agent.post(`/admin/samarbeid/${r.id}/godta`).type("form").send({ _csrf: csrfFrom(list.text) }).expect(303);
    const page = await request(inst.app).get(`/prosjekter/${p.slug}`).expect(200);
    expect(page.text).toContain("Sarpsborg kommune");
    expect((await agent.get("/admin/samarbeid").expect(200)).text).toContain("Godtatt");
    await request(inst.app).get("/admin/samarbeid").expect(303);
  });
});
