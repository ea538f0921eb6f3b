// The instance's actor as an organisation on Mastodon (issue 13 item 4):
// published, an uploaded icon and header, profile links with rel="me",
// discoverable/indexable set by the administrator, paged followers and
// following, a featured collection of pinned projects; and project pictures
// as attachments. Checked against what Mastodon reads (fixtures/
// mastodon-requirements.json) and by expanding the documents with the
// `jsonld` library, independently of Fedify's own parser.
import { readFileSync } from "node:fs";
import jsonld from "jsonld";
import sharp from "sharp";
import { preloadedContexts } from "@fedify/vocab-runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { drivers } from "../helpers/databases.ts";
import type { TestInstance } from "../helpers/instance.ts";
import { addFollowerAt, eventually, publish, startMunicipality } from "./helpers.ts";
import { csrfFrom, signInAdmin, type Agent } from "../http/pages-support.ts";
import { getProject } from "../../db/projects.ts";

const rules = JSON.parse(readFileSync(new URL("../fixtures/mastodon-requirements.json", import.meta.url), "utf8"));
const ap = { accept: "application/activity+json" };
const AS = "https://www.w3.org/ns/activitystreams#";
const TOOT = "http://joinmastodon.org/ns#";
const SCHEMA = "http://schema.org#";

async function getJson(url: string): Promise<any> {
  const r = await fetch(url, { headers: ap });
  expect(r.status, url).toBe(200);
  return r.json();
}

/** Expands with the jsonld library; contexts come from the preloaded copies, never the network. */
async function expand(doc: unknown): Promise<any[]> {
  const documentLoader = async (url: string) => {
    const document = (preloadedContexts as Record<string, unknown>)[url];
    if (!document) throw new Error(`context not preloaded: ${url}`);
    return { contextUrl: undefined, documentUrl: url, document };
  };
  return jsonld.expand(doc as any, { documentLoader: documentLoader as any });
}

async function picture(width: number, height: number, alpha = false): Promise<Buffer> {
  const image = sharp({ create: { width, height, channels: alpha ? 4 : 3, background: alpha ? "#c0392b80" : "#1f4e79" } });
  return alpha ? image.png().toBuffer() : image.jpeg().toBuffer();
}

describe.each(drivers)("the actor on Mastodon (%s)", (driver) => {
  let a: TestInstance;
  let agent: Agent;
  let csrf: string;
  const projects: any[] = [];

  beforeAll(async () => {
    a = await startMunicipality("fredrikstad", { driver });
    ({ agent, csrf } = await signInAdmin(a));
    for (let i = 1; i <= 6; i++) projects.push(await publish(a, { title: `Prosjekt nummer ${i}` }));
  }, 120_000);
  afterAll(() => a?.close());

  const actorUrl = () => a.municipality!.actorUrl;

  it("has published, is discoverable and indexable by default, and names its featured collection", async () => {
    const actor = await getJson(actorUrl());
    expectRequired(actor, rules.actor.required);
    expect(new Date(actor.published).getTime()).toBe(a.municipality!.createdAt.getTime());
    expect(actor.discoverable).toBe(true);
    expect(actor.indexable).toBe(true);
    expect(actor.featured).toBe(`${actorUrl()}/featured`);
  });

  it("the administrator sets profile links (rendered with rel=\"me\") and turns discoverable and indexable off", async () => {
    const page = await agent.get("/admin/kommune").expect(200);
    expect(page.text).toContain(`action="/admin/kommune/fodiverset"`);
    const refused = await agent.post("/admin/kommune/fodiverset").type("form").send({
      _csrf: csrf,
      "links.0.label": "Innbyggertorget",
      "links.0.url": "http://ikke-sikker.example",
    });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain("Lenke 1, adresse: må være en https://-adresse eller mailto:e-post");
    expect(refused.text).toContain('value="Innbyggertorget"');

    await agent
      .post("/admin/kommune/fodiverset")
      .type("form")
      .send({
        _csrf: csrf,
        "links.0.label": "Innbyggertorget",
        "links.0.url": "https://www.fredrikstad.kommune.no/innbyggertorget",
        "links.1.label": "Kontakt",
        "links.1.url": "mailto:innovasjon@fredrikstad.kommune.no",
      })
      .expect(303);
    const actor = await eventually(async () => {
      const doc = await getJson(actorUrl());
      return doc.discoverable === false ? doc : undefined;
    });
    expect(actor.indexable).toBe(false);
    const fields = [actor.attachment].flat();
    for (const f of fields) expectRequired(f, rules.actor.profileFields.required);
    expect(fields).toContainEqual(
      expect.objectContaining({
        type: "PropertyValue",
        name: "Innbyggertorget",
        value: '<a href="https://www.fredrikstad.kommune.no/innbyggertorget" rel="me nofollow noopener" target="_blank">https://www.fredrikstad.kommune.no/innbyggertorget</a>',
      }),
    );
    expect(fields).toContainEqual(expect.objectContaining({ name: "Kontakt", value: expect.stringContaining('href="mailto:innovasjon@fredrikstad.kommune.no" rel="me') }));
    // Facts stay plain text.
    expect(fields).toContainEqual(expect.objectContaining({ name: "Kommunenummer", value: "3107" }));

    const expanded = (await expand(actor))[0];
    expect(expanded[`${TOOT}discoverable`]).toEqual([{ "@value": false }]);
    expect(expanded[`${TOOT}indexable`]).toEqual([{ "@value": false }]);
    expect(expanded[`${AS}attachment`].map((f: any) => f["@type"][0])).toContain(`${SCHEMA}PropertyValue`);
  });

  it("an uploaded icon becomes a 400 × 400 picture and a header 1500 × 500, both on the actor", async () => {
    const icon = await agent
      .post("/admin/kommune/bilder")
      .field("_csrf", csrf)
      .field("slot", "icon")
      .field("iconAlt", "Fredrikstads kommunevåpen")
      .attach("file", await picture(900, 600, true), "vapen.png");
    expect(icon.status).toBe(303);
    const header = await agent
      .post("/admin/kommune/bilder")
      .field("_csrf", csrf)
      .field("slot", "header")
      .field("headerAlt", "Gamlebyen sett fra elva")
      .attach("file", await picture(3000, 2000), "gamlebyen.jpg");
    expect(header.status).toBe(303);
    const svg = await agent
      .post("/admin/kommune/bilder")
      .field("_csrf", csrf)
      .field("slot", "icon")
      .attach("file", Buffer.from("<svg xmlns='http://www.w3.org/2000/svg'/>"), "vapen.svg");
    expect(svg.status).toBe(415);
    expect(svg.text).toContain("SVG-bilder tas ikke imot");

    const actor = await eventually(async () => {
      const doc = await getJson(actorUrl());
      return doc.image ? doc : undefined;
    });
    expect(actor.icon).toMatchObject({ type: "Image", mediaType: "image/png", width: 400, height: 400, name: "Fredrikstads kommunevåpen" });
    expect(actor.image).toMatchObject({ type: "Image", mediaType: "image/jpeg", width: 1500, height: 500 });
    // People see the same logo on the profile page.
    const profilePage = await (await fetch(actorUrl(), { headers: { accept: "text/html" } })).text();
    expect(profilePage).toContain(`src="${actor.icon.url}"`);
    const served = Buffer.from(await (await fetch(actor.icon.url)).arrayBuffer());
    const meta = await sharp(served).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(["png", 400, 400]);
    const expanded = (await expand(actor))[0];
    expect(expanded[`${AS}icon`][0]["@type"]).toEqual([`${AS}Image`]);
    expect(expanded[`${AS}image`][0][`${AS}url`][0]["@id"]).toBe(actor.image.url);
  });

  it("followers and following are paged collections with a first page (Mastodon shows them)", async () => {
    for (let i = 0; i < 60; i++) await addFollowerAt(a.ctx.db, "https://mastodon.example", `bruker${i}`);
    const collection = await getJson(`${actorUrl()}/followers`);
    expect(collection).toMatchObject({ type: "OrderedCollection", totalItems: 60 });
    expect(typeof collection.first).toBe("string");
    const first = await getJson(collection.first);
    expect(first.type).toBe("OrderedCollectionPage");
    expect(first.orderedItems).toHaveLength(50);
    const second = await getJson(first.next);
    expect(second.orderedItems).toHaveLength(10);
    expect(second.next).toBeUndefined();
    expect(new Set([...first.orderedItems, ...second.orderedItems]).size).toBe(60);

    const following = await getJson(`${actorUrl()}/following`);
    expect(following).toMatchObject({ type: "OrderedCollection", totalItems: 0 });
    expect(typeof following.first).toBe("string");
    expect((await fetch(`${actorUrl()}/followers?cursor=abc`, { headers: ap })).status).toBe(404);
  });

  it("staff pin up to five projects; the featured collection lists them as Articles", async () => {
    const pin = (id: string) => agent.post("/admin/kommune/festet").type("form").send({ _csrf: csrf, projectId: id, action: "pin" });
    for (const p of projects.slice(0, 5)) expect((await pin(p.id)).status).toBe(303);
    const sixth = await pin(projects[5].id);
    expect(sixth.status).toBe(409);
    expect(sixth.text).toContain("høyst 5 prosjekter kan festes");

    const featured = await getJson(`${actorUrl()}/featured`);
    const items = featured.orderedItems ?? featured.items;
    expect(items.map((i: any) => i.id)).toEqual(projects.slice(0, 5).map((p) => p.url));
    expect(items.every((i: any) => i.type === "Article")).toBe(true);

    await agent.post("/admin/kommune/festet").type("form").send({ _csrf: csrf, projectId: projects[0].id, action: "unpin" }).expect(303);
    const after = await getJson(`${actorUrl()}/featured`);
    expect((after.orderedItems ?? after.items).map((i: any) => i.id)).toEqual(projects.slice(1, 5).map((p) => p.url));
  });

  it("a project's pictures travel as attachments: Image first with mediaType, size and alt text, then Document and Link", async () => {
    const project = projects[1];
    const edit = await agent.get(`/admin/prosjekter/${project.id}/rediger`).expect(200);
    const token = csrfFrom(edit.text);
    const pdf = Buffer.from("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n");
    await agent.post(`/admin/prosjekter/${project.id}/vedlegg`).field("_csrf", token).field("alt", "Rapport 2026").attach("file", pdf, "rapport.pdf").expect(303);
    await agent.post(`/admin/prosjekter/${project.id}/lenker`).type("form").send({ _csrf: token, url: "https://video.example/v/1", title: "Video fra praksisen" }).expect(303);
    await agent.post(`/admin/prosjekter/${project.id}/vedlegg`).field("_csrf", token).field("alt", "To ansatte ved en skjerm").attach("file", await picture(2400, 1600), "foto.jpg").expect(303);

    const article = await getJson(project.url);
    expect(article.attachment).toHaveLength(3);
    const [image, document, link] = article.attachment;
    expect(image).toMatchObject({ type: "Image", mediaType: "image/jpeg", width: 1600, height: 1067, name: "To ansatte ved en skjerm" });
    expect(image.url).toMatch(new RegExp(`^${a.url}/media/[0-9a-f]{40}\\.jpg$`));
    expect(document).toMatchObject({ type: "Document", mediaType: "application/pdf", name: "Rapport 2026" });
    expect(link).toMatchObject({ type: "Link", href: "https://video.example/v/1", name: "Video fra praksisen" });
    // What Mastodon's media attachment parser needs: a url and a mediaType (a Link has neither and is skipped).
    for (const m of [image, document]) expect(typeof m.url === "string" && typeof m.mediaType === "string").toBe(true);
    const expanded = (await expand(article))[0];
    const first = expanded[`${AS}attachment`][0];
    expect(first["@type"]).toEqual([`${AS}Image`]);
    expect(first[`${AS}width`][0]["@value"]).toBe(1600);

    // The change moved the project's version, so followers got an Update with the same attachments.
    const stored = await getProject(a.ctx.db, project.id);
    expect(stored!.updatedAt.getTime()).toBeGreaterThan(new Date(project.updatedAt).getTime());
    const outbox = await getJson(`${actorUrl()}/outbox?cursor=1`);
    const inOutbox = outbox.orderedItems.find((c: any) => c.object.id === project.url);
    expect(inOutbox.object.attachment[0]).toMatchObject({ type: "Image", name: "To ansatte ved en skjerm" });
  });
});

function get(obj: any, path: string): unknown {
  return path.split(".").reduce((o, k) => (o == null ? undefined : Array.isArray(o) ? o[0]?.[k] : o[k]), obj);
}
function expectRequired(doc: unknown, required: string[]) {
  for (const path of required) expect(get(doc, path) ?? null, path).not.toBeNull();
}
