import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { drivers } from "../helpers/databases.ts";
import { startTestInstance, type TestInstance } from "../helpers/instance.ts";
import { addEditor, addProject, csrfFrom, expectNb, signIn, signInAdmin, type Agent } from "../http/pages-support.ts";
import { startSmtp, type TestSmtp } from "../mail/smtp-server.ts";
import { getIdea, stateHistory } from "../../db/ideas.ts";
import { getProject } from "../../db/projects.ts";
import { rowsOf } from "../../db/client.ts";
import { upsertRemoteMunicipality } from "../../db/municipalities.ts";
import { upsertRemoteProject } from "../../db/remote-projects.ts";
import { emptyContent } from "../../core/project.ts";
import { anIdea, countIdeas, ideaIdFrom, visitor } from "./support.ts";
import { until } from "../helpers/until.ts";

describe.each(drivers)("ideas on %s", (driver) => {
  let inst: TestInstance;
  let smtp: TestSmtp;
  let admin: { agent: Agent; csrf: string };
  let editor: { agent: Agent; csrf: string };

  beforeAll(async () => {
    smtp = await startSmtp();
    inst = await startTestInstance({ driver, env: { SMTP_URL: smtp.url } });
    admin = await signInAdmin(inst);
    const e = await addEditor(inst);
    editor = await signIn(inst, e.email, e.password);
    // A handful of other projects, so that the search can tell telling words from common ones.
    for (const [title, summary] of [
      ["Fallsensorer for eldre", "Sensorer varsler alarmsentralen når eldre faller hjemme."],
      ["Digital byggesøknad", "Byggesøknader sendes og behandles på nett."],
      ["Overvann som ressurs", "Regnvann ledes til parker i stedet for kloakken."],
      ["Familiekontakt", "Én dør inn for familier som trenger hjelp."],
    ]) await addProject(inst, { title, summary, published: true } as never);
    await addProject(inst, { title: "Badevakter på strendene", summary: "Trygg bading for barn i sjøen om sommeren med badevakt.", floke: "Barn bader uten tilsyn.", published: true } as never);
    await inst.ctx.events.settled();
  });
  afterAll(async () => {
    await inst?.close();
    await smtp?.close();
  });

  const mailsTo = (address: string) => smtp.received.filter((m) => m.to.includes(address));

  async function answer(id: string, form: Record<string, string>, status = 303) {
    const page = await editor.agent.get(`/ideer/${id}`).expect(200);
    return editor.agent.post(`/admin/ideer/${id}/status`).type("form").send({ _csrf: csrfFrom(page.text), projectUrl: "", ...form }).expect(status);
  }

  it("a visitor without an account submits an idea; it waits for moderation, then shows, and each answer reaches them by e-mail", async () => {
    const v = await visitor(inst);
    const sent = await v.post("/ideer/ny", { ...anIdea, submitterName: "Kari Nordmann", submitterEmail: "kari@example.no", showName: "true", nettside: "" }).expect(200);
    expectNb(sent.text);
    expect(sent.text).toContain("Takk for idéen");
    const [row] = rowsOf<{ id: string; moderation: string }>(await inst.ctx.db.execute(sql`select id, moderation from ideas where title = ${anIdea.title}`));
    expect(row.moderation).toBe("pending");
    // Not public before moderation.
    expect((await v.agent.get("/ideer").expect(200)).text).not.toContain(anIdea.title);
    await v.agent.get(`/ideer/${row.id}`).expect(404);
    // A receipt arrives.
    await until(async () => mailsTo("kari@example.no").length >= 1, "the receipt");
    expect(mailsTo("kari@example.no")[0].headers.to).toContain("Kari Nordmann");

    const queue = await editor.agent.get("/admin/ideer").expect(200);
    expect(queue.text).toContain(anIdea.title);
    await editor.agent.post(`/admin/ideer/${row.id}/moderer`).type("form").send({ _csrf: csrfFrom(queue.text), decision: "approved" }).expect(303);
    const list = await v.agent.get("/ideer").expect(200);
    expect(list.text).toContain(anIdea.title);
    const page = await v.agent.get(`/ideer/${row.id}`).expect(200);
    expect(page.text).toContain("Kari Nordmann");
    expect(page.text).toContain("<strong>badevakter</strong>");

    await answer(row.id, { state: "under_vurdering", reason: "Vi ser på kostnadene sammen med Redningsselskapet." });
    await answer(row.id, { state: "avslatt", reason: "For dyrt i år; vi prøver igjen neste sommer." });
    const after = await v.agent.get(`/ideer/${row.id}`).expect(200);
    expect(after.text).toContain("Vi ser på kostnadene sammen med Redningsselskapet.");
    expect(after.text).toContain("For dyrt i år; vi prøver igjen neste sommer.");
    expect(after.text.indexOf("Redningsselskapet")).toBeLessThan(after.text.indexOf("For dyrt"));
    const mails = await until(async () => (mailsTo("kari@example.no").length >= 3 ? mailsTo("kari@example.no") : undefined), "two answers by e-mail");
    expect(mails.map((m) => m.text).join("\n")).toContain("For dyrt i år; vi prøver igjen neste sommer.");
    expect(mails).toHaveLength(3);
  });

  it("a staff idea is shown at once, becomes a project with its text, and is put to use when the project reaches Drift", async () => {
    const form = await editor.agent.get("/ideer/ny").expect(200);
    expect(form.text).not.toContain('name="submitterEmail"');
    const res = await editor.agent.post("/ideer/ny").type("form")
      .send({ _csrf: csrfFrom(form.text), title: "Digital søknad om parkeringstillatelse", problem: "Søknaden er på papir og tar tre uker.", proposal: "Et skjema på nett med automatisk svar.", serviceArea: "teknisk-miljo" })
      .expect(303);
    const id = ideaIdFrom(res.headers.location);
    expect((await (await visitor(inst)).agent.get("/ideer").expect(200)).text).toContain("Digital søknad om parkeringstillatelse");

    const page = await editor.agent.get(`/ideer/${id}`).expect(200);
    const made = await editor.agent.post(`/admin/ideer/${id}/prosjekt`).type("form").send({ _csrf: csrfFrom(page.text) }).expect(303);
    const idea = (await getIdea(inst.ctx.db, id))!;
    expect(idea.state).toBe("blitt_prosjekt");
    const project = (await getProject(inst.ctx.db, idea.projectId!))!;
    expect(made.headers.location).toBe(`/admin/prosjekter/${project.id}/rediger`);
    expect(project.title).toBe("Digital søknad om parkeringstillatelse");
    expect(project.description).toContain("Søknaden er på papir og tar tre uker.");
    expect(project.description).toContain("Et skjema på nett med automatisk svar.");
    expect((await (await visitor(inst)).agent.get(`/ideer/${id}`).expect(200)).text).toContain(project.title);

    await inst.ctx.projects.update(inst.municipality!, project, { phase: "drift", published: true } as never, { accountId: inst.admin!.id, name: "Anne Admin" });
    await until(async () => (await getIdea(inst.ctx.db, id))?.state === "tatt_i_bruk", "the idea to be put to use");
    const history = await stateHistory(inst.ctx.db, id);
    expect(history.map((h) => h.state)).toEqual(["blitt_prosjekt", "tatt_i_bruk"]);
    expect(history[1].reason).toContain("i drift");
  });

  it("refuses a state change from someone who is not signed in, and one without a public reason", async () => {
    const v = await visitor(inst);
    const staffIdea = await editor.agent.get("/ideer/ny").expect(200);
    const res = await editor.agent.post("/ideer/ny").type("form").send({ _csrf: csrfFrom(staffIdea.text), ...anIdea, title: "Lys i lysløypa hele natten" }).expect(303);
    const id = ideaIdFrom(res.headers.location);
    const anon = await v.post(`/admin/ideer/${id}/status`, { state: "avslatt", reason: "Nei." });
    expect(anon.status).toBe(303);
    expect(anon.headers.location).toMatch(/^\/logg-inn/);
    const noReason = await answer(id, { state: "avslatt", reason: "" }, 422);
    expect(noReason.text).toContain("begrunnelse");
    const noProject = await answer(id, { state: "blitt_prosjekt", reason: "Se prosjektet." }, 422);
    expect(noProject.text).toContain("oppgi prosjektet");
    expect(noProject.text).toContain("Se prosjektet.");
    expect((await getIdea(inst.ctx.db, id))!.state).toBe("mottatt");
    expect(await stateHistory(inst.ctx.db, id)).toHaveLength(0);
  });

  it("links an idea to a project by its address, and finds similar ideas and projects for staff", async () => {
    const form = await editor.agent.get("/ideer/ny").expect(200);
    const res = await editor.agent.post("/ideer/ny").type("form")
      .send({ _csrf: csrfFrom(form.text), title: "Badevakt ved sjøen for barn", problem: "Barn bader i sjøen uten tilsyn om sommeren.", proposal: "Badevakter på strendene i ferien." })
      .expect(303);
    const id = ideaIdFrom(res.headers.location);
    const page = await editor.agent.get(`/ideer/${id}`).expect(200);
    const similar = page.text.slice(page.text.indexOf('id="lignende"'));
    expect(similar).toContain("Badevakt på stranda om sommeren");
    expect(similar).toContain("Badevakter på strendene");
    expect(similar).not.toContain("Digital søknad om parkeringstillatelse");
  });

  it("makes one project of an idea however often the button is pressed, also at the same time", async () => {
    const form = await editor.agent.get("/ideer/ny").expect(200);
    const made = await editor.agent.post("/ideer/ny").type("form")
      .send({ _csrf: csrfFrom(form.text), title: "Benker langs turstien", problem: "Eldre må hvile på turen rundt vannet.", proposal: "Sett ut benker." })
      .expect(303);
    const id = ideaIdFrom(made.headers.location);
    const page = await editor.agent.get(`/ideer/${id}`).expect(200);
    const press = () => editor.agent.post(`/admin/ideer/${id}/prosjekt`).type("form").send({ _csrf: csrfFrom(page.text) });
    const answers = await Promise.all([press(), press(), press()]);
    expect(answers.map((a) => a.status).sort()).toEqual([303, 409, 409]);
    expect((await press()).status).toBe(409);
    const [row] = rowsOf<{ n: number }>(await inst.ctx.db.execute(sql`select count(*)::int as n from projects where title = 'Benker langs turstien'`));
    expect(Number(row.n)).toBe(1);
    expect((await stateHistory(inst.ctx.db, id)).map((h) => h.state)).toEqual(["blitt_prosjekt"]);
  });

  it("refuses to merge an idea into one the public may not see (waiting for moderation), so its title never shows", async () => {
    const v = await visitor(inst);
    await v.post("/ideer/ny", { ...anIdea, title: "Hemmelig ventende forslag", nettside: "" }).expect(200);
    const [pending] = rowsOf<{ id: string }>(await inst.ctx.db.execute(sql`select id from ideas where title = 'Hemmelig ventende forslag'`));
    const form = await editor.agent.get("/ideer/ny").expect(200);
    const made = await editor.agent.post("/ideer/ny").type("form")
      .send({ _csrf: csrfFrom(form.text), title: "Lyskryss ved skolen", problem: "Barn krysser veien uten lys om morgenen.", proposal: "Sett opp lyskryss." })
      .expect(303);
    const id = ideaIdFrom(made.headers.location);
    const page = await editor.agent.get(`/ideer/${id}`).expect(200);
    const refused = await editor.agent.post(`/admin/ideer/${id}/slaa-sammen`).type("form").send({ _csrf: csrfFrom(page.text), into: pending.id });
    expect(refused.status).toBe(422);
    expect((await getIdea(inst.ctx.db, id))!.mergedInto).toBeNull();
    const shown = await v.agent.get(`/ideer/${id}`).expect(200);
    expect(shown.text).not.toContain("Hemmelig ventende forslag");
  });

  it("lets the submitter erase their own name and address with the link in their e-mail; a tampered link erases nothing", async () => {
    const v = await visitor(inst);
    await v.post("/ideer/ny", { ...anIdea, title: "Sykkelparkering ved stasjonen", submitterName: "Per Hansen", submitterEmail: "per@example.no", showName: "true", nettside: "" }).expect(200);
    const receipt = await until(async () => mailsTo("per@example.no")[0], "the receipt");
    const link = /(http:\/\/127\.0\.0\.1:\d+\/ideer\/([a-z0-9]+)\/slett-meg\?n=[\w-]+)/.exec(receipt.text)!;
    const [, href, id] = link;
    const path = href.replace(inst.url, "");
    await v.agent.get(path.replace(/n=./, "n=X")).expect(403);
    const confirm = await v.agent.get(path).expect(200);
    expect(confirm.text).toContain("Slett opplysningene mine");
    expect((await getIdea(inst.ctx.db, id))!.submitterEmail).toBe("per@example.no");
    const token = new URL(href).searchParams.get("n")!;
    const bad = await v.agent.post(`/ideer/${id}/slett-meg`).type("form").send({ _csrf: csrfFrom(confirm.text), n: `${token.slice(0, -1)}${token.endsWith("A") ? "B" : "A"}` });
    expect(bad.status).toBe(403);
    expect((await getIdea(inst.ctx.db, id))!.submitterName).toBe("Per Hansen");
    const done = await v.agent.post(`/ideer/${id}/slett-meg`).type("form").send({ _csrf: csrfFrom(confirm.text), n: token }).expect(200);
    expect(done.text).toContain("er slettet");
    const idea = (await getIdea(inst.ctx.db, id))!;
    expect([idea.submitterName, idea.submitterEmail]).toEqual([null, null]);
  });

  it("records each answer in the journal, naming a staff submitter's account (for notifications), and mails no second copy", async () => {
    const form = await editor.agent.get("/ideer/ny").expect(200);
    const id = ideaIdFrom((await editor.agent.post("/ideer/ny").type("form").send({ _csrf: csrfFrom(form.text), ...anIdea, title: "Felles kalender for gymsalene" }).expect(303)).headers.location);
    await answer(id, { state: "under_vurdering", reason: "Vi sjekker bookingsystemet." });
    const [event] = rowsOf<{ payload: { ideaId: string; state: string; submitterAccountId: string | null } }>(
      await inst.ctx.db.execute(sql`select payload from domain_events where name = 'idea.answered' and payload->>'ideaId' = ${id}`),
    );
    const editorId = rowsOf<{ id: string }>(await inst.ctx.db.execute(sql`select id from accounts where email = 'redaktor@fredrikstad.test'`))[0].id;
    expect(event.payload).toMatchObject({ ideaId: id, state: "under_vurdering", submitterAccountId: editorId });
    // The notification tells them; the receipt mail went out, the answer mail does not.
    const mails = rowsOf<{ dedupe_key: string }>(await inst.ctx.db.execute(sql`select dedupe_key from mail_outbox where dedupe_key like ${`idea:${id}:%`}`)).map((r) => r.dedupe_key);
    expect(mails).toEqual([`idea:${id}:received`]);
  });

  it("an idea that became another municipality's project is put to use when that project reaches Drift", async () => {
    const peer = await upsertRemoteMunicipality(inst.ctx.db, { actorUrl: "https://sarpsborg.example/kommune/sarpsborg", handle: "sarpsborg", domain: "sarpsborg.example", name: "Sarpsborg kommune" });
    const copy = (phase: "test" | "drift", at: Date) => upsertRemoteProject(inst.ctx.db, peer, {
      url: "https://sarpsborg.example/prosjekter/trygge-skoleveier", slug: "trygge-skoleveier",
      content: { ...emptyContent({ title: "Trygge skoleveier", summary: "Gangfelt med lys.", phase }) }, descriptionHtml: "", imitationOf: null, publishedAt: at, updatedAt: at,
    });
    await copy("test", new Date(Date.now() - 60_000));
    const form = await editor.agent.get("/ideer/ny").expect(200);
    const id = ideaIdFrom((await editor.agent.post("/ideer/ny").type("form").send({ _csrf: csrfFrom(form.text), ...anIdea, title: "Lys i gangfeltene ved skolen" }).expect(303)).headers.location);
    await answer(id, { state: "blitt_prosjekt", reason: "Sarpsborg gjør dette alt; vi er med.", projectUrl: "https://sarpsborg.example/prosjekter/trygge-skoleveier" });
    expect((await getIdea(inst.ctx.db, id))!.state).toBe("blitt_prosjekt");
    const inDrift = (await copy("drift", new Date()))!;
    await inst.ctx.events.emit("remote.project.upserted", { project: inDrift });
    await until(async () => (await getIdea(inst.ctx.db, id))?.state === "tatt_i_bruk", "the idea to be put to use");
  });
});
