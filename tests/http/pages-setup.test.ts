import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { drivers } from "../helpers/databases.ts";
import { startTestInstance, type TestInstance } from "../helpers/instance.ts";
import { countAccounts } from "../../db/accounts.ts";
import { getLocalMunicipality } from "../../db/municipalities.ts";
import { csrfFrom, expectNb } from "./pages-support.ts";

describe.each(drivers)("first-run setup page on %s", (driver) => {
  let inst: TestInstance;

  beforeAll(async () => {
    inst = await startTestInstance({ driver, setup: false });
  });
  afterAll(() => inst?.close());

  const valid = {
    name: "Sarpsborg kommune",
    kommunenummer: "3105",
    handle: "sarpsborg",
    adminName: "Sara Admin",
    adminEmail: "sara@sarpsborg.test",
    adminPassword: "et-veldig-langt-passord",
    adminPasswordRepeat: "et-veldig-langt-passord",
  };

  it("sends visitors of a fresh instance to the setup page", async () => {
    await request(inst.app).get("/").expect(303).expect("location", "/oppsett");
    const page = await request(inst.app).get("/oppsett").expect(200);
    expectNb(page.text);
    expect(page.text).toContain("Sett opp kommunen");
  });

  it("shows each bad field next to its input, keeps the input, and creates nothing", async () => {
    const agent = request.agent(inst.url);
    const csrf = csrfFrom((await agent.get("/oppsett")).text);
    const res = await agent.post("/oppsett").type("form")
      .send({ ...valid, _csrf: csrf, kommunenummer: "31O5", handle: "Sarpsborg kommune!", adminEmail: "ikke-epost", adminPassword: "kort", adminPasswordRepeat: "annet" })
      .expect(400);
    expect(res.text).toContain("Skjemaet har feil");
    expect(res.text).toContain('href="#f-kommunenummer"');
    expect(res.text).toContain("må være fire sifre");
    expect(res.text).toContain('id="f-handle-feil"');
    expect(res.text).toContain("må være en gyldig e-postadresse");
    expect(res.text).toContain("må ha minst 12 tegn");
    expect(res.text).toContain("passordene er ikke like");
    expect(res.text).toContain('value="Sarpsborg kommune"');
    expect(res.text).not.toContain("kort"); // passwords are never echoed
    expect(await getLocalMunicipality(inst.ctx.db)).toBeUndefined();
    expect(await countAccounts(inst.ctx.db)).toBe(0);
  });

  it("checks the kommunenummer against the official register and never takes the county as free text", async () => {
    const agent = request.agent(inst.url);
    const csrf = csrfFrom((await agent.get("/oppsett")).text);
    const unknown = await agent.post("/oppsett").type("form").send({ ...valid, _csrf: csrf, kommunenummer: "0199" }).expect(422);
    expect(unknown.text).toContain("finnes ikke i kommuneregisteret");
    expect(unknown.text).toContain('value="0199"');
    // Hvaler (3110) is in Østfold since 2024: Viken no longer exists.
    const viken = await agent.post("/oppsett").type("form").send({ ...valid, _csrf: csrf, kommunenummer: "3110", fylke: "Viken" }).expect(422);
    expect(viken.text).toContain("3110 Hvaler ligger i Østfold, ikke i «Viken»");
    expect(await getLocalMunicipality(inst.ctx.db)).toBeUndefined();
    // The page asks for no county: it comes from the number.
    expect((await agent.get("/oppsett")).text).not.toContain('name="fylke"');
  });

  it("refuses a post without a CSRF token", async () => {
    await request(inst.app).post("/oppsett").type("form").send(valid).expect(403);
    expect(await getLocalMunicipality(inst.ctx.db)).toBeUndefined();
  });

  it("creates the profile and the first administrator, signs in, and then disappears", async () => {
    const agent = request.agent(inst.url);
    const csrf = csrfFrom((await agent.get("/oppsett")).text);
    await agent.post("/oppsett").type("form").send({ ...valid, _csrf: csrf }).expect(303).expect("location", "/admin/prosjekter");
    const mine = await agent.get("/admin/prosjekter").expect(200);
    expect(mine.text).toContain("Sara Admin");
    expect((await getLocalMunicipality(inst.ctx.db))?.name).toBe("Sarpsborg kommune");
    expect((await getLocalMunicipality(inst.ctx.db))?.fylke).toBe("Østfold");

    await request(inst.app).get("/oppsett").expect(404);
    await agent.post("/oppsett").type("form").send({ ...valid, handle: "annen", _csrf: csrfFrom(mine.text) }).expect(404);
    expect(await countAccounts(inst.ctx.db)).toBe(1);
    const front = await request(inst.app).get("/").expect(200);
    expect(front.text).toContain("Sarpsborg kommune");
  });
});
