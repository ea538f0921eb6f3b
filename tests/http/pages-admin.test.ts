import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { drivers } from "../helpers/databases.ts";
import { startTestInstance, type TestInstance } from "../helpers/instance.ts";
import { createAccount, createSession, getAccountByEmail, listAccounts, listApiTokens, updateAccount } from "../../db/accounts.ts";
import { getLocalMunicipality } from "../../db/municipalities.ts";
import { csrfFrom, expectNb, signIn, signInAdmin, type Agent } from "./pages-support.ts";

describe.each(drivers)("administrator pages on %s", (driver) => {
  let inst: TestInstance;
  let admin: { agent: Agent; csrf: string };

  beforeAll(async () => {
    inst = await startTestInstance({ driver });
    admin = await signInAdmin(inst);
  });
  afterAll(() => inst?.close());

  it("edits the profile and the municipality's own strategic areas", async () => {
    const page = await admin.agent.get("/admin/kommune").expect(200);
    expectNb(page.text);
    expect(page.text).toContain('value="Grønt skifte"');
    const bad = await admin.agent.post("/admin/kommune").type("form").send({
      _csrf: admin.csrf, name: "F", kommunenummer: "31", website: "ftp://fredrikstad.test",
      "strategicAreas.0.label": "Smart kommune", "strategicAreas.0.slug": "Ugyldig Slug!",
    }).expect(400);
    expect(bad.text).toContain('href="#f-name"');
    expect(bad.text).toContain('href="#f-kommunenummer"');
    expect(bad.text).toContain('href="#f-website"');
    expect(bad.text).toContain('href="#f-strategicAreas-0-slug"');
    expect((await getLocalMunicipality(inst.ctx.db))!.name).toBe("Fredrikstad kommune");

    await admin.agent.post("/admin/kommune").type("form").send({
      _csrf: admin.csrf,
      name: "Fredrikstad kommune",
      kommunenummer: "3107",
      fylke: "Østfold",
      region: "Nedre Glomma",
      website: "https://www.fredrikstad.kommune.no",
      description: "Byen ved Glommas utløp.",
      "strategicAreas.0.label": "Smart kommune", "strategicAreas.0.slug": "smart-kommune",
      "strategicAreas.1.label": "Bærekraftig byutvikling", "strategicAreas.1.slug": "",
      "strategicAreas.2.label": "", "strategicAreas.2.slug": "",
    }).expect(303).expect("location", "/admin/kommune?melding=lagret");
    const m = (await getLocalMunicipality(inst.ctx.db))!;
    expect(m.region).toBe("Nedre Glomma");
    expect(m.strategicAreas).toEqual([
      { slug: "smart-kommune", label: "Smart kommune" },
      { slug: "baerekraftig-byutvikling", label: "Bærekraftig byutvikling" },
    ]);
    const profile = await request(inst.app).get("/kommune/fredrikstad").expect(200);
    expect(profile.text).toContain("Nedre Glomma");
    expect(profile.text).toContain("Bærekraftig byutvikling");
  });

  it("creates staff accounts, changes roles, disables, and never leaves zero active administrators", async () => {
    const dup = await admin.agent.post("/admin/ansatte").type("form")
      .send({ _csrf: admin.csrf, name: "Dobbel", email: inst.admin!.email, role: "editor", password: "et-langt-passord-1" }).expect(422);
    expect(dup.text).toContain("finnes allerede");
    const short = await admin.agent.post("/admin/ansatte").type("form")
      .send({ _csrf: admin.csrf, name: "Per", email: "per@fredrikstad.test", role: "sjef", password: "kort" }).expect(400);
    expect(short.text).toContain('href="#f-role"');
    expect(short.text).toContain("må ha minst 12 tegn");
    expect(await getAccountByEmail(inst.ctx.db, "per@fredrikstad.test")).toBeUndefined();

    await admin.agent.post("/admin/ansatte").type("form")
      .send({ _csrf: admin.csrf, name: "Per Redaktør", email: "per@fredrikstad.test", role: "editor", password: "pers-lange-passord" })
      .expect(303);
    const per = (await getAccountByEmail(inst.ctx.db, "per@fredrikstad.test"))!;
    expect(per.role).toBe("editor");
    const perSession = await signIn(inst, "per@fredrikstad.test", "pers-lange-passord");

    // The only administrator cannot be demoted or disabled.
    const adminId = inst.admin!.id;
    const demote = await admin.agent.post(`/admin/ansatte/${adminId}/rolle`).type("form").send({ _csrf: admin.csrf, role: "editor" }).expect(409);
    expect(demote.text).toContain("minst én aktiv administrator");
    await admin.agent.post(`/admin/ansatte/${adminId}/deaktiver`).type("form").send({ _csrf: admin.csrf }).expect(409);
    expect((await getAccountByEmail(inst.ctx.db, inst.admin!.email))!.role).toBe("admin");

    // Promote Per; now the first administrator could step down.
    await admin.agent.post(`/admin/ansatte/${per.id}/rolle`).type("form").send({ _csrf: admin.csrf, role: "admin" }).expect(303);
    expect((await getAccountByEmail(inst.ctx.db, "per@fredrikstad.test"))!.role).toBe("admin");
    await admin.agent.post(`/admin/ansatte/${per.id}/rolle`).type("form").send({ _csrf: admin.csrf, role: "superbruker" }).expect(400);

    // Disabling signs Per out at once.
    await admin.agent.post(`/admin/ansatte/${per.id}/deaktiver`).type("form").send({ _csrf: admin.csrf }).expect(303);
    await perSession.agent.get("/admin/prosjekter").expect(303);
    const login = request.agent(inst.url);
    const form = await login.get("/logg-inn");
    await login.post("/logg-inn").type("form")
      .send({ _csrf: csrfFrom(form.text), email: "per@fredrikstad.test", password: "pers-lange-passord" }).expect(401);
    const list = await admin.agent.get("/admin/ansatte").expect(200);
    expect(list.text).toContain("Deaktivert");
    await admin.agent.post(`/admin/ansatte/${per.id}/aktiver`).type("form").send({ _csrf: admin.csrf }).expect(303);
    await admin.agent.post("/admin/ansatte/finnesikke/rolle").type("form").send({ _csrf: admin.csrf, role: "admin" }).expect(404);
  });

  it("creates an API token shown once, which works on the API until revoked", async () => {
    const empty = await admin.agent.post("/admin/nokler").type("form").send({ _csrf: admin.csrf, name: "" }).expect(400);
    expect(empty.text).toContain('href="#f-name"');
    const created = await admin.agent.post("/admin/nokler").type("form").send({ _csrf: admin.csrf, name: "Integrasjon" }).expect(201);
    expect(created.headers["cache-control"]).toBe("no-store");
    const token = /<code class="token">([^<]+)<\/code>/.exec(created.text)![1];
    expect(token).toMatch(/^kominn_/);

    await request(inst.app).post("/api/v1/projects").set("Authorization", `Bearer ${token}`)
      .send({ title: "Via nøkkel", summary: "S", phase: "ide" }).expect(201);
    const again = await admin.agent.get("/admin/nokler").expect(200);
    expect(again.text).not.toContain(token);
    expect(again.text).toContain("Integrasjon");

    const record = (await listApiTokens(inst.ctx.db, inst.admin!.id)).find((k) => k.name === "Integrasjon")!;
    await admin.agent.post(`/admin/nokler/${record.id}/trekk-tilbake`).type("form").send({ _csrf: csrfFrom(again.text) }).expect(303);
    await request(inst.app).post("/api/v1/projects").set("Authorization", `Bearer ${token}`)
      .send({ title: "Etter tilbaketrekking", summary: "S", phase: "ide" }).expect(401);
    await admin.agent.post(`/admin/nokler/${record.id}/trekk-tilbake`).type("form").send({ _csrf: admin.csrf }).expect(404);
  });
});

// Two administrators demote or disable each other at the same moment: the
// last-administrator rule holds across concurrent transactions (on PostgreSQL
// each request has its own connection).
describe.each(drivers)("the last active administrator under concurrent changes on %s", (driver) => {
  let inst: TestInstance;

  beforeAll(async () => {
    inst = await startTestInstance({ driver });
  });
  afterAll(() => inst?.close());

  type Act = readonly [path: string, form: Record<string, string>];

  /** A signed-in browser of `accountId`, with a CSRF token for its forms. */
  async function sessionOf(accountId: string) {
    const cookie = `kominn_session=${await createSession(inst.ctx.db, accountId)}`;
    const page = await request(inst.url).get("/admin/ansatte").set("Cookie", cookie).expect(200);
    const csrf = csrfFrom(page.text);
    return ([path, form]: Act) => request(inst.url).post(path).set("Cookie", cookie).type("form").send({ _csrf: csrf, ...form });
  }

  it("never leaves zero active administrators when two act against each other at once", { timeout: 120_000 }, async () => {
    const a = await createAccount(inst.ctx.db, { email: "a@fredrikstad.test", name: "A", role: "admin", passwordHash: null });
    const b = await createAccount(inst.ctx.db, { email: "b@fredrikstad.test", name: "B", role: "admin", passwordHash: null });
    // Only A and B are administrators.
    await updateAccount(inst.ctx.db, inst.admin!.id, { role: "editor" });
    const demote = (id: string): Act => [`/admin/ansatte/${id}/rolle`, { role: "editor" }];
    const disable = (id: string): Act => [`/admin/ansatte/${id}/deaktiver`, {}];
    const kinds = [[demote, demote], [disable, disable], [demote, disable], [disable, demote]];

    for (let trial = 0; trial < 12; trial++) {
      for (const id of [a.id, b.id]) await updateAccount(inst.ctx.db, id, { role: "admin", disabledAt: null });
      const [asA, asB] = await Promise.all([sessionOf(a.id), sessionOf(b.id)]);
      const [byA, byB] = kinds[trial % kinds.length];
      const answers = await Promise.all([asA(byA(b.id)), asB(byB(a.id))]);
      const done = answers.filter((r) => r.status === 303 && String(r.headers.location).startsWith("/admin/ansatte?")).length;
      const active = (await listAccounts(inst.ctx.db)).filter((x) => x.role === "admin" && !x.disabledAt);
      expect(active.length, `trial ${trial}: ${answers.map((r) => r.status).join(", ")}`).toBeGreaterThanOrEqual(1);
      expect(done).toBeLessThanOrEqual(1);
      for (const refused of answers.filter((r) => r.status === 409)) expect(refused.text).toContain("minst én aktiv administrator");
    }
  });
});
