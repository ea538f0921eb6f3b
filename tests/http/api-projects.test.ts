import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { drivers } from "../helpers/databases.ts";
import { startTestInstance, type TestInstance } from "../helpers/instance.ts";
import { createAccount, createApiToken } from "../../db/accounts.ts";

describe.each(drivers)("JSON API for projects on %s", (driver) => {
  let inst: TestInstance;
  let editorToken: string;
  const auth = () => ({ Authorization: `Bearer ${inst.adminToken}` });

  beforeAll(async () => {
    inst = await startTestInstance({ driver });
    const editor = await createAccount(inst.ctx.db, { email: "red@fredrikstad.test", name: "Rita Redaktør", role: "editor", passwordHash: null });
    editorToken = (await createApiToken(inst.ctx.db, editor.id, "t")).token;
  });
  afterAll(() => inst?.close());

  it("creates a project from only title, summary and phase, and shows it publicly once published", async () => {
    const created = await request(inst.app).post("/api/v1/projects").set(auth())
      .send({ title: "Fallsensorer for eldre", summary: "Sensorer varsler alarmsentralen ved fall.", phase: "test", published: true })
      .expect(201);
    expect(created.body).toMatchObject({
      title: "Fallsensorer for eldre",
      phase: "test",
      published: true,
      url: `${inst.ctx.config.origin}/prosjekter/fallsensorer-for-eldre`,
      municipality: { name: "Fredrikstad kommune", kommunenummer: "3107", fylke: "Østfold", handle: "fredrikstad" },
    });
    expect(created.headers.location).toBe(`/api/v1/projects/${created.body.id}`);
    const fetched = await request(inst.app).get(`/api/v1/projects/${created.body.id}`).expect(200);
    expect(fetched.body.summary).toBe("Sensorer varsler alarmsentralen ved fall.");
    const list = await request(inst.app).get("/api/v1/projects?phase=test").expect(200);
    expect(list.body.items.map((p: { id: string }) => p.id)).toContain(created.body.id);
  });

  it("keeps drafts from the public and shows them to staff", async () => {
    const draft = await request(inst.app).post("/api/v1/projects").set(auth())
      .send({ title: "Hemmelig utkast", summary: "Ikke klart", phase: "ide" }).expect(201);
    expect(draft.body.published).toBe(false);
    await request(inst.app).get(`/api/v1/projects/${draft.body.id}`).expect(404);
    const pub = await request(inst.app).get("/api/v1/projects").expect(200);
    expect(pub.body.items.some((p: { id: string }) => p.id === draft.body.id)).toBe(false);
    await request(inst.app).get(`/api/v1/projects/${draft.body.id}`).set(auth()).expect(200);
  });

  it("patches, publishes and deletes", async () => {
    const { body } = await request(inst.app).post("/api/v1/projects").set(auth())
      .send({ title: "Svømmeopplæring i sjøen", summary: "Sjøen som klasserom", phase: "ide" }).expect(201);
    const patched = await request(inst.app).patch(`/api/v1/projects/${body.id}`).set(auth())
      .send({ phase: "drift", serviceAreas: ["oppvekst-utdanning"], published: true, description: "**Trygt** i sjøen" }).expect(200);
    expect(patched.body).toMatchObject({ phase: "drift", published: true, serviceAreas: ["oppvekst-utdanning"] });
    expect(patched.body.descriptionHtml).toContain("<strong>Trygt</strong>");
    await request(inst.app).delete(`/api/v1/projects/${body.id}`).set(auth()).expect(204);
    await request(inst.app).get(`/api/v1/projects/${body.id}`).set(auth()).expect(404);
  });

  it("refuses bad input with the field named, and stores nothing", async () => {
    const before = (await request(inst.app).get("/api/v1/projects").set(auth())).body.total;
    const malformed = await request(inst.app).post("/api/v1/projects").set(auth()).set("content-type", "application/json").send("{ \"title\": ").expect(400);
    expect(malformed.body.error.message).toMatch(/JSON/);
    const wrongTypes = await request(inst.app).post("/api/v1/projects").set(auth())
      .send({ title: 42, summary: "x", phase: "drift", seekingPartners: "ja" }).expect(400);
    expect(wrongTypes.body.error.fields.map((f: { field: string }) => f.field)).toEqual(expect.arrayContaining(["title", "seekingPartners"]));
    const unknown = await request(inst.app).post("/api/v1/projects").set(auth())
      .send({ title: "T", summary: "S", phase: "drift", budsjett: 5, farge: "blå" }).expect(400);
    expect(unknown.body.error.fields).toEqual(expect.arrayContaining([
      { field: "budsjett", message: "ukjent felt" }, { field: "farge", message: "ukjent felt" },
    ]));
    const longTitle = await request(inst.app).post("/api/v1/projects").set(auth())
      .send({ title: "x".repeat(10_000), summary: "S", phase: "drift" }).expect(400);
    expect(longTitle.body.error.fields[0].field).toBe("title");
    const badPhase = await request(inst.app).post("/api/v1/projects").set(auth())
      .send({ title: "T", summary: "S", phase: "ferdig" }).expect(400);
    expect(badPhase.body.error.fields[0].field).toBe("phase");
    const huge = await request(inst.app).post("/api/v1/projects").set(auth())
      .send({ title: "T", summary: "S", phase: "drift", description: "x".repeat(2 * 1024 * 1024) }).expect(413);
    expect(huge.body.error.message).toMatch(/for stort/);
    const rule = await request(inst.app).post("/api/v1/projects").set(auth())
      .send({ title: "T", summary: "S", phase: "drift", strategicAreas: ["finnes-ikke"] }).expect(422);
    expect(rule.body.error.fields[0].field).toBe("strategicAreas");
    const dates = await request(inst.app).post("/api/v1/projects").set(auth())
      .send({ title: "T", summary: "S", phase: "drift", startDate: "2025-05-01", endDate: "2024-01-01" }).expect(400);
    expect(dates.body.error.fields[0].field).toBe("endDate");
    const after = (await request(inst.app).get("/api/v1/projects").set(auth())).body.total;
    expect(after).toBe(before);
  });

  it("sanitises hostile Markdown and HTML", async () => {
    const { body } = await request(inst.app).post("/api/v1/projects").set(auth()).send({
      title: "Farlig", summary: "S", phase: "ide",
      description: '<script>alert(1)</script>\n\n[klikk](javascript:alert(1)) og [trygg](https://ok.no)\n\n<img src=x onerror="alert(1)"> <a href="https://ok.no/2" onclick="x()">ok</a>',
    }).expect(201);
    expect(body.descriptionHtml).not.toMatch(/<script|href="javascript|onerror|onclick|<img/i);
    expect(body.descriptionHtml).toContain('<a href="https://ok.no" rel="nofollow noopener noreferrer ugc">trygg</a>');
    expect(body.descriptionHtml).toContain("klikk");
  });

  it("answers 401 without or with a forged token, 403 for an editor's forbidden action, filters safely", async () => {
    await request(inst.app).post("/api/v1/projects").send({ title: "T", summary: "S", phase: "ide" }).expect(401);
    const forged = await request(inst.app).post("/api/v1/projects").set("Authorization", "Bearer kominn_forfalsket")
      .send({ title: "T", summary: "S", phase: "ide" }).expect(401);
    expect(forged.headers["www-authenticate"]).toMatch(/invalid_token/);
    await request(inst.app).post("/api/v1/projects").set("Authorization", `Bearer ${editorToken}`)
      .send({ title: "Redaktørens prosjekt", summary: "S", phase: "ide" }).expect(201);
    const sqlish = await request(inst.app).get("/api/v1/projects").query({ phase: "drift' OR 1=1 --" }).expect(400);
    expect(sqlish.body.error.fields[0].field).toBe("phase");
    await request(inst.app).get("/api/v1/projects").query({ strategicArea: "x'; drop table projects;--" }).expect(400);
    await request(inst.app).get("/api/v1/projects").query({ sort: "x" }).expect(400);
    await request(inst.app).get("/api/v1/projects").expect(200);
  });

  it("lists taxonomies with bokmål labels and serves an OpenAPI document", async () => {
    const tax = await request(inst.app).get("/api/v1/taxonomies").expect(200);
    expect(tax.body.phases.map((p: { slug: string }) => p.slug)).toEqual(["forstaelse", "ide", "test", "skalering", "drift", "avsluttet", "stoppet"]);
    expect(tax.body.phases[0].label).toBe("Forståelse");
    expect(tax.body.strategicAreas.length).toBeGreaterThan(0);
    const doc = await request(inst.app).get("/api/v1/openapi.json").expect(200);
    expect(doc.body.openapi).toBe("3.0.3");
    expect(doc.body.components.schemas.ProjectCreate.required).toEqual(expect.arrayContaining(["title", "summary", "phase"]));
    expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining(["/projects/{id}", "/imitations", "/follows", "/search", "/overview", "/collaboration-requests", "/export.csv"]));
  });
});
