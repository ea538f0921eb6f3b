import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestInstance } from "../helpers/instance.ts";
import { api, publish, startMunicipality } from "./helpers.ts";
import { startTestInstance } from "../helpers/instance.ts";
import { projectArticleJson, projectFromArticleJson, kominnContext } from "../../federation/project-object.ts";
import { contentFields, type Project } from "../../core/project.ts";
import { renderMarkdown } from "../../core/markdown.ts";

const rules = JSON.parse(readFileSync(new URL("../fixtures/mastodon-requirements.json", import.meta.url), "utf8"));
const ap = { accept: "application/activity+json" };

function get(obj: any, path: string): unknown {
  return path.split(".").reduce((o, k) => (o == null ? undefined : Array.isArray(o) ? o[0]?.[k] : o[k]), obj);
}
/** Each path holds a value: not missing, not null, not an empty string (Mastodon drops the document otherwise). */
function expectRequired(doc: unknown, required: string[], what: string) {
  for (const path of required) {
    const value = get(doc, path);
    expect(value ?? null, `${what}: ${path}`).not.toBeNull();
    if (typeof value === "string") expect(value, `${what}: ${path}`).not.toBe("");
  }
}
const asArray = (v: unknown) => (Array.isArray(v) ? v : v === undefined ? [] : [v]);

describe("what Mastodon needs from our actor, projects and outbox", () => {
  let a: TestInstance;
  let project: any;
  beforeAll(async () => {
    a = await startMunicipality("fredrikstad");
    project = await publish(a, {
      title: "Velferdsteknologi i hjemmet",
      summary: "Trygghetsalarmer og sensorer hjemme hos eldre.",
      description: "Vi fant at **tidlig varsling** sparer både tid og bekymring.",
      serviceAreas: ["helse-omsorg", "administrasjon-digitalisering"],
    });
  }, 60_000);
  afterAll(() => a?.close());

  it("WebFinger finds the actor by handle", async () => {
    const host = new URL(a.url).host;
    const r = await fetch(`${a.url}/.well-known/webfinger?resource=acct:fredrikstad@${host}`);
    expect(r.headers.get("content-type")).toContain(rules.webfinger.contentType);
    const jrd = await r.json();
    expectRequired(jrd, rules.webfinger.required, "webfinger");
    expect(jrd.subject).toBe(`acct:fredrikstad@${host}`);
    expect(jrd.links).toContainEqual(expect.objectContaining({ ...rules.webfinger.selfLink, href: a.municipality!.actorUrl }));
  });

  it("the actor has what Mastodon checks, with the municipality's facts as profile fields", async () => {
    const r = await fetch(a.municipality!.actorUrl, { headers: ap });
    expect(r.headers.get("content-type")).toContain(rules.actor.contentType);
    const actor = await r.json();
    expectRequired(actor, rules.actor.required, "actor");
    expect(rules.actor.typeOneOf).toContain(actor.type);
    expect(actor.type).toBe("Organization");
    expect(actor.publicKey.owner).toBe(actor.id);
    expect(actor.name).toBe("Fredrikstad kommune");
    expect(actor.endpoints.sharedInbox).toBe(`${a.url}/inbox`);
    const fields = asArray(actor.attachment);
    for (const f of fields) expectRequired(f, rules.actor.profileFields.required, "profile field");
    expect(fields).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: "PropertyValue", name: "Kommunenummer", value: "3107" }),
        expect.objectContaining({ type: "PropertyValue", name: "Fylke", value: "Østfold" }),
      ]),
    );
    // Browsers get the HTML page at the same URL.
    const html = await fetch(a.municipality!.actorUrl, { headers: { accept: "text/html" } });
    expect(html.headers.get("content-type") ?? "").not.toContain("activity+json");
  });

  it("a project's URL serves an Article Mastodon shows readably, with hashtags for its service areas", async () => {
    const r = await fetch(project.url, { headers: ap });
    expect(r.status).toBe(200);
    const article = await r.json();
    expectRequired(article, rules.article.required, "article");
    expect(article.type).toBe(rules.article.type);
    expect(article.id).toBe(project.url);
    expect(new URL(article.id).host).toBe(new URL(article.attributedTo).host);
    expect(asArray(article.to).some((t) => rules.article.publicAddressing.includes(t))).toBe(true);
    expect(article.name).toBe("Velferdsteknologi i hjemmet");
    // FEP-b2b8: the summary as an HTML paragraph, each text tagged with its language (Mastodon shows it).
    expect(article.summaryMap).toEqual({ nb: "<p>Trygghetsalarmer og sensorer hjemme hos eldre.</p>" });
    expect(article.nameMap).toEqual({ nb: "Velferdsteknologi i hjemmet" });
    expect(article.content).toContain("<strong>tidlig varsling</strong>");
    expect(article.contentMap).toEqual({ nb: article.content });
    expect(article.url).toBe(project.url);
    // Misskey, Akkoma and GoToSocial fold a post behind any non-empty `summary`: none is sent.
    expect(article.summary).toBeUndefined();
    // Hashtag is not an ActivityStreams context term: declared as Mastodon does.
    expect(article["@context"]).toContainEqual({ Hashtag: "as:Hashtag" });
    const tags = asArray(article.tag);
    expect(tags.map((t: any) => t.name)).toEqual(["#helseomsorg", "#administrasjondigitalisering"]);
    for (const t of tags) {
      expectRequired(t, rules.article.hashtag.required, "hashtag");
      expect(t.type).toBe(rules.article.hashtag.type);
      expect(t.name).toMatch(new RegExp(rules.article.hashtag.namePattern, "u"));
    }
    // Our own terms ride along for peers.
    expect(article["@context"][1]).toEqual(kominnContext);
    expect(article.phase).toBe("test");
    expect(article.serviceAreas).toEqual(["helse-omsorg", "administrasjon-digitalisering"]);
  });

  it("the outbox is a paged OrderedCollection of Creates, newest first", async () => {
    const outbox = await (await fetch(`${a.municipality!.actorUrl}/outbox`, { headers: ap })).json();
    expectRequired(outbox, rules.outbox.required, "outbox");
    expect(rules.outbox.typeOneOf).toContain(outbox.type);
    expect(outbox.totalItems).toBe(1);
    const firstUrl = typeof outbox.first === "string" ? outbox.first : outbox.first.id;
    const page = await (await fetch(firstUrl, { headers: ap })).json();
    expect(rules.outbox.page.typeOneOf).toContain(page.type);
    const items = asArray(page.orderedItems);
    expect(items).toHaveLength(1);
    expect(items[0].type).toBe("Create");
    expect(items[0].object.id).toBe(project.url);
    expect(items[0].object.name).toBe("Velferdsteknologi i hjemmet");
  });

  it("NodeInfo 2.1 is linked from /.well-known/nodeinfo", async () => {
    const wk = await (await fetch(`${a.url}/.well-known/nodeinfo`)).json();
    const link = wk.links.find((l: any) => l.rel === rules.nodeinfo.wellKnownRel);
    expect(String(link?.href)).toMatch(new RegExp(`^${a.url}/`));
    const info = await (await fetch(link.href)).json();
    expectRequired(info, rules.nodeinfo.required, "nodeinfo");
    expect(info.version).toBe(rules.nodeinfo.version);
    expect(info.software.name).toBe("kominn");
    expect(info.protocols).toContain("activitypub");
    expect(info.usage.localPosts).toBe(1);
  });
});

describe("the national aggregator (KS)", () => {
  it("is a Service actor that follows others and publishes nothing", async () => {
    const ks = await startTestInstance({
      env: { KOMINN_ROLE: "aggregator" },
      setup: { name: "KS – nasjonal oversikt", handle: "ks", kommunenummer: null, adminEmail: "admin@ks.test" },
    });
    try {
      const actor = await (await fetch(ks.municipality!.actorUrl, { headers: ap })).json();
      expect(actor.type).toBe("Service");
      expect(rules.actor.typeOneOf).toContain(actor.type);
      const outbox = await (await fetch(actor.outbox, { headers: ap })).json();
      expect(outbox.totalItems).toBe(0);
      const refused = await api(ks, "POST", "/api/v1/projects", { title: "Noe", summary: "Noe", phase: "ide" });
      expect(refused.status).toBe(409);
    } finally {
      await ks.close();
    }
  }, 60_000);
});

describe("project → ActivityPub → project", () => {
  const project: Project = {
    id: "abcdefghijkl",
    slug: "fallsensorer-pa-ostsiden",
    url: "https://innovasjon.fredrikstad.kommune.no/prosjekter/fallsensorer-pa-ostsiden",
    local: true,
    published: true,
    title: "Fallsensorer på Østsiden",
    summary: "Sensorer varsler når noen faller, så hjelpen kommer raskere.",
    description: "## Bakgrunn\n\nMange fall skjer om natten.\n\n1. kartlegging\n2. test",
    descriptionHtml: "",
    floke: "Fall oppdages for sent.",
    behov: "Raskere hjelp etter fall.",
    phase: "test",
    n3Stage: "nyttig",
    innovationTypes: ["produkt-tjeneste", "prosess"],
    scale: "forbedring",
    serviceAreas: ["helse-omsorg"],
    strategicAreas: ["helse-i-alt"],
    municipalRoles: ["tjenesteprodusent"],
    plannedBenefits: [{ kind: "kvalitet", description: "Kortere tid på gulvet" }],
    realisedBenefits: [{ kind: "tid", description: "30 minutter spart per hendelse" }],
    partners: [{ type: "naeringsliv", name: "Sensorleverandør AS" }, { type: "forskning", name: "Høgskolen i Østfold" }],
    funding: ["egne-midler", "skjonnsmidler"],
    methods: ["tjenestedesign"],
    contacts: [{ name: "Ola Nordmann", role: "Prosjektleder", email: "ola@fredrikstad.kommune.no" }],
    lessons: "Involver nattevaktene tidlig.",
    lessonsFailed: "Første leverandør leverte ikke.",
    risk: "Falske alarmer.",
    cost: "150 000 kr",
    seekingPartners: true,
    startDate: "2024-03-01",
    endDate: "2025-02-28",
    adaptation: "Tilpasset for kommunale boliger i stedet for sykehjem.",
    imitationOf: null,
    municipality: {
      name: "Fredrikstad kommune",
      kommunenummer: "3107",
      fylke: "Østfold",
      handle: "fredrikstad",
      actorUrl: "https://innovasjon.fredrikstad.kommune.no/kommune/fredrikstad",
    },
    createdAt: new Date("2024-03-01T08:00:00Z"),
    updatedAt: new Date("2025-01-10T12:30:00Z"),
    publishedAt: new Date("2024-03-02T09:00:00Z"),
  };
  project.descriptionHtml = renderMarkdown(project.description);

  it("is identity for every content field, the dates and the HTML", () => {
    const wire = JSON.parse(JSON.stringify(projectArticleJson(project, { followersUrl: `${project.municipality.actorUrl}/followers` })));
    const back = projectFromArticleJson(wire);
    for (const f of contentFields) expect(back.content[f], f).toEqual(project[f]);
    expect(back.url).toBe(project.url);
    expect(back.attributedTo).toBe(project.municipality.actorUrl);
    expect(back.descriptionHtml).toBe(project.descriptionHtml);
    expect(back.publishedAt).toEqual(project.publishedAt);
    expect(back.updatedAt).toEqual(project.updatedAt);
    expect(back.imitationOf).toBeNull();
  });

  it("carries the original of an imitation both as our term and as a FEP-e232 link", () => {
    const original = "https://innovasjon.asker.kommune.no/prosjekter/nattilsyn";
    const wire = JSON.parse(JSON.stringify(projectArticleJson({ ...project, imitationOf: original }, { followersUrl: "https://x/f" })));
    expect(wire.imitationOf).toBe(original);
    expect(wire.tag).toContainEqual(expect.objectContaining({ type: "Link", href: original, mediaType: expect.stringContaining("activitystreams") }));
    expect(projectFromArticleJson(wire).imitationOf).toBe(original);
    expect(() => projectFromArticleJson({ ...wire, imitationOf: wire.id })).toThrow(/imitationOf/);
    expect(() => projectFromArticleJson({ ...wire, imitationOf: "javascript:alert(1)" })).toThrow();
  });

  it("sends the summary as escaped HTML under a language, never as a content warning, and reads it back as the plain text", () => {
    const tricky = { ...project, title: "Ny <KI> & sånt", summary: "Vi tester <KI> & \"chatboter\" i 'skolen' – 5 > 3." };
    const wire = JSON.parse(JSON.stringify(projectArticleJson(tricky, { followersUrl: "https://x/f" })));
    expect(wire.summary).toBeUndefined();
    expect(wire.summaryMap).toEqual({ nb: "<p>Vi tester &lt;KI&gt; &amp; &quot;chatboter&quot; i &#39;skolen&#39; – 5 &gt; 3.</p>" });
    expect(wire.name).toBe("Ny <KI> & sånt");
    expect(wire.nameMap).toEqual({ nb: "Ny <KI> & sånt" });
    const back = projectFromArticleJson(wire);
    expect(back.content.summary).toBe(tricky.summary);
    expect(back.content.title).toBe(tricky.title);
  });

  it("still reads the previous wire form, a plain-text summary, as it is", () => {
    const wire = JSON.parse(JSON.stringify(projectArticleJson(project, { followersUrl: "https://x/f" })));
    const { summaryMap: _map, nameMap: _names, contentMap: _contents, ...old } = wire;
    old["@context"] = old["@context"].slice(0, 2);
    const back = projectFromArticleJson({ ...old, summary: "Sensorer & <alarmer>" });
    expect(back.content.summary).toBe("Sensorer & <alarmer>");
    expect(() => projectFromArticleJson(old)).toThrow(/summary/);
  });

  it("has a JSON-LD term for every content field (a new field needs one)", () => {
    for (const f of contentFields) {
      if (f === "title" || f === "summary" || f === "description") continue;
      expect(kominnContext, f).toHaveProperty(f);
    }
  });

  it("keeps empty and null fields as they were", () => {
    const bare = { ...project, n3Stage: null, scale: null, startDate: null, endDate: null, partners: [], floke: "", methods: [] };
    const back = projectFromArticleJson(JSON.parse(JSON.stringify(projectArticleJson(bare, { followersUrl: "https://x/f" }))));
    for (const f of contentFields) expect(back.content[f], f).toEqual(bare[f]);
  });

  it("never takes a peer's HTML: the description is rendered and sanitised here", () => {
    const wire = projectArticleJson(project, { followersUrl: "https://x/f" }) as any;
    wire.content = '<script>alert(1)</script><p onclick="x()">hei</p>';
    wire.source = { content: 'Hei <img src=x onerror="alert(1)"><script>alert(2)</script> [lenke](javascript:alert(3))', mediaType: "text/markdown" };
    const back = projectFromArticleJson(wire);
    expect(back.descriptionHtml).not.toMatch(/<script|onerror|onclick|javascript:/i);
    expect(back.descriptionHtml).toContain("Hei");
  });

  it("refuses a document that is not a KOMINN project, naming what is wrong", () => {
    const wire = projectArticleJson(project, { followersUrl: "https://x/f" }) as any;
    expect(() => projectFromArticleJson({ ...wire, "@context": "https://www.w3.org/ns/activitystreams" })).toThrow(/@context/);
    expect(() => projectFromArticleJson({ ...wire, phase: "ukjent-fase" })).toThrow(/phase/);
    expect(() => projectFromArticleJson({ ...wire, type: "Note" })).toThrow(/type/);
    expect(() => projectFromArticleJson({ ...wire, contacts: [{ name: "" }] })).toThrow(/contacts/);
  });
});
