// GET /api/v1/search and /sok on a real instance: indexing through domain
// events (local and remote projects), scope, and bad input that must get a
// clear 400 or a sensible empty answer, never a 500.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { updateMunicipality, upsertRemoteMunicipality } from "../../db/municipalities.ts";
import { removeRemoteProject, upsertRemoteProject } from "../../db/remote-projects.ts";
import { emptyContent } from "../../core/project.ts";
import { drivers } from "../helpers/databases.ts";
import { startTestInstance, type TestInstance } from "../helpers/instance.ts";

describe.each(drivers)("search API and page on %s", (driver) => {
  let inst: TestInstance;
  const auth = () => ({ Authorization: `Bearer ${inst.adminToken}` });
  const search = (query: Record<string, string | string[]>) => request(inst.app).get("/api/v1/search").query(query);
  const titles = async (query: Record<string, string | string[]>) =>
    (await search(query).expect(200)).body.hits.map((h: { title: string }) => h.title);
  const create = async (body: Record<string, unknown>) => {
    const res = await request(inst.app).post("/api/v1/projects").set(auth()).send(body).expect(201);
    await inst.ctx.events.settled();
    return res.body as { id: string };
  };

  /** A project received from a peer, as federation stores and announces it. */
  async function receive(name: string, kommunenummer: string, fylke: string, title: string) {
    const handle = name.toLowerCase().replace(/[^a-z]/g, "");
    const municipality = await upsertRemoteMunicipality(inst.ctx.db, {
      actorUrl: `https://${handle}.example/kommune/${handle}`,
      handle,
      domain: `${handle}.example`,
      name,
      kommunenummer,
      fylke,
    });
    const project = await upsertRemoteProject(inst.ctx.db, municipality, {
      url: `https://${handle}.example/prosjekter/${handle}-1`,
      slug: `${handle}-1`,
      content: { ...emptyContent({ title, summary: `${title} hos ${name}.`, phase: "drift" }) },
      descriptionHtml: "",
      imitationOf: null,
      publishedAt: new Date(),
      updatedAt: new Date(),
    });
    inst.ctx.events.emit("remote.project.upserted", { project: project! });
    await inst.ctx.events.settled();
    return { municipality, project: project! };
  }

  beforeAll(async () => {
    inst = await startTestInstance({ driver });
    await create({ title: "Fallsensorer for eldre", summary: "Sensorer varsler alarmsentralen når eldre faller.", phase: "drift", published: true, serviceAreas: ["helse-omsorg"] });
    await create({ title: "Svømmeundervisning i sjøen", summary: "Elevene lærer å svømme ute.", phase: "test", published: true, serviceAreas: ["oppvekst-utdanning"] });
  });
  afterAll(() => inst?.close());

  it("indexes published projects, never drafts, and follows updates, unpublishing and deletion", async () => {
    expect(await titles({ q: "sensor" })).toEqual(["Fallsensorer for eldre"]);
    const draft = await create({ title: "Hemmelig kvitveisprosjekt", summary: "Utkast", phase: "ide" });
    expect(await titles({ q: "kvitveisprosjekt" })).toEqual([]);

    await request(inst.app).patch(`/api/v1/projects/${draft.id}`).set(auth()).send({ published: true }).expect(200);
    await inst.ctx.events.settled();
    expect(await titles({ q: "kvitveisprosjekt" })).toEqual(["Hemmelig kvitveisprosjekt"]);

    await request(inst.app).patch(`/api/v1/projects/${draft.id}`).set(auth()).send({ title: "Åpent kvitveisprosjekt" }).expect(200);
    await inst.ctx.events.settled();
    expect(await titles({ q: "kvitveisprosjekt" })).toEqual(["Åpent kvitveisprosjekt"]);

    await request(inst.app).patch(`/api/v1/projects/${draft.id}`).set(auth()).send({ published: false }).expect(200);
    await inst.ctx.events.settled();
    expect(await titles({ q: "kvitveisprosjekt" })).toEqual([]);

    await request(inst.app).patch(`/api/v1/projects/${draft.id}`).set(auth()).send({ published: true }).expect(200);
    await inst.ctx.events.settled();
    await request(inst.app).delete(`/api/v1/projects/${draft.id}`).set(auth()).expect(204);
    await inst.ctx.events.settled();
    expect(await titles({ q: "kvitveisprosjekt" })).toEqual([]);
    expect(await inst.search.indexer.pending()).toBe(0);
  });

  it("answers in the documented shape, with facets and a highlighted snippet", async () => {
    const { body } = await search({ q: "alarmsentralen" }).expect(200);
    expect(body).toMatchObject({ total: 1, page: 1, pages: 1, scope: "all" });
    expect(typeof body.tookMs).toBe("number");
    const [hit] = body.hits;
    expect(hit).toMatchObject({
      title: "Fallsensorer for eldre",
      phase: "drift",
      imitationCount: 0,
      municipality: { name: "Fredrikstad kommune", kommunenummer: "3107", fylke: "ostfold" },
    });
    expect(hit.url).toBe(`${inst.ctx.config.origin}/prosjekter/fallsensorer-for-eldre`);
    expect(hit.snippet).toContain("<mark>alarmsentralen</mark>");
    expect(body.facets.phase).toEqual({ drift: 1 });
    expect(body.facets.region).toEqual({ "nedre-glomma": 1 });
  });

  it("indexes remote projects and scopes to our region, our county or the whole country", async () => {
    const hvaler = await receive("Hvaler kommune", "3110", "Østfold", "Badevakter på Hvaler");
    await receive("Halden kommune", "3101", "Østfold", "Badevakter i Halden");
    await receive("Bergen kommune", "4601", "Vestland", "Badevakter i Bergen");
    expect((await titles({ q: "badevakter" })).sort()).toEqual(["Badevakter i Bergen", "Badevakter i Halden", "Badevakter på Hvaler"]);
    expect(await titles({ q: "badevakter", scope: "region" })).toEqual(["Badevakter på Hvaler"]);
    expect((await titles({ q: "badevakter", scope: "fylke" })).sort()).toEqual(["Badevakter i Halden", "Badevakter på Hvaler"]);
    expect(await titles({ q: "badevakter", fylke: "vestland" })).toEqual(["Badevakter i Bergen"]);
    const facets = (await search({ q: "badevakter" }).expect(200)).body.facets;
    expect(facets.fylke).toEqual({ ostfold: 2, vestland: 1 });
    expect(facets.municipality).toEqual({ "3110": 1, "3101": 1, "4601": 1 });

    // Removed by the peer: gone from search.
    await removeRemoteProject(inst.ctx.db, hvaler.municipality, hvaler.project.url);
    inst.ctx.events.emit("remote.project.removed", { projectId: hvaler.project.id, url: hvaler.project.url });
    await inst.ctx.events.settled();
    expect(await titles({ q: "badevakter", scope: "region" })).toEqual([]);
  });

  it("answers bad input with a clear 400 naming the field, or a sensible empty result; never a 500", async () => {
    const before = (await search({}).expect(200)).body.total;
    expect(before).toBeGreaterThan(0);

    // Empty query: everything, ranked by proven practice.
    expect((await search({ q: "" }).expect(200)).body.total).toBe(before);

    const long = await search({ q: "sensor ".repeat(715) }).expect(400);
    expect(long.body.error.fields).toEqual([{ field: "q", message: "kan ha høyst 500 tegn" }]);

    for (const q of ['"', "-", ":", "*", "(", '" - : * (', "og i på"]) {
      const { body } = await search({ q }).expect(200);
      expect(body, q).toMatchObject({ total: 0, hits: [] });
    }
    for (const q of ["sensor)", "-sensor", "sensor:*", '"fall sensor', "fall & sensor | !", "sensor'; drop table projects; --", "' OR 1=1 --"]) {
      const res = await search({ q });
      expect(res.status, q).toBe(200);
    }

    const unknownName = await search({ q: "sensor", farge: "blå" }).expect(400);
    expect(unknownName.body.error.fields).toEqual([{ field: "farge", message: "ukjent felt" }]);
    const unknownValue = await search({ phase: ["drift", "ferdig"] }).expect(400);
    expect(unknownValue.body.error.fields[0]).toMatchObject({ field: "phase.1", message: "ukjent fase: ferdig" });
    const injectedValue = await search({ municipality: "3107' OR '1'='1" }).expect(400);
    expect(injectedValue.body.error.fields[0].field).toBe("municipality.0");
    await search({ region: "atlantis" }).expect(400);
    await search({ seekingPartners: "kanskje" }).expect(400);
    await search({ scope: "galaksen" }).expect(400);

    for (const page of ["0", "-1", "abc", "1.5", "1001"]) {
      const res = await search({ page }).expect(400);
      expect(res.body.error.fields[0].field, page).toBe("page");
    }
    await search({ perPage: "500" }).expect(400);
    const beyond = await search({ page: "999" }).expect(200);
    expect(beyond.body).toMatchObject({ total: before, hits: [] });

    // A well-formed municipality nobody has: an empty result.
    expect((await search({ municipality: "9999" }).expect(200)).body.total).toBe(0);

    // Nothing changed.
    expect((await search({}).expect(200)).body.total).toBe(before);
    await request(inst.app).get("/api/v1/projects").expect(200);
  });

  it("reindexes a municipality's projects when its profile changes", async () => {
    await updateMunicipality(inst.ctx.db, inst.municipality!.id, { name: "Fredrikstad by" });
    inst.ctx.events.emit("profile.updated", { municipalityId: inst.municipality!.id });
    await inst.ctx.events.settled();
    const { body } = await search({ q: "alarmsentralen" }).expect(200);
    expect(body.hits[0].municipality.name).toBe("Fredrikstad by");
    await updateMunicipality(inst.ctx.db, inst.municipality!.id, { name: "Fredrikstad kommune" });
    inst.ctx.events.emit("profile.updated", { municipalityId: inst.municipality!.id });
    await inst.ctx.events.settled();
  });

  it("finds the project despite a typo, and suggests a spelling when even that finds nothing", async () => {
    const typo = await search({ q: "svømmeundervisnig" }).expect(200);
    expect(typo.body.total).toBeGreaterThan(0);
    expect(typo.body.hits[0].title).toMatch(/Svømmeundervisning/);
    // Three edits are more than typo tolerance allows: no hits, but "Mente du …?".
    const { body } = await search({ q: "svømmundervsnig" }).expect(200);
    expect(body.total).toBe(0);
    expect(body.suggestion).toBe("svømmeundervisning");
  });

  it("serves /sok without JavaScript: form, facets with counts, snippets, Mente du, and 400 pages for bad input", async () => {
    const page = await request(inst.app).get("/sok").query({ q: "eldre", phase: "drift" }).expect(200);
    expect(page.text).toContain('<form method="get" action="/sok"');
    // The page's form speaks bokmål (?fase=drift); the English name in the request still works.
    expect(page.text).toMatch(/<input type="checkbox" id="facet-phase-drift" name="fase" value="drift" checked>/);
    expect(page.text).toMatch(/Drift <span class="facet-count">\(1\)<\/span>/);
    expect(page.text).toContain('<a href="/prosjekter/fallsensorer-for-eldre">Fallsensorer for eldre</a>');
    expect(page.text).toContain("<mark>eldre</mark>");
    expect(page.text).toContain("Vår region (Nedre Glomma)");

    const typo = await request(inst.app).get("/sok").query({ q: "svømmundervsnig" }).expect(200);
    expect(typo.text).toContain('Mente du <a href="/sok?q=sv%C3%B8mmeundervisning">svømmeundervisning</a>?');

    const xss = await request(inst.app).get("/sok").query({ q: "<script>alert(1)</script>" }).expect(200);
    expect(xss.text).not.toContain("<script>alert(1)</script>");

    const bad = await request(inst.app).get("/sok").query({ phase: "ferdig", page: "0" }).expect(400);
    expect(bad.text).toContain("ukjent fase: ferdig");
    await request(inst.app).get("/sok").query({ q: "x".repeat(5000) }).expect(400);
  });
});
