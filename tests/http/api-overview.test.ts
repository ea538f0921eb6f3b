import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { drivers } from "../helpers/databases.ts";
import { startTestInstance, type TestInstance } from "../helpers/instance.ts";

interface Exported {
  url: string; phase: string; serviceAreas: string[]; innovationTypes: string[]; imitationOf: string | null;
  seekingPartners: boolean; municipality: { fylke: string | null; actorUrl: string };
}

function count<T>(items: T[], keys: (t: T) => (string | null)[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of items) for (const k of keys(item)) if (k !== null) out[k] = (out[k] ?? 0) + 1;
  return out;
}

describe.each(drivers)("overview and exports (%s)", (driver) => {
  let inst: TestInstance;
  const auth = () => ({ Authorization: `Bearer ${inst.adminToken}` });

  beforeAll(async () => {
    inst = await startTestInstance({ driver });
    const create = (body: object) => request(inst.app).post("/api/v1/projects").set(auth()).send(body).expect(201).then((r) => r.body);
    const a = await create({ title: "Fallsensorer", summary: "S", phase: "drift", serviceAreas: ["helse-omsorg"], innovationTypes: ["produkt-tjeneste"], published: true });
    await create({ title: "=HYPERLINK(\"http://evil\")", summary: "Formel, med komma og \"sitat\"", phase: "test", serviceAreas: ["helse-omsorg", "administrasjon-digitalisering"], innovationTypes: ["prosess", "organisatorisk"], seekingPartners: true, published: true });
    await create({ title: "Utkast", summary: "S", phase: "ide" });
    const copy = (await request(inst.app).post("/api/v1/imitations").set(auth()).send({ original: a.url }).expect(201)).body;
    await request(inst.app).patch(`/api/v1/projects/${copy.id}`).set(auth()).send({ adaptation: "Tilpasset", published: true, phase: "test" }).expect(200);
    await inst.ctx.events.settled();
  });
  afterAll(() => inst?.close());

  it("computes the overview from the stored data: every figure re-derived from the export", async () => {
    const overview = (await request(inst.app).get("/api/v1/overview").expect(200)).body;
    const all: Exported[] = (await request(inst.app).get("/api/v1/export.json").expect(200)).body;
    expect(all).toHaveLength(3);
    expect(overview.projects).toBe(all.length);
    expect(overview.municipalities).toBe(new Set(all.map((p) => p.municipality.actorUrl)).size);
    expect(overview.byPhase).toEqual(count(all, (p) => [p.phase]));
    expect(overview.byServiceArea).toEqual(count(all, (p) => p.serviceAreas));
    expect(overview.byType).toEqual(count(all, (p) => p.innovationTypes));
    expect(overview.byFylke).toEqual(count(all, (p) => [p.municipality.fylke]));
    expect(overview.seekingPartners).toBe(all.filter((p) => p.seekingPartners).length);
    expect(overview.reuseShare.share).toBeCloseTo(all.filter((p) => p.imitationOf).length / all.length);
    expect(overview.mostImitated).toEqual([expect.objectContaining({ title: "Fallsensorer", municipalities: 1, fylker: 1 })]);
    expect(overview.reuseShare.overTime.reduce((n: number, p: { projects: number }) => n + p.projects, 0)).toBe(all.length);
  });

  it("shows the same reuse share on the overview page as the API gives, overall and per quarter", async () => {
    const overview = (await request(inst.app).get("/api/v1/overview").expect(200)).body;
    const page = (await request(inst.app).get("/oversikt").expect(200)).text;
    const percent = (share: number) => `${(share * 100).toLocaleString("nb-NO", { maximumFractionDigits: 1 })} %`;
    expect(overview.reuseShare.share).toBeCloseTo(1 / 3);
    expect(page).toMatch(new RegExp(`<dt>Andel gjenbruk \\(imitasjoner\\)</dt><dd>${percent(overview.reuseShare.share)}</dd>`));
    const quarters = page.slice(page.indexOf('id="gjenbruk-tittel"'));
    for (const p of overview.reuseShare.overTime) {
      expect(quarters).toMatch(new RegExp(`<tr><th scope="row">${p.period}</th><td class="bar-cell">.*?</td><td class="num">${percent(p.share)}</td></tr>`));
    }
  });

  it("reflects every change at once, also through its cache", async () => {
    const before = (await request(inst.app).get("/api/v1/overview").expect(200)).body;
    const again = (await request(inst.app).get("/api/v1/overview").expect(200)).body;
    expect(again).toEqual(before);
    const { body } = await request(inst.app).post("/api/v1/projects").set(auth())
      .send({ title: "Ny", summary: "S", phase: "ide", serviceAreas: ["kultur"], published: true }).expect(201);
    const after = (await request(inst.app).get("/api/v1/overview").expect(200)).body;
    expect(after.projects).toBe(before.projects + 1);
    expect(after.byServiceArea.kultur).toBe(1);
    await request(inst.app).delete(`/api/v1/projects/${body.id}`).set(auth()).expect(204);
    expect((await request(inst.app).get("/api/v1/overview").expect(200)).body).toEqual(before);
  });

  it("filters by service area, fylke and period, and refuses unknown filters", async () => {
    expect((await request(inst.app).get("/api/v1/overview?serviceArea=administrasjon-digitalisering").expect(200)).body.projects).toBe(1);
    expect((await request(inst.app).get("/api/v1/overview?fylke=ostfold").expect(200)).body.projects).toBe(3);
    expect((await request(inst.app).get("/api/v1/overview?fylke=finnmark").expect(200)).body.projects).toBe(0);
    expect((await request(inst.app).get("/api/v1/overview?from=2999-01-01").expect(200)).body.projects).toBe(0);
    const bad = await request(inst.app).get("/api/v1/overview?fylke=atlantis&periode=x").expect(400);
    expect(bad.body.error.fields.map((f: { field: string }) => f.field)).toEqual(expect.arrayContaining(["fylke", "periode"]));
  });

  it("exports CSV with a header and one row per public project, formulas neutralised", async () => {
    const res = await request(inst.app).get("/api/v1/export.csv").expect(200);
    expect(res.headers["content-type"]).toMatch(/text\/csv/);
    const text = res.text.replace(/^\uFEFF/, "");
    expect(text.split("\r\n")[0]).toMatch(/^id,url,opprinnelse,kommune,/);
    expect(text).toContain(`"'=HYPERLINK(""http://evil"")"`);
    expect(text).toContain(`"Formel, med komma og ""sitat"""`);
    expect(text).not.toContain("Utkast");
    const records = text.match(/\r\n(?=[a-z0-9]{12},http)/g) ?? [];
    expect(records).toHaveLength(3);
  });

  it("describes the catalogue in DCAT for harvesting", async () => {
    const res = await request(inst.app).get("/api/v1/catalog").expect(200);
    expect(res.headers["content-type"]).toMatch(/application\/ld\+json/);
    expect(res.body["@type"]).toBe("dcat:Catalog");
    const urls = res.body["dcat:dataset"]["dcat:distribution"].map((d: { "dcat:accessURL": { "@id": string } }) => d["dcat:accessURL"]["@id"]);
    expect(urls).toEqual([
      `${inst.ctx.config.origin}/api/v1/export.csv`,
      `${inst.ctx.config.origin}/api/v1/export.csv?delimiter=semicolon`,
      `${inst.ctx.config.origin}/api/v1/export.json`,
    ]);
  });
});

describe("the overview page", () => {
  let inst: TestInstance;
  beforeAll(async () => {
    inst = await startTestInstance();
    await request(inst.app).post("/api/v1/projects").set({ Authorization: `Bearer ${inst.adminToken}` })
      .send({ title: "Digital byggesøknad", summary: "S", phase: "drift", serviceAreas: ["plan-bygg"], published: true }).expect(201);
  });
  afterAll(() => inst?.close());

  it("shows key figures and charts with their data tables, without JavaScript", async () => {
    const page = await request(inst.app).get("/oversikt").expect(200);
    expect(page.text).toContain('<html lang="nb">');
    expect(page.text).toMatch(/<dt>Prosjekter<\/dt><dd>1<\/dd>/);
    // Each chart is a table: the label as text, a drawn bar, the figure.
    expect(page.text).toMatch(/<th scope="row">Plan og bygg<\/th><td class="bar-cell"><svg class="bar"[^>]*><rect width="100"[^>]*><\/rect><\/svg><\/td><td class="num">1<\/td>/);
    expect(page.text).not.toMatch(/<script/);
  });

  it("keeps filters in the form and answers a bad filter with a 400 page", async () => {
    const page = await request(inst.app).get("/oversikt?fylke=ostfold&serviceArea=&from=").expect(200);
    expect(page.text).toMatch(/<option value="ostfold" selected>Østfold<\/option>/);
    const bad = await request(inst.app).get("/oversikt?fylke=%27%3B%20drop").expect(400);
    expect(bad.text).toContain("fylke");
  });
});
