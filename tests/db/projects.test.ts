import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { drivers } from "../helpers/databases.ts";
import { startTestInstance, type TestInstance } from "../helpers/instance.ts";
import { getLocalProjectBySlug, getProject, listProjects, listRevisions } from "../../db/projects.ts";
import { getLocalMunicipality } from "../../db/municipalities.ts";
import { setupInstance } from "../../services/setup.ts";
import { defaultSetup } from "../helpers/instance.ts";
import { ValidationError } from "../../services/projects.ts";
import type { Municipality } from "../../db/schema.ts";

describe.each(drivers)("projects in the database (%s)", (driver) => {
  let inst: TestInstance;
  let m: Municipality;
  const actor = { accountId: null, name: "Test" };

  beforeAll(async () => {
    inst = await startTestInstance({ driver });
    m = inst.municipality!;
  });
  afterAll(() => inst?.close());

  it("gives each local project a unique, stable slug", async () => {
    const a = await inst.ctx.projects.create(m, { title: "Digital søknad", summary: "S", phase: "ide" }, actor);
    const b = await inst.ctx.projects.create(m, { title: "Digital søknad", summary: "S", phase: "ide" }, actor);
    expect(a.slug).toBe("digital-soknad");
    expect(b.slug).toBe("digital-soknad-2");
    const renamed = await inst.ctx.projects.update(m, a, { title: "Digitale søknader for alle" }, actor);
    expect(renamed.slug).toBe("digital-soknad");
    expect((await getLocalProjectBySlug(inst.ctx.db, "digital-soknad"))?.title).toBe("Digitale søknader for alle");
  });

  it("keeps who changed what and when", async () => {
    const p = await inst.ctx.projects.create(m, { title: "Bylab", summary: "Tjenestedesign i byutvikling", phase: "ide" }, { accountId: inst.admin!.id, name: "Anne Admin" });
    const p2 = await inst.ctx.projects.update(m, p, { phase: "test", floke: "Sentrum tømmes" }, { accountId: inst.admin!.id, name: "Anne Admin" });
    await inst.ctx.projects.update(m, p2, { published: true }, { accountId: null, name: "Bo Bruker" });
    const history = await listRevisions(inst.ctx.db, p.id);
    expect(history.map((h) => h.action)).toEqual(["publisert", "endret", "opprettet som utkast"]);
    expect(history[1].changedFields).toEqual(["floke", "phase"]);
    expect(history[0].actorName).toBe("Bo Bruker");
    // An edit that changes nothing leaves no trace.
    await inst.ctx.projects.update(m, (await getProject(inst.ctx.db, p.id))!, { phase: "test" }, actor);
    expect(await listRevisions(inst.ctx.db, p.id)).toHaveLength(3);
  });

  it("filters by phase, service area, strategic area and seeking partners, and pages", async () => {
    for (let i = 0; i < 7; i++) {
      await inst.ctx.projects.create(m, {
        title: `Velferdsteknologi ${i}`, summary: "S", phase: i % 2 ? "drift" : "skalering", published: true,
        serviceAreas: ["helse-omsorg"], strategicAreas: i < 3 ? ["smart-kommune"] : [], seekingPartners: i === 0,
      }, actor);
    }
    const helse = await listProjects(inst.ctx.db, { serviceArea: "helse-omsorg" }, { perPage: 5 });
    expect(helse.total).toBe(7);
    expect(helse.items).toHaveLength(5);
    expect((await listProjects(inst.ctx.db, { serviceArea: "helse-omsorg" }, { perPage: 5, page: 2 })).items).toHaveLength(2);
    expect((await listProjects(inst.ctx.db, { phase: "drift", serviceArea: "helse-omsorg" })).total).toBe(3);
    expect((await listProjects(inst.ctx.db, { strategicArea: "smart-kommune" })).total).toBe(3);
    expect((await listProjects(inst.ctx.db, { seekingPartners: true })).total).toBe(1);
    expect((await listProjects(inst.ctx.db, { origin: "remote" })).total).toBe(0);
  });

  it("refuses an end date before the start date, even across two edits", async () => {
    const p = await inst.ctx.projects.create(m, { title: "Datoer", summary: "S", phase: "ide", startDate: "2025-03-01" }, actor);
    await expect(inst.ctx.projects.update(m, p, { endDate: "2025-01-01" }, actor)).rejects.toBeInstanceOf(ValidationError);
    expect((await getProject(inst.ctx.db, p.id))?.endDate).toBeNull();
  });

  it("sets up all or nothing: a second setup changes nothing", async () => {
    await expect(setupInstance(inst.ctx.db, { ...defaultSetup, name: "Sarpsborg kommune", handle: "sarpsborg", adminEmail: "ny@x.no" }, { origin: inst.ctx.config.origin, role: "municipality" })).rejects.toThrow(/allerede/);
    expect((await getLocalMunicipality(inst.ctx.db))?.name).toBe("Fredrikstad kommune");
  });
});
