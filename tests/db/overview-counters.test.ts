// The overview's counters, kept by the journal's overview subscriber, give the
// same figures as a full recount after every kind of change (issue 16).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { eq, sql } from "drizzle-orm";
import { drivers } from "../helpers/databases.ts";
import { eventually } from "../federation/helpers.ts";
import { startTestInstance, type TestInstance } from "../helpers/instance.ts";
import { emptyContent, type ProjectContent } from "../../core/project.ts";
import { upsertRemoteMunicipality } from "../../db/municipalities.ts";
import { removeRemoteProject, upsertRemoteProject } from "../../db/remote-projects.ts";
import { municipalities, type Municipality } from "../../db/schema.ts";
import { overviewStats, type OverviewFilter } from "../../db/overview.ts";
import { countedFigures, rebuildOverviewCounts } from "../../db/overview-counters.ts";
import { rowsOf, type Database } from "../../db/client.ts";
import { removeImitationLink, upsertImitationLink } from "../../db/imitations.ts";
import { fylker } from "../../core/regions.ts";
import { openTestDatabase } from "../helpers/databases.ts";
import { seedNetwork } from "../../bench/seed.ts";

describe.each(drivers)("overview counters (%s)", (driver) => {
  let inst: TestInstance;
  const auth = () => ({ Authorization: `Bearer ${inst.adminToken}` });
  const filters: OverviewFilter[] = [{}, { fylke: { nummer: "03", name: "Oslo" } }, { fylke: { nummer: "46", name: "Vestland" } }, { region: ["4601", "0301"] }];

  beforeAll(async () => {
    inst = await startTestInstance({ driver });
  });
  afterAll(() => inst?.close());

  /** After the subscriber has caught up: the counters answer, and say what the recount says, for each filter. */
  async function expectSameAsRecount(step: string): Promise<void> {
    await inst.ctx.events.settled();
    // settled() also returns while a subscriber waits to retry (a PostgreSQL conflict with a concurrent
    // write); the counters must still become current and then match the recount.
    await eventually(() => countedFigures(inst.ctx.db)).catch(() => undefined);
    expect(await countedFigures(inst.ctx.db), `${step}: counters current`).toBeDefined();
    for (const filter of filters) {
      const recount = await overviewStats(inst.ctx.db, filter, 10, true);
      const incremental = await overviewStats(inst.ctx.db, filter);
      expect(incremental, `${step} ${JSON.stringify(filter)}`).toEqual(recount);
    }
  }

  let bergen: Municipality;
  let oslo: Municipality;
  const content = (over: Partial<ProjectContent>): ProjectContent => ({ ...emptyContent({ title: "Fjernprosjekt", summary: "S", phase: "ide" }), ...over });
  async function remote(m: Municipality, slug: string, over: Partial<ProjectContent>, imitationOf: string | null = null, updatedAt = new Date()) {
    return inst.ctx.events.transaction(async (tx) => {
      const stored = await upsertRemoteProject(tx, m, {
        url: `${m.actorUrl.replace(/\/actor$/, "")}/prosjekter/${slug}`, slug, content: content(over), descriptionHtml: "",
        imitationOf, publishedAt: new Date("2025-02-10T12:00:00Z"), updatedAt,
      });
      if (stored) await inst.ctx.events.append(tx, "remote.project.upserted", { project: stored });
      return stored!;
    });
  }
  async function removeRemote(m: Municipality, url: string) {
    await inst.ctx.events.transaction(async (tx) => {
      const id = await removeRemoteProject(tx, m, url);
      if (id) await inst.ctx.events.append(tx, "remote.project.removed", { projectId: id, url });
    });
  }

  it("matches a full recount after each change, local and remote", async () => {
    await expectSameAsRecount("empty");
    const create = (body: object) => request(inst.app).post("/api/v1/projects").set(auth()).send(body).expect(201).then((r) => r.body);
    const a = await create({ title: "Fallsensorer", summary: "S", phase: "drift", serviceAreas: ["helse-omsorg"], innovationTypes: ["produkt-tjeneste"], published: true });
    const b = await create({ title: "Chatbot", summary: "S", phase: "test", serviceAreas: ["helse-omsorg", "administrasjon-digitalisering"], innovationTypes: ["prosess"], seekingPartners: true, published: true });
    await create({ title: "Utkast", summary: "S", phase: "ide" });
    await expectSameAsRecount("local created");

    await request(inst.app).patch(`/api/v1/projects/${b.id}`).set(auth()).send({ phase: "drift", serviceAreas: ["oppvekst-utdanning"], seekingPartners: false }).expect(200);
    await expectSameAsRecount("local updated");

    bergen = await upsertRemoteMunicipality(inst.ctx.db, {
      actorUrl: "https://bergen.example/actor", handle: "bergen", domain: "bergen.example", name: "Bergen", kommunenummer: "4601", fylke: "Vestland",
    });
    oslo = await upsertRemoteMunicipality(inst.ctx.db, {
      actorUrl: "https://oslo.example/actor", handle: "oslo", domain: "oslo.example", name: "Oslo", kommunenummer: "0301", fylke: "Oslo",
    });
    const r1 = await remote(bergen, "r1", { phase: "test", serviceAreas: ["helse-omsorg"], innovationTypes: ["prosess", "organisatorisk"] });
    await remote(bergen, "r2", { phase: "ide", seekingPartners: true }, a.url);
    const r3 = await remote(oslo, "r3", { phase: "drift", serviceAreas: ["klima-energi"] }, a.url);
    await expectSameAsRecount("remote created, imitating ours");

    await remote(bergen, "r1", { phase: "drift", serviceAreas: ["oppvekst-utdanning"] }, null, new Date(Date.now() + 1000));
    await expectSameAsRecount("remote updated");

    // A municipality that moves county: the counters are per municipality, the county is read at the time.
    await inst.ctx.db.update(municipalities).set({ fylke: "Oslo", kommunenummer: "0302" }).where(eq(municipalities.id, bergen.id));
    await remote(bergen, "r4", { phase: "ide" });
    await expectSameAsRecount("municipality moved county");

    const copy = (await request(inst.app).post("/api/v1/imitations").set(auth()).send({ original: r1.url }).expect(201)).body;
    await request(inst.app).patch(`/api/v1/projects/${copy.id}`).set(auth()).send({ adaptation: "Tilpasset", published: true }).expect(200);
    await expectSameAsRecount("imitated");

    await request(inst.app).patch(`/api/v1/projects/${a.id}`).set(auth()).send({ published: false }).expect(200);
    await expectSameAsRecount("unpublished");
    await request(inst.app).delete(`/api/v1/projects/${b.id}`).set(auth()).expect((r) => expect(r.status).toBeLessThan(300));
    await expectSameAsRecount("deleted");

    await removeRemote(oslo, r3.url);
    await expectSameAsRecount("remote removed");

    // An imitation learned from the inbox is recorded outside the journal: "Mest imiterte" still counts it, and its removal.
    const stavanger = await upsertRemoteMunicipality(inst.ctx.db, {
      actorUrl: "https://stavanger.example/actor", handle: "stavanger", domain: "stavanger.example", name: "Stavanger", kommunenummer: "1103", fylke: "Rogaland",
    });
    const learned = {
      copyUrl: "https://stavanger.example/prosjekter/kopi", originalUrl: r1.url, copyTitle: "Kopi", copyPhase: "ide",
      copyMunicipalityActorUrl: stavanger.actorUrl, copyMunicipalityName: stavanger.name, copyKommunenummer: "1103", copyFylke: "Rogaland",
    };
    expect(await inst.ctx.imitations.record(learned)).toBe(true);
    await expectSameAsRecount("imitation learned from the inbox");
    expect((await overviewStats(inst.ctx.db)).mostImitated.find((t) => t.url === r1.url)).toMatchObject({ municipalities: 2, fylker: 2 });
    await inst.ctx.imitations.record({ ...learned, copyFylke: null, copyKommunenummer: null });
    await expectSameAsRecount("learned imitation without a county");
    await removeImitationLink(inst.ctx.db, learned.copyUrl);
    await expectSameAsRecount("learned imitation forgotten");

    // Gone (410): its projects removed one by one, then the municipality itself.
    await removeRemote(bergen, `https://bergen.example/prosjekter/r2`);
    await inst.ctx.db.delete(municipalities).where(eq(municipalities.id, bergen.id));
    await request(inst.app).patch(`/api/v1/projects/${copy.id}`).set(auth()).send({ phase: "test" }).expect(200);
    await expectSameAsRecount("municipality gone and removed");
  });

  it("rebuilds the counters from the stored projects after a write around the journal", async () => {
    await inst.ctx.events.settled();
    await inst.ctx.db.execute(sql`update projects set phase = 'skalering' where published`);
    // Totals and reach written around their triggers are rebuilt too.
    await inst.ctx.db.execute(sql`update overview_totals set n = n + 7`);
    await inst.ctx.db.execute(sql`update imitation_reach set municipalities = municipalities + 3, first_imitated_at = now()`);
    await rebuildOverviewCounts(inst.ctx.db);
    await expectSameAsRecount("rebuilt");
    expect((await overviewStats(inst.ctx.db)).byPhase).toHaveProperty("skalering");
  });
});

describe.each(drivers)("the most imitated solutions (%s)", (driver) => {
  let database: Database;
  beforeAll(async () => {
    database = await openTestDatabase(driver);
    // Widely and rarely imitated originals over many counties, as in real spread.
    await seedNetwork(database.db, { projects: 1_200, municipalities: 60, imitations: 500 });
  });
  afterAll(() => database?.close());

  it("lists the same solutions, in the same order, as looking up every imitated project, for every filter and length", async () => {
    const fylkeFilters: OverviewFilter[] = fylker.map((f) => ({ fylke: { nummer: f.nummer, name: f.name } }));
    for (const filter of [{}, ...fylkeFilters, { region: ["3107", "3105", "3110"] }, { serviceArea: "helse-omsorg" }]) {
      for (const topN of [1, 3, 10]) {
        const quick = await overviewStats(database.db, filter, topN);
        const everything = await overviewStats(database.db, filter, topN, true);
        expect(quick.mostImitated, `${JSON.stringify(filter)} top ${topN}`).toEqual(everything.mostImitated);
      }
    }
    expect((await overviewStats(database.db, {}, 10)).mostImitated).toHaveLength(10);
  });

  it("counts every copy of an original linked at the same time as another", async () => {
    const [original] = rowsOf<{ url: string }>(await database.db.execute(sql`
      select p.url from projects p where p.imitation_of is null
        and not exists (select 1 from imitation_links l where l.original_url = p.url) order by p.url limit 1`));
    // Every municipality copies it, so it becomes the most imitated of all.
    const copiers = await database.db.select().from(municipalities);
    // Each link waits before committing, so on PostgreSQL the transactions overlap.
    await Promise.all(copiers.map((m, i) => database.db.transaction(async (tx) => {
      await upsertImitationLink(tx, {
        copyUrl: `https://samtidig.example/kopi-${i}`, originalUrl: original.url, copyTitle: `Kopi ${i}`, copyPhase: "ide",
        copyMunicipalityActorUrl: m.actorUrl, copyMunicipalityName: m.name, copyKommunenummer: m.kommunenummer, copyFylke: m.fylke,
      });
      await tx.execute(sql`select pg_sleep(0.02)`);
    })));
    const quick = await overviewStats(database.db, {}, 10);
    expect(quick.mostImitated).toEqual((await overviewStats(database.db, {}, 10, true)).mostImitated);
    expect(quick.mostImitated[0]).toMatchObject({ url: original.url, municipalities: copiers.length, fylker: new Set(copiers.map((m) => m.fylke)).size });
  });
});

