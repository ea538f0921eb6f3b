// Umbrella terms an administrator adds: a line in the file named by
// KOMINN_SEARCH_TERMS_FILE, applied by a reindex (`npm run kominn -- reindex`
// calls reindexAll), finds the projects that mention a narrower term; the
// shipped file already makes "velferdsteknologi" find fall sensors.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { reindexAll } from "../../search/index.ts";
import { drivers } from "../helpers/databases.ts";
import { startTestInstance, type TestInstance } from "../helpers/instance.ts";

describe.each(drivers)("umbrella terms on %s", (driver) => {
  let inst: TestInstance;
  let dir: string;
  let file: string;
  const titles = async (q: string) =>
    (await request(inst.app).get("/api/v1/search").query({ q }).expect(200)).body.hits.map((h: { title: string }) => h.title);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "kominn-terms-"));
    file = join(dir, "terms.txt");
    await writeFile(file, "# our own umbrella terms\n");
    inst = await startTestInstance({ driver, env: { KOMINN_SEARCH_TERMS_FILE: file } });
    const auth = { Authorization: `Bearer ${inst.adminToken}` };
    for (const p of [
      { title: "Fallsensorer for hjemmeboende", summary: "Sensorer i taket varsler alarmsentralen når noen faller." },
      { title: "Nøkkelboks ved grendehuset", summary: "Lagene henter nøkkelen med en kode på SMS." },
      { title: "Regnbed i sentrum", summary: "Overvannet ledes til regnbed." },
    ]) {
      await request(inst.app).post("/api/v1/projects").set(auth).send({ ...p, phase: "drift", published: true }).expect(201);
    }
    await inst.ctx.events.settled();
  });
  afterAll(async () => {
    await inst?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("finds projects by the shipped umbrella terms", async () => {
    expect(await titles("velferdsteknologi")).toEqual(["Fallsensorer for hjemmeboende"]);
    expect(await titles("klimatilpasning")).toEqual(["Regnbed i sentrum"]);
  });

  it("applies an administrator's umbrella term after a reindex", async () => {
    expect(await titles("lokalforvaltning")).toEqual([]);
    await writeFile(file, "# our own umbrella terms\nlokalforvaltning: grendehus, nøkkelboks\n");
    const { indexed } = await reindexAll(inst.ctx);
    expect(indexed).toBe(3);
    expect(await titles("lokalforvaltning")).toEqual(["Nøkkelboks ved grendehuset"]);
    // The other projects keep the shipped terms.
    expect(await titles("velferdsteknologi")).toEqual(["Fallsensorer for hjemmeboende"]);
  });
});
