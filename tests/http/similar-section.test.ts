// "Lignende prosjekter" on a project page stays current for staff and
// visitors alike, although the section is kept between views: a project
// published, changed or withdrawn elsewhere shows up in (or leaves) the
// section as soon as the index has it, also when the page was viewed while
// the index was still catching up.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import pg from "pg";
import { sql } from "drizzle-orm";
import { rowsOf } from "../../db/client.ts";
import { until } from "../helpers/until.ts";
import { drivers } from "../helpers/databases.ts";
import { startTestInstance, type TestInstance } from "../helpers/instance.ts";
import { signInAdmin, type Agent } from "./pages-support.ts";

describe.each(drivers)("Lignende prosjekter kept between views on %s", (driver) => {
  let inst: TestInstance;
  let staff: Agent;
  const auth = () => ({ Authorization: `Bearer ${inst.adminToken}` });
  const create = async (body: Record<string, unknown>) =>
    (await request(inst.app).post("/api/v1/projects").set(auth()).send({ published: true, phase: "drift", ...body }).expect(201)).body as { id: string; slug: string };
  const similarOn = (html: string) => html.slice(html.indexOf('aria-labelledby="lignende"'));
  let fall: { id: string; slug: string };

  beforeAll(async () => {
    inst = await startTestInstance({ driver });
    staff = (await signInAdmin(inst)).agent;
    fall = await create({
      title: "Fallsensorer for hjemmeboende",
      summary: "Sensorer i taket oppdager fall og varsler alarmsentralen.",
      floke: "Eldre som faller om natten blir liggende lenge før noen finner dem.",
    });
    await create({ title: "Meråpent bibliotek", summary: "Lånerne låser seg inn med bibliotekkortet om kvelden." });
    await create({ title: "Regnbed mot overvann", summary: "Regnvannet ledes til regnbed i stedet for avløpet.", floke: "Kjellere blir oversvømt når det kommer styrtregn." });
    await create({ title: "Skolefravær følges opp tidlig", summary: "Skolen ringer hjem første dag eleven er borte.", floke: "Elever som er mye borte faller ut av skolen." });
    await inst.ctx.events.settled();
  });
  afterAll(() => inst?.close());

  it("shows a new project on the same problem once it is indexed, though the page was viewed before that", async () => {
    expect(similarOn((await staff.get(`/prosjekter/${fall.slug}`).expect(200)).text)).not.toContain("Digitalt nattilsyn");
    // On PostgreSQL the index is held back (its table locked against writes
    // from another connection) so that the page is surely viewed first.
    const holder = driver === "postgres" ? new pg.Client({ connectionString: inst.ctx.config.databaseUrl }) : undefined;
    await holder?.connect();
    await holder?.query("begin; lock table search_documents in exclusive mode");
    const night = await create({
      title: "Digitalt nattilsyn",
      summary: "Hjemmetjenesten ser til brukerne om natten med sensorer i stedet for besøk.",
      floke: "Nattlige besøk vekker brukerne, og eldre som faller blir oppdaget for sent.",
    });
    if (holder) {
      await until(async () => rowsOf(await inst.ctx.db.execute(sql`select 1 from search_queue where project_id = ${night.id}`)).length > 0, "the index's queue");
    }
    // Viewed while the index is catching up, by staff and by a visitor.
    for (const page of [await staff.get(`/prosjekter/${fall.slug}`).expect(200), await request(inst.app).get(`/prosjekter/${fall.slug}`).expect(200)]) {
      if (holder) expect(similarOn(page.text)).not.toContain("Digitalt nattilsyn");
    }
    await holder?.query("commit");
    await holder?.end();
    await inst.ctx.events.settled();
    for (const page of [await staff.get(`/prosjekter/${fall.slug}`).expect(200), await request(inst.app).get(`/prosjekter/${fall.slug}`).expect(200)]) {
      expect(similarOn(page.text)).toContain(`<a href="/prosjekter/${night.slug}">Digitalt nattilsyn</a>`);
    }

    // Withdrawn: it leaves the section.
    await request(inst.app).patch(`/api/v1/projects/${night.id}`).set(auth()).send({ published: false }).expect(200);
    await staff.get(`/prosjekter/${fall.slug}`).expect(200);
    await inst.ctx.events.settled();
    expect(similarOn((await staff.get(`/prosjekter/${fall.slug}`).expect(200)).text)).not.toContain("Digitalt nattilsyn");
  });
});
