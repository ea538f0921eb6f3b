import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { drivers } from "../helpers/databases.ts";
import { startTestInstance, type TestInstance } from "../helpers/instance.ts";
import { upsertRemoteMunicipality } from "../../db/municipalities.ts";
import { getProjectByUrl } from "../../db/projects.ts";
import { projects } from "../../db/schema.ts";
import type { Project } from "../../core/project.ts";
import { addProject, signInAdmin, type Agent } from "./pages-support.ts";

// Issue 15, findings 4, 5 and 9: imitations named as what they are on cards,
// search hits and pages; no "Imiter" on one's own work; a front page without
// repeats; page URLs in bokmål.
describe.each(drivers)("imitations, the front page and bokmål page URLs on %s", (driver) => {
  let inst: TestInstance;
  let copy: Project;
  let own: Project;
  let staff: Agent;
  const originalUrl = "https://asker.example/prosjekter/boligkontor";

  beforeAll(async () => {
    inst = await startTestInstance({ driver });
    const asker = await upsertRemoteMunicipality(inst.ctx.db, {
      actorUrl: "https://asker.example/kommune/asker", handle: "asker", domain: "asker.example",
      name: "Asker kommune", kommunenummer: "3203", fylke: "Akershus",
    });
    await inst.ctx.db.insert(projects).values({
      id: "askerbolig001", slug: "boligkontor", url: originalUrl, local: false, municipalityId: asker.id,
      published: true, publishedAt: new Date("2026-01-01"), title: "Samordnet boligkontor",
      summary: "Ett sted å spørre om bolig.", phase: "drift", seekingPartners: true,
      contacts: [{ name: "Aslak Asker", role: "Leder", email: "aslak@asker.example" }],
    });
    own = await addProject(inst, { title: "Fallsensorer for eldre", summary: "Sensorer varsler.", phase: "drift", published: true });
    // The copy keeps the original's title and summary, as an imitation starts.
    const actor = { accountId: inst.admin!.id, name: "Anne Admin" };
    const draft = await inst.ctx.imitations.imitate(inst.municipality!, (await getProjectByUrl(inst.ctx.db, originalUrl))!, actor);
    copy = await inst.ctx.projects.update(inst.municipality!, draft, { adaptation: "Med Husbanken", published: true }, actor);
    await inst.ctx.events.settled();
    ({ agent: staff } = await signInAdmin(inst));
  });
  afterAll(() => inst?.close());

  const label = /Imitasjon av <a href="\/prosjekter\/fra\/askerbolig001">«Samordnet boligkontor»<\/a> fra Asker kommune/;

  it("names the original and its municipality on the imitation's card in the list", async () => {
    const list = await request(inst.app).get("/prosjekter").expect(200);
    expect(list.text).toMatch(label);
    // Only the copy carries the label: the original's card does not.
    expect(list.text.match(/Imitasjon av /g)).toHaveLength(1);
  });

  it("names the original on the imitation's page, where 'Bygger på' names it and its municipality", async () => {
    const page = await request(inst.app).get(`/prosjekter/${copy.slug}`).expect(200);
    expect(page.text).toMatch(label);
    expect(page.text).toMatch(/<dt>Bygger på<\/dt><dd>«Samordnet boligkontor», Asker kommune<\/dd>/);
    expect(page.text).not.toContain("Se prosjektet det bygger på");
  });

  it("offers staff 'Imiter' on another municipality's project, never on their own projects or imitations", async () => {
    const theirs = await staff.get("/prosjekter/fra/askerbolig001").expect(200);
    expect(theirs.text).toContain('action="/admin/imitasjoner"');
    for (const slug of [own.slug, copy.slug]) {
      const mine = await staff.get(`/prosjekter/${slug}`).expect(200);
      expect(mine.text, slug).not.toContain('action="/admin/imitasjoner"');
    }
  });

  it("names the original on the imitation's search hit", async () => {
    const hits = await request(inst.app).get("/sok?q=boligkontor&scope=all").expect(200);
    expect(hits.text).toMatch(label);
  });

  it("gives a visitor ways to act on a project page: contact person, follow the municipality, ask to collaborate", async () => {
    const page = await request(inst.app).get("/prosjekter/fra/askerbolig001").expect(200);
    expect(page.text).toContain('href="mailto:aslak@asker.example">Kontakt Aslak Asker</a>');
    expect(page.text).toContain('href="https://asker.example/kommune/asker">Følg Asker kommune</a>');
    expect(page.text).toContain(">Spør om å samarbeide</a>");
    expect(page.text).not.toContain('action="/admin/imitasjoner"');
  });

  it("opens the front page with a search box and lists each project once", async () => {
    const front = await request(inst.app).get("/").expect(200);
    expect(front.text).toMatch(/<form method="get" action="\/sok"[^>]*>[\s\S]*<input type="search"[^>]*name="q"/);
    expect(front.text.indexOf('action="/sok"')).toBeLessThan(front.text.indexOf("<h2"));
    expect(front.text).toContain("Nytt fra oss");
    expect(front.text).toContain("Nytt fra kommunene vi følger");
    for (const path of ["/prosjekter/fra/askerbolig001", `/prosjekter/${own.slug}`, `/prosjekter/${copy.slug}`]) {
      expect(front.text.split(`<h3 class="card-title"><a href="${path}">`).length - 1, path).toBe(1);
    }
  });

  it("takes the list's parameters in bokmål, keeps the English ones working, and links pages in bokmål", async () => {
    const drift = await request(inst.app).get("/prosjekter?fase=drift&fra=var").expect(200);
    expect(drift.text).toContain("1 prosjekt");
    expect(drift.text).toContain("Fallsensorer for eldre");
    const english = await request(inst.app).get("/prosjekter?phase=drift&origin=local").expect(200);
    expect(english.text).toContain("1 prosjekt");
    const seeking = await request(inst.app).get("/prosjekter?soker-partnere=ja&sortering=nyeste").expect(200);
    expect(seeking.text).toContain("1 prosjekt");
    expect(seeking.text).toMatch(/<select id="[^"]*" name="sortering"[^>]*>/);
    const paged = await request(inst.app).get("/prosjekter?per-side=1&fase=drift").expect(200);
    expect(paged.text).toContain('href="/prosjekter?fase=drift&amp;per-side=1&amp;side=2"');
  });

  it("takes the search page's parameters in bokmål, and its form and links use them", async () => {
    const hits = await request(inst.app).get("/sok?fase=drift&omrade=hele-landet&soker-partnere=ja").expect(200);
    expect(hits.text).toContain("1 treff");
    expect(hits.text).toMatch(/<input type="radio" name="omrade" id="scope-all" value="hele-landet" checked>/);
    expect(hits.text).toMatch(/name="soker-partnere" value="ja" checked>/);
    expect(hits.text).toMatch(/name="fase" value="drift" checked>/);
    const english = await request(inst.app).get("/sok?phase=drift&scope=all&seekingPartners=true").expect(200);
    expect(english.text).toContain("1 treff");
    // A refused parameter is named as the page's address names it.
    const bad = await request(inst.app).get("/sok?omrade=overalt&q=bolig").expect(400);
    expect(bad.text).toMatch(/omrade<\/strong>: /);
    expect(bad.text).not.toContain("scope");
  });

  it("keeps the municipality's name in the header of a 400 page", async () => {
    const bad = await request(inst.app).get("/prosjekter?fase=ferdig").expect(400);
    expect(bad.text).toContain('<span class="brand-site">Fredrikstad kommune</span>');
    expect(bad.text).toMatch(/fase<\/strong>: er ikke et gyldig valg/);
  });
});
