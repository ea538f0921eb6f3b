import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { drivers } from "../helpers/databases.ts";
import { startTestInstance, type TestInstance } from "../helpers/instance.ts";
import { addEditor, csrfFrom, signIn, signInAdmin, type Agent } from "../http/pages-support.ts";
import { rowsOf } from "../../db/client.ts";
import { getIdea } from "../../db/ideas.ts";
import { listMail } from "../../db/mail-outbox.ts";
import { anIdea, countIdeas, ideaIdFrom, visitor } from "./support.ts";

describe.each(drivers)("bad input to ideas on %s", (driver) => {
  let inst: TestInstance;
  let admin: { agent: Agent; csrf: string };

  beforeAll(async () => {
    inst = await startTestInstance({ driver });
    admin = await signInAdmin(inst);
  });
  afterAll(() => inst?.close());

  it("refuses a flood from one address after five ideas in an hour, keeping what was typed; another address still gets through", async () => {
    const v = await visitor(inst);
    const before = await countIdeas(inst);
    for (let i = 0; i < 5; i++) await v.post("/ideer/ny", { ...anIdea, title: `Idé nummer ${i}`, nettside: "" }).expect(200);
    const refused = await v.post("/ideer/ny", { ...anIdea, title: "Den sjette idéen", nettside: "" }).expect(429);
    expect(refused.headers["retry-after"]).toMatch(/^\d+$/);
    expect(refused.text).toContain("Du har sendt mange idéer på kort tid");
    expect(refused.text).toContain('value="Den sjette idéen"');
    expect(await countIdeas(inst)).toBe(before + 5);
    await (await visitor(inst)).post("/ideer/ny", { ...anIdea, title: "Fra en annen adresse", nettside: "" }).expect(200);
    expect(await countIdeas(inst)).toBe(before + 6);
  });

  it("holds one address to five ideas an hour when it sends them all at once", async () => {
    const v = await visitor(inst);
    const before = await countIdeas(inst);
    const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => v.post("/ideer/ny", { ...anIdea, title: `Samtidig idé ${i}`, nettside: "" })));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 200, 200, 429, 429, 429]);
    expect(await countIdeas(inst)).toBe(before + 5);
  });

  it("refuses at the form an address the mail could not be sent to, naming the field and storing nothing", async () => {
    const before = await countIdeas(inst);
    for (const address of ["ola@exa_mple.no", "ola@eksempel..no", `${"o".repeat(70)}@eksempel.no`]) {
      const res = await (await visitor(inst)).post("/ideer/ny", { ...anIdea, submitterName: "Ola", submitterEmail: address, nettside: "" }).expect(422);
      expect(res.text).toMatch(/name="submitterEmail"[^>]*aria-invalid="true"/);
      expect(res.text).toContain(`value="${address}"`);
    }
    expect(await countIdeas(inst)).toBe(before);
  });

  it("refuses a filled honeypot and stores nothing", async () => {
    const before = await countIdeas(inst);
    const res = await (await visitor(inst)).post("/ideer/ny", { ...anIdea, nettside: "https://spam.example" }).expect(422);
    expect(res.text).toContain("et felt som skal stå tomt, var fylt ut");
    expect(res.text).toContain(`value="${anIdea.title}"`);
    expect(await countIdeas(inst)).toBe(before);
  });

  it("refuses 100 kB of text naming the field, keeping every typed value", async () => {
    const before = await countIdeas(inst);
    const res = await (await visitor(inst)).post("/ideer/ny", { ...anIdea, proposal: "x".repeat(100_000), submitterName: "Ola", nettside: "" }).expect(422);
    expect(res.text).toMatch(/Hva er idéen din\?[^<]*–[^<]*10000|kan ikke være lengre enn 10000|10 ?000/);
    expect(res.text).toContain('value="Ola"');
    expect(res.text).toContain(anIdea.problem);
    expect(await countIdeas(inst)).toBe(before);
  });

  it("stores hostile Markdown and HTML as typed but shows it sanitised", async () => {
    const hostile = [
      "<script>alert(1)</script>",
      "<img src=x onerror=alert(2)>",
      "[klikk](javascript:alert(3))",
      '<a href="https://example.no" onclick="alert(4)">lenke</a>',
      "<iframe src=https://evil.example></iframe>",
      "**fet**",
    ].join("\n\n");
    const form = await admin.agent.get("/ideer/ny").expect(200);
    const res = await admin.agent.post("/ideer/ny").type("form").send({ _csrf: csrfFrom(form.text), ...anIdea, title: "<b>Tittel</b> med HTML", proposal: hostile }).expect(303);
    const id = ideaIdFrom(res.headers.location);
    expect((await getIdea(inst.ctx.db, id))!.proposal).toBe(hostile);
    const page = await (await visitor(inst)).agent.get(`/ideer/${id}`).expect(200);
    const main = page.text.slice(page.text.indexOf("<main"), page.text.indexOf("</main>"));
    expect(main).not.toMatch(/<script|onerror|onclick|javascript:|<iframe|<img/i);
    expect(main).toContain("<strong>fet</strong>");
    expect(main).toContain("&lt;b&gt;Tittel&lt;/b&gt; med HTML");
  });

  it.each([
    ["submitterName", { submitterName: "Kari\r\nBcc: alle@example.no", submitterEmail: "kari@example.no" }],
    ["submitterName", { submitterName: 'Kari" <evil@example.no>', submitterEmail: "kari@example.no" }],
    ["submitterEmail", { submitterName: "Kari", submitterEmail: "kari@example.no\r\nBcc: alle@example.no" }],
    ["submitterEmail", { submitterName: "Kari", submitterEmail: "kari@example.no, alle@example.no" }],
  ])("refuses e-mail header injection in %s, storing nothing and queueing no mail", async (field, over) => {
    const before = await countIdeas(inst);
    const mails = (await listMail(inst.ctx.db)).length;
    const res = await (await visitor(inst)).post("/ideer/ny", { ...anIdea, ...over, nettside: "" }).expect(422);
    expect(res.text).toContain(`f-${field}-feil`);
    expect(await countIdeas(inst)).toBe(before);
    expect((await listMail(inst.ctx.db)).length).toBe(mails);
  });

  it("refuses a submission to a closed competition, and one to a competition that does not exist", async () => {
    const page = await admin.agent.get("/admin/konkurranser/ny").expect(200);
    const created = await admin.agent.post("/admin/konkurranser/ny").type("form").send({
      _csrf: csrfFrom(page.text), title: "Mindre matsvinn i kantinene", problem: "Vi kaster for mye mat.", eligibility: "Alle",
      opensAt: "2024-01-01", closesAt: "2024-02-01", "criteria.0.name": "Nytte", "criteria.0.description": "", scaleMax: "5", prizes: "",
    }).expect(303);
    const challengeId = /\/konkurranser\/([a-z0-9]+)/.exec(created.headers.location!)![1];
    const before = await countIdeas(inst);
    const v = await visitor(inst);
    const closed = await v.post("/ideer/ny", { ...anIdea, challenge: challengeId, nettside: "" }).expect(422);
    expect(closed.text).toContain("konkurransen er stengt for nye forslag");
    expect(closed.text).toContain(`value="${anIdea.title}"`);
    await v.post("/ideer/ny", { ...anIdea, challenge: "finnesikke1", nettside: "" }).expect(404);
    expect(await countIdeas(inst)).toBe(before);
    // The challenge page says so and offers no form.
    const c = await v.agent.get(`/konkurranser/${challengeId}`).expect(200);
    expect(c.text).toContain("Konkurransen er stengt for nye forslag.");
    expect(c.text).not.toContain(`/ideer/ny?konkurranse=${challengeId}`);
  });

  it("refuses a challenge whose period ends before it starts, or with a scale outside 2–10, keeping the values", async () => {
    const page = await admin.agent.get("/admin/konkurranser/ny").expect(200);
    const res = await admin.agent.post("/admin/konkurranser/ny").type("form").send({
      _csrf: csrfFrom(page.text), title: "Baklengs", problem: "P", eligibility: "Alle", opensAt: "2030-02-01", closesAt: "2030-01-01",
      "criteria.0.name": "Nytte", scaleMax: "100",
    }).expect(422);
    expect(res.text).toContain("må være etter åpningsdatoen");
    expect(res.text).toContain("må være fra 2 til 10");
    expect(res.text).toContain('value="Baklengs"');
    const [row] = rowsOf<{ n: number }>(await inst.ctx.db.execute(sql`select count(*)::int as n from challenges where title = 'Baklengs'`));
    expect(Number(row.n)).toBe(0);
  });

  it("refuses a retention period outside 30–3650 days, and an editor who tries to set it", async () => {
    const page = await admin.agent.get("/admin/ideer").expect(200);
    const res = await admin.agent.post("/admin/ideer/oppbevaring").type("form").send({ _csrf: csrfFrom(page.text), retentionDays: "5" }).expect(422);
    expect(res.text).toContain("fra 30 til 3650");
    expect(res.text).toContain('value="5"');
    const e = await addEditor(inst, "redaktor2@fredrikstad.test");
    const editor = await signIn(inst, e.email, e.password);
    const q = await editor.agent.get("/admin/ideer").expect(200);
    expect(q.text).not.toContain("oppbevaring");
    await editor.agent.post("/admin/ideer/oppbevaring").type("form").send({ _csrf: csrfFrom(q.text), retentionDays: "40" }).expect(403);
  });
});
