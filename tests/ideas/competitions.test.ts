import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { drivers } from "../helpers/databases.ts";
import { startTestInstance, type TestInstance } from "../helpers/instance.ts";
import { addEditor, csrfFrom, signIn, signInAdmin, type Agent } from "../http/pages-support.ts";
import { rowsOf } from "../../db/client.ts";
import { getIdea } from "../../db/ideas.ts";
import { getProject } from "../../db/projects.ts";
import { anIdea, ideaIdFrom, visitor } from "./support.ts";

const isoDay = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);

describe.each(drivers)("idea competitions on %s", (driver) => {
  let inst: TestInstance;
  let admin: { agent: Agent; csrf: string };
  let editor: { agent: Agent; csrf: string };
  let outsider: { agent: Agent; csrf: string };

  beforeAll(async () => {
    inst = await startTestInstance({ driver });
    admin = await signInAdmin(inst);
    const e = await addEditor(inst);
    editor = await signIn(inst, e.email, e.password);
    const o = await addEditor(inst, "utenfor@fredrikstad.test", "utenfor-passord-1");
    outsider = await signIn(inst, o.email, o.password);
  });
  afterAll(() => inst?.close());

  async function scores(): Promise<number> {
    const [row] = rowsOf<{ n: number }>(await inst.ctx.db.execute(sql`select count(*)::int as n from challenge_scores`));
    return Number(row.n);
  }

  it("runs a competition: opened with criteria and a jury, ideas submitted, scored on the scale, winners announced, a winner made a project", async () => {
    const form = await admin.agent.get("/admin/konkurranser/ny").expect(200);
    const editorId = rowsOf<{ id: string }>(await inst.ctx.db.execute(sql`select id from accounts where email = 'redaktor@fredrikstad.test'`))[0].id;
    const created = await admin.agent.post("/admin/konkurranser/ny").type("form").send({
      _csrf: csrfFrom(form.text),
      title: "Ensomhet blant eldre",
      problem: "Mange eldre som bor alene, snakker med noen **sjelden**.",
      eligibility: "Alle som bor eller jobber i kommunen",
      opensAt: isoDay(-1),
      closesAt: isoDay(30),
      "criteria.0.name": "Nytte", "criteria.0.description": "Hvor mye hjelper det?",
      "criteria.1.name": "Gjennomførbarhet", "criteria.1.description": "",
      scaleMax: "5",
      prizes: "Gavekort på 5 000 kr",
      jury: editorId,
    }).expect(303);
    const challengeId = /\/konkurranser\/([a-z0-9]+)/.exec(created.headers.location!)![1];

    const v = await visitor(inst);
    const publicPage = await v.agent.get(`/konkurranser/${challengeId}`).expect(200);
    expect(publicPage.text).toContain("Gavekort på 5 000 kr");
    expect(publicPage.text).toContain("Gjennomførbarhet");
    expect(publicPage.text).toContain(`/ideer/ny?konkurranse=${challengeId}`);
    expect(publicPage.text).not.toContain("/poeng");

    // A public submission, approved; a staff submission.
    await v.post("/ideer/ny", { ...anIdea, title: "Besøksvenner fra skolene", challenge: challengeId, nettside: "" }).expect(200);
    const pending = rowsOf<{ id: string }>(await inst.ctx.db.execute(sql`select id from ideas where title = 'Besøksvenner fra skolene'`))[0].id;
    const q = await editor.agent.get("/admin/ideer").expect(200);
    await editor.agent.post(`/admin/ideer/${pending}/moderer`).type("form").send({ _csrf: csrfFrom(q.text), decision: "approved" }).expect(303);
    const sf = await editor.agent.get(`/ideer/ny?konkurranse=${challengeId}`).expect(200);
    const staffIdea = ideaIdFrom((await editor.agent.post("/ideer/ny").type("form").send({ _csrf: csrfFrom(sf.text), ...anIdea, title: "Telefonvenn hver uke", challenge: challengeId }).expect(303)).headers.location);

    // The jury scores; out of the scale is refused and stores nothing.
    const juryPage = await editor.agent.get(`/konkurranser/${challengeId}`).expect(200);
    expect(juryPage.text).toContain("Gi poeng");
    const csrf = csrfFrom(juryPage.text);
    for (const bad of [["6", "3"], ["0", "3"], ["3", "2.5"], ["3", ""]]) {
      const res = await editor.agent.post(`/konkurranser/${challengeId}/poeng`).type("form").send({ _csrf: csrf, idea: pending, "score.0": bad[0], "score.1": bad[1] }).expect(422);
      expect(res.text).toMatch(/må være et helt tall fra 1 til 5/);
      expect(res.text).toContain(`value="${bad[0]}"`);
    }
    expect(await scores()).toBe(0);
    await editor.agent.post(`/konkurranser/${challengeId}/poeng`).type("form").send({ _csrf: csrf, idea: pending, "score.0": "5", "score.1": "4" }).expect(303);
    await editor.agent.post(`/konkurranser/${challengeId}/poeng`).type("form").send({ _csrf: csrf, idea: staffIdea, "score.0": "3", "score.1": "2" }).expect(303);
    await admin.agent.post(`/konkurranser/${challengeId}/poeng`).type("form").send({ _csrf: admin.csrf, idea: pending, "score.0": "4", "score.1": "4" }).expect(303);
    // Staff not on the jury may not score.
    await outsider.agent.post(`/konkurranser/${challengeId}/poeng`).type("form").send({ _csrf: outsider.csrf, idea: pending, "score.0": "1", "score.1": "1" }).expect(403);
    expect(await scores()).toBe(6);
    const results = await editor.agent.get(`/konkurranser/${challengeId}`).expect(200);
    // Mean per criterion over two jurors: 4,5 and 4; sum 8,5, ahead of 5.
    expect(results.text).toMatch(/Besøksvenner fra skolene<\/a><\/th><td>4,5<\/td><td>4<\/td><td>8,5<\/td><td>2<\/td>/);

    await editor.agent.post(`/konkurranser/${challengeId}/vinnere`).type("form").send({ _csrf: csrf, winners: pending, note: "Juryen likte at skolene blir med." }).expect(303);
    const announced = await v.agent.get(`/konkurranser/${challengeId}`).expect(200);
    const winners = announced.text.slice(announced.text.indexOf('id="vinnere"'), announced.text.indexOf("<h2>Forslag</h2>"));
    expect(winners).toContain("Juryen likte at skolene blir med.");
    expect(winners).toContain("Besøksvenner fra skolene");
    expect(winners).not.toContain("Telefonvenn hver uke");
    // After the announcement, no more scores.
    await editor.agent.post(`/konkurranser/${challengeId}/poeng`).type("form").send({ _csrf: csrf, idea: staffIdea, "score.0": "5", "score.1": "5" }).expect(422);

    // The winner becomes a project with one action, its text carried over.
    const ideaPage = await editor.agent.get(`/ideer/${pending}`).expect(200);
    await editor.agent.post(`/admin/ideer/${pending}/prosjekt`).type("form").send({ _csrf: csrfFrom(ideaPage.text) }).expect(303);
    const idea = (await getIdea(inst.ctx.db, pending))!;
    expect(idea.state).toBe("blitt_prosjekt");
    expect((await getProject(inst.ctx.db, idea.projectId!))!.description).toContain(anIdea.proposal);
  });
});
