import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { drivers } from "../helpers/databases.ts";
import { startTestInstance, type TestInstance } from "../helpers/instance.ts";
import { getLocalMunicipality } from "../../db/municipalities.ts";
import { csrfFrom, signInAdmin, type Agent } from "./pages-support.ts";

// Issue 15, finding 8: the profile validates the kommunenummer against the register; the county follows from it.
describe.each(drivers)("the profile and the municipality register on %s", (driver) => {
  let inst: TestInstance;
  let agent: Agent;

  beforeAll(async () => {
    inst = await startTestInstance({ driver });
    ({ agent } = await signInAdmin(inst));
  });
  afterAll(() => inst?.close());

  it("shows the county as derived, refuses an unknown number keeping what was typed, and derives the county of a new one", async () => {
    const page = await agent.get("/admin/kommune").expect(200);
    expect(page.text).not.toContain('name="fylke"');
    expect(page.text).toContain("Østfold");
    const form = { _csrf: csrfFrom(page.text), name: "Fredrikstad kommune", description: "Vi deler det vi prøver ut." };
    const bad = await agent.post("/admin/kommune").type("form").send({ ...form, kommunenummer: "0199" }).expect(422);
    expect(bad.text).toContain("finnes ikke i kommuneregisteret");
    expect(bad.text).toContain("Vi deler det vi prøver ut.");
    expect((await getLocalMunicipality(inst.ctx.db))?.kommunenummer).toBe("3107");

    const missing = await agent.post("/admin/kommune").type("form").send({ ...form, kommunenummer: "" });
    expect(missing.status).toBe(422);
    expect(missing.text).toContain("må oppgis for en kommune");
    expect((await getLocalMunicipality(inst.ctx.db))?.kommunenummer).toBe("3107");

    await agent.post("/admin/kommune").type("form").send({ ...form, kommunenummer: "4601" }).expect(303);
    const after = await getLocalMunicipality(inst.ctx.db);
    expect(after?.fylke).toBe("Vestland");
  });
});
