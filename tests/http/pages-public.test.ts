import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { drivers } from "../helpers/databases.ts";
import { startTestInstance, type TestInstance } from "../helpers/instance.ts";
import { upsertRemoteMunicipality } from "../../db/municipalities.ts";
import { projects } from "../../db/schema.ts";
import type { Project } from "../../core/project.ts";
import { addProject, expectNb } from "./pages-support.ts";

describe.each(drivers)("public pages on %s", (driver) => {
  let inst: TestInstance;
  let published: Project;
  let draft: Project;
  let remoteId: string;

  beforeAll(async () => {
    inst = await startTestInstance({ driver });
    published = await addProject(inst, {
      title: "Fallsensorer for eldre",
      summary: "Sensorer varsler alarmsentralen når noen faller.",
      phase: "drift",
      published: true,
      serviceAreas: ["helse-omsorg"],
      strategicAreas: ["smart-kommune"],
      n3Stage: "nyttiggjort",
      innovationTypes: ["produkt-tjeneste"],
      methods: ["tjenestedesign"],
      funding: ["skjonnsmidler"],
      plannedBenefits: [{ kind: "tid", description: "Færre unødvendige utrykninger" }],
      realisedBenefits: [{ kind: "kvalitet", description: "Tryggere hverdag hjemme" }],
      partners: [{ type: "naeringsliv", name: "Sensorleverandøren AS" }],
      contacts: [{ name: "Kari Kontakt", role: "Prosjektleder", email: "kari@fredrikstad.test" }],
      lessons: "Opplæring av pårørende var viktig.",
      lessonsFailed: "Armbåndene ble ikke brukt om natten.",
      seekingPartners: true,
      startDate: "2024-01-15",
    });
    draft = await addProject(inst, { title: "Hemmelig utkast", summary: "Ikke klart ennå", phase: "ide" });
    await addProject(inst, { title: "Svømming i sjøen", summary: "Sjøen som klasserom", phase: "test", published: true });

    const peer = await upsertRemoteMunicipality(inst.ctx.db, {
      actorUrl: "https://asker.example/kommune/asker",
      handle: "asker",
      domain: "asker.example",
      name: "Asker kommune",
      kommunenummer: "3203",
      fylke: "Akershus",
    });
    remoteId = "remoteproj01";
    await inst.ctx.db.insert(projects).values({
      id: remoteId,
      slug: "boligkontor",
      url: "https://asker.example/prosjekter/boligkontor",
      local: false,
      municipalityId: peer.id,
      published: true,
      publishedAt: new Date(),
      title: "Samordnet boligkontor",
      summary: "Ett sted å henvende seg for bolighjelp.",
      phase: "drift",
    });
  });
  afterAll(() => inst?.close());

  it("shows the front page in bokmål with the newest projects and a feed link", async () => {
    const res = await request(inst.app).get("/").expect(200).expect("content-type", /html/);
    expectNb(res.text);
    expect(res.text).toContain("Fallsensorer for eldre");
    expect(res.text).toContain('<link rel="alternate" type="application/atom+xml"');
    expect(res.text).not.toContain("Hemmelig utkast");
    expect(res.headers["set-cookie"]).toBeUndefined();
  });

  it("lists projects, filters them without JavaScript and links remote copies to their local page", async () => {
    const all = await request(inst.app).get("/prosjekter").expect(200);
    expectNb(all.text);
    expect(all.text).toContain("3 prosjekter");
    expect(all.text).toContain(`href="/prosjekter/fra/${remoteId}"`);
    expect(all.text).not.toContain("Hemmelig utkast");

    const filtered = await request(inst.app)
      .get("/prosjekter?phase=drift&serviceArea=helse-omsorg&strategicArea=&seekingPartners=true&origin=local&order=updated")
      .expect(200);
    expect(filtered.text).toContain("1 prosjekt");
    expect(filtered.text).toContain("Fallsensorer for eldre");
    expect(filtered.text).not.toContain("Svømming i sjøen");
    expect(filtered.text).toMatch(/<option value="drift" selected>/);

    const remote = await request(inst.app).get("/prosjekter?origin=remote").expect(200);
    expect(remote.text).toContain("Samordnet boligkontor");
    expect(remote.text).not.toContain("Fallsensorer for eldre");
  });

  it("paginates, keeping the filters in the links", async () => {
    const page1 = await request(inst.app).get("/prosjekter?perPage=1&origin=all").expect(200);
    expect(page1.text).toContain("Side 1 av 3");
    // Links speak the page's bokmål parameter names, and leave defaults out.
    expect(page1.text).toContain('href="/prosjekter?per-side=1&amp;side=2"');
    const page3 = await request(inst.app).get("/prosjekter?perPage=1&page=3").expect(200);
    expect(page3.text).toContain("Side 3 av 3");
    expect(page3.text).toContain('rel="prev"');
  });

  it("answers bad and SQL-looking filters with a clear 400 page, and keeps serving", async () => {
    const bad = await request(inst.app).get("/prosjekter?phase=ferdig").expect(400);
    expectNb(bad.text);
    expect(bad.text).toContain("Ugyldig filter");
    expect(bad.text).toMatch(/fase<\/strong>: er ikke et gyldig valg/);

    for (const hostile of ["drift' OR '1'='1", "1; DROP TABLE projects; --", "%27%3B--"]) {
      const res = await request(inst.app).get("/prosjekter").query({ phase: hostile }).expect(400);
      expect(res.text).toContain("Ugyldig filter");
      const area = await request(inst.app).get("/prosjekter").query({ strategicArea: hostile }).expect(400);
      expect(area.text).toContain("strategisk område");
    }
    const page = await request(inst.app).get("/prosjekter?page=-1").expect(400);
    expect(page.text).toContain("side");
    const unknown = await request(inst.app).get("/prosjekter?sort=title").expect(400);
    expect(unknown.text).toContain("sort");
    await request(inst.app).get("/prosjekter").expect(200);
    expect((await request(inst.app).get("/prosjekter")).text).toContain("3 prosjekter");
  });

  it("shows every field of a project with bokmål labels, and no history to the public", async () => {
    const res = await request(inst.app).get(`/prosjekter/${published.slug}`).expect(200);
    expectNb(res.text);
    for (const text of [
      "Fallsensorer for eldre", "Drift", "Helse og omsorg", "Smart kommune", "Nyttiggjort", "Produkt eller tjeneste",
      "Tjenestedesign", "Statsforvalterens skjønnsmidler", "Færre unødvendige utrykninger", "Tryggere hverdag hjemme",
      "Planlagte gevinster", "Realiserte gevinster", "Sensorleverandøren AS", "Næringsliv", "Kari Kontakt",
      "mailto:kari@fredrikstad.test", "Hva virket ikke", "Armbåndene ble ikke brukt om natten.", "Søker samarbeidspartnere",
      "15. januar 2024",
    ]) {
      expect(res.text).toContain(text);
    }
    expect(res.text).not.toContain("Endringshistorikk");
    // Issue 15: a project page stays within 40 kB of HTML (pictures excluded).
    expect(Buffer.byteLength(res.text)).toBeLessThan(40_000);
  });

  it("keeps drafts private: 404 for the public", async () => {
    const res = await request(inst.app).get(`/prosjekter/${draft.slug}`).expect(404);
    expectNb(res.text);
    expect(res.text).not.toContain("Hemmelig utkast");
    await request(inst.app).get("/prosjekter/finnes-ikke").expect(404);
    await request(inst.app).get("/prosjekter/%3Cscript%3E").expect(404);
  });

  it("shows a remote project's copy with a banner naming its municipality and linking the original", async () => {
    const res = await request(inst.app).get(`/prosjekter/fra/${remoteId}`).expect(200);
    expectNb(res.text);
    expect(res.text).toContain("Dette prosjektet kommer fra");
    expect(res.text).toContain("Asker kommune");
    expect(res.text).toContain('href="https://asker.example/prosjekter/boligkontor"');
    await request(inst.app).get(`/prosjekter/fra/${published.id}`).expect(404);
    await request(inst.app).get("/prosjekter/fra/ukjent").expect(404);
  });

  it("shows the municipality's profile with its projects", async () => {
    await request(inst.app).get("/kommune").expect(303).expect("location", "/kommune/fredrikstad");
    expect((await request(inst.app).get("/")).text).toContain(`href="/kommune/fredrikstad"`);
    const res = await request(inst.app).get("/kommune/fredrikstad").expect(200);
    expectNb(res.text);
    for (const text of ["Fredrikstad kommune", "3107", "Østfold", "Smart kommune", "Fallsensorer for eldre"]) {
      expect(res.text).toContain(text);
    }
    expect(res.text).not.toContain("Hemmelig utkast");
    await request(inst.app).get("/kommune/sarpsborg").expect(404);
  });

  it("serves an Atom feed of published local projects, newest first", async () => {
    const res = await request(inst.app).get("/prosjekter.atom").expect(200).expect("content-type", /application\/atom\+xml/);
    const body = res.text;
    expect(body).toContain('<feed xmlns="http://www.w3.org/2005/Atom"');
    const titles = [...body.matchAll(/<entry>\s*<id>[^<]+<\/id>\s*<title>([^<]+)<\/title>/g)].map((m) => m[1]);
    expect(titles).toEqual(["Svømming i sjøen", "Fallsensorer for eldre"]);
    expect(body).not.toContain("Hemmelig utkast");
    expect(body).not.toContain("Samordnet boligkontor");
    expect(body).toContain(`<id>${published.url}</id>`);
  });

  it("never lets hostile HTML through unescaped", async () => {
    const hostile = await addProject(inst, {
      title: `<script>alert("tittel")</script> Trygg`,
      summary: `<img src=x onerror="alert(1)"> oppsummering`,
      description: `Hei <script>alert(2)</script> [klikk](javascript:alert(3)) <a href="#" onclick="alert(4)">lenke</a> <img src="x" onerror="alert(5)">`,
      lessons: `<iframe src="https://evil.example"></iframe>`,
      contacts: [{ name: `"><svg onload=alert(6)>`, role: "", email: "" }],
      partners: [{ type: "annet", name: "<b>fet</b>" }],
      published: true,
    });
    const pages = [
      await request(inst.app).get(`/prosjekter/${hostile.slug}`).expect(200),
      await request(inst.app).get("/prosjekter").expect(200),
      await request(inst.app).get("/").expect(200),
      await request(inst.app).get("/prosjekter.atom").expect(200),
    ];
    for (const { text } of pages) {
      expect(text).not.toMatch(/<script>alert/);
      expect(text).not.toMatch(/<img[^>]*onerror/i);
      expect(text).not.toMatch(/<svg/i);
      expect(text).not.toMatch(/<iframe/i);
      expect(text).not.toMatch(/<a [^>]*onclick/i);
      expect(text).not.toContain('href="javascript:');
    }
    expect(pages[0].text).toContain("&lt;script&gt;alert(&quot;tittel&quot;)&lt;/script&gt; Trygg");
    expect(pages[0].text).toContain("&lt;b&gt;fet&lt;/b&gt;");
    expect(pages[0].headers["content-security-policy"]).toContain("script-src 'self'");
  });
});
