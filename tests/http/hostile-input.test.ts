// Hostile content against a real instance (issue 11, findings 3 and 12): text
// that PostgreSQL or XML cannot carry, Markdown that overflows or stalls the
// renderer, JSON nested thousands deep, one title created ten times at once,
// and giant words in the projects a search returns. Each gets a clear 4xx
// naming the problem, or is handled, never a 500.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { drivers } from "../helpers/databases.ts";
import { startTestInstance, type TestInstance } from "../helpers/instance.ts";
import { addEditor, csrfFrom, signIn } from "./pages-support.ts";
import { createLocalProject } from "../../db/projects.ts";
import { upsertRemoteMunicipality } from "../../db/municipalities.ts";
import { upsertRemoteProject } from "../../db/remote-projects.ts";
import { emptyContent } from "../../core/project.ts";
import { activityStreamsContext, kominnContext, projectFromArticleJson } from "../../federation/project-object.ts";
import { rememberActor } from "../../federation/actor.ts";
import { renderMarkdown } from "../../core/markdown.ts";
import { Organization } from "@fedify/vocab";

/** XML 1.0 forbids these anywhere in a document. */
const xmlInvalid = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/u;

describe.each(drivers)("hostile input on %s", (driver) => {
  let inst: TestInstance;
  const auth = () => ({ Authorization: `Bearer ${inst.adminToken}` });
  const post = (path: string, body: unknown) => request(inst.app).post(path).set(auth()).send(body as object);
  const fieldsOf = (res: request.Response) => (res.body.error?.fields ?? []).map((f: { field: string }) => f.field);

  beforeAll(async () => {
    inst = await startTestInstance({ driver });
  });
  afterAll(() => inst?.close());

  it("refuses a NUL or another control character in any API text field with a 400 naming the field", async () => {
    const before = (await request(inst.app).get("/api/v1/projects").set(auth())).body.total;
    for (const [body, field] of [
      [{ title: "Null\u0000tegn", summary: "S", phase: "ide" }, "title"],
      [{ title: "T", summary: "S", phase: "ide", description: "a\u0000b" }, "description"],
      [{ title: "Kontroll\u0001tegn", summary: "S", phase: "ide" }, "title"],
      [{ title: "T", summary: "S", phase: "ide", contacts: [{ name: "Kari\u0000" }] }, "contacts.0.name"],
    ] as const) {
      const res = await post("/api/v1/projects", body).expect(400);
      expect(fieldsOf(res)).toContain(field);
      expect(JSON.stringify(res.body)).toMatch(/kontrolltegn/);
    }
    expect((await request(inst.app).get("/api/v1/projects").set(auth())).body.total).toBe(before);

    const { body: project } = await post("/api/v1/projects", { title: "Tabulator", summary: "S", phase: "ide", description: "a\tb\r\nc\nd" }).expect(201);
    // Tab and line breaks are kept (line endings stored as \n).
    expect(project.description).toBe("a\tb\nc\nd");
    const patch = await request(inst.app).patch(`/api/v1/projects/${project.id}`).set(auth()).send({ floke: "x\u0000" }).expect(400);
    expect(fieldsOf(patch)).toEqual(["floke"]);
    const collab = await post("/api/v1/collaboration-requests", {
      project: "https://peer.example/prosjekter/p", message: "Hei\u0000", contactName: "K", contactEmail: "k@example.org",
    }).expect(400);
    expect(fieldsOf(collab)).toContain("message");
    const search = await request(inst.app).get("/api/v1/search").query({ q: "sensor\u0000" }).expect(400);
    expect(fieldsOf(search)).toEqual(["q"]);
  });

  it("refuses a NUL in a form field or a query with a 400 page, never a 500", async () => {
    const { email, password } = await addEditor(inst);
    const editor = await signIn(inst, email, password);
    const res = await editor.agent.post("/admin/prosjekter/ny").type("form")
      .send({ _csrf: editor.csrf, title: "Null\u0000tegn", summary: "S", phase: "ide" }).expect(400);
    expect(res.text).toMatch(/kontrolltegn/);
    const login = await request.agent(inst.url).get("/logg-inn").expect(200);
    const signInNul = await request(inst.app).post("/logg-inn").type("form")
      .set("Cookie", login.headers["set-cookie"] ?? [])
      .send({ _csrf: csrfFrom(login.text), email: "a\u0000@b.no", password: "x" });
    expect(signInNul.status).toBe(400);
    await request(inst.app).get("/sok").query({ q: "\u0000" }).expect(400);
  });

  it("refuses a description too complex to render with a 422 naming the field", async () => {
    for (const description of ["> ".repeat(5_000), "_a".repeat(24_500)]) {
      const res = await post("/api/v1/projects", { title: "Kompleks", summary: "S", phase: "ide", description }).expect(422);
      expect(fieldsOf(res)).toEqual(["description"]);
    }
    const { body } = await post("/api/v1/projects", { title: "Enkel", summary: "S", phase: "ide" }).expect(201);
    const res = await request(inst.app).patch(`/api/v1/projects/${body.id}`).set(auth()).send({ description: "> ".repeat(5_000) }).expect(422);
    expect(fieldsOf(res)).toEqual(["description"]);
  });

  it("keeps older projects and imitations whose description is too complex editable, shown as text", async () => {
    const complex = `${"> ".repeat(5_000)}a`;
    const older = await createLocalProject(inst.ctx.db, {
      municipality: inst.municipality!, origin: inst.ctx.config.origin, slugBase: "eldre-kompleks",
      content: { ...emptyContent({ title: "Eldre kompleks", summary: "S", phase: "ide" }), description: complex },
      descriptionHtml: renderMarkdown(complex), published: false, actor: { accountId: null, name: "Skript" },
    });
    const patched = await request(inst.app).patch(`/api/v1/projects/${older.id}`).set(auth())
      .send({ title: "Nytt navn", description: complex }).expect(200);
    expect(patched.body.title).toBe("Nytt navn");

    const peer = await upsertRemoteMunicipality(inst.ctx.db, {
      actorUrl: "https://kompleks.example/kommune/k", handle: "k", domain: "kompleks.example", name: "Kompleks kommune",
    });
    const original = await upsertRemoteProject(inst.ctx.db, peer, {
      url: "https://kompleks.example/prosjekter/k", slug: "k",
      content: { ...emptyContent({ title: "Kompleks original", summary: "S", phase: "drift" }), description: complex },
      descriptionHtml: renderMarkdown(complex), imitationOf: null, publishedAt: new Date(), updatedAt: new Date(),
    });
    const copy = await post("/api/v1/imitations", { original: original!.url }).set("content-type", "application/json").expect(201);
    expect(copy.body.description).toBe(complex);
    expect(copy.body.descriptionHtml).toMatch(/^<p>&gt; &gt; /);
  });

  it("answers JSON nested thousands deep with a 400 that names the nesting", async () => {
    for (const depth of [5_000, 100_000]) {
      for (const body of ["[".repeat(depth) + "]".repeat(depth), '{"title":'.repeat(depth) + "1" + "}".repeat(depth)]) {
        const res = await request(inst.app).post("/api/v1/projects").set(auth()).set("content-type", "application/json").send(body).expect(400);
        expect(res.body.error.message).toMatch(/nest/i);
        expect(fieldsOf(res)).toEqual(["(body)"]);
      }
    }
    // Strings that only look like nesting are text.
    const { body } = await post("/api/v1/projects", { title: "Klammer", summary: "S", phase: "ide", floke: "[{\"".repeat(3_000) }).expect(201);
    expect(body.floke).toBe("[{\"".repeat(3_000));
  });

  it("gives ten concurrent creates of one title ten projects with ten URLs", async () => {
    const results = await Promise.all(
      Array.from({ length: 10 }, () => post("/api/v1/projects", { title: "Samtidig tittel", summary: "S", phase: "ide" })),
    );
    expect(results.map((r) => r.status)).toEqual(Array(10).fill(201));
    const urls = new Set(results.map((r) => r.body.url as string));
    expect(urls.size).toBe(10);
    for (const url of urls) expect(url).toMatch(/\/prosjekter\/samtidig-tittel(-[a-z0-9]+)?$/);
  });

  it("keeps the Atom feed valid XML when a stored title carries a control character", async () => {
    // Neither database can hold a NUL, but both hold U+0001 (stored before input was checked, or by a script).
    await createLocalProject(inst.ctx.db, {
      municipality: inst.municipality!,
      origin: inst.ctx.config.origin,
      slugBase: "kontrolltegn",
      content: emptyContent({ title: "Kontroll\u0001tegn", summary: "Sammen\u001Fdrag", phase: "ide" }),
      descriptionHtml: "<p>Beskrivelse\u0008</p>",
      published: true,
      actor: { accountId: null, name: "Skript" },
    });
    const feed = await request(inst.app).get("/prosjekter.atom").expect(200);
    expect(feed.text).not.toMatch(xmlInvalid);
    expect(feed.text).toContain("<title>Kontrolltegn</title>");
    expect(feed.text).toContain("<summary>Sammendrag</summary>");
  });

  it("stores a peer municipality whose name and profile hold control characters, without them", async () => {
    const actor = new Organization({
      id: new URL("https://nul.example/kommune/nul"),
      name: "Nul\u0000 kommune",
      preferredUsername: "nul\u0001",
      summary: "<p>Om\u0000 oss\u0008</p>",
    });
    const municipality = await rememberActor(inst.ctx.db, actor);
    expect(municipality).toMatchObject({ name: "Nul kommune", handle: "nul", description: "Om oss" });
  });

  it("finds the right hit, with a snippet, among ten projects and a remote one holding 48,000-letter words", async () => {
    const giant = "fall".repeat(12_000) + "sensor";
    for (let i = 0; i < 10; i++) {
      await post("/api/v1/projects", {
        title: `Lang tekst ${i}`, summary: "Et sammendrag uten treff.", phase: "drift", published: true,
        description: `${giant.slice(i)} og så varsles alarmsentralen ${i}`,
      }).expect(201);
    }
    const municipality = await upsertRemoteMunicipality(inst.ctx.db, {
      actorUrl: "https://fjern.example/kommune/fjern", handle: "fjern", domain: "fjern.example", name: "Fjern kommune",
    });
    const received = projectFromArticleJson({
      "@context": [activityStreamsContext, kominnContext],
      id: "https://fjern.example/prosjekter/lang", type: "Article", attributedTo: municipality.actorUrl,
      name: "Fjern lang tekst", summary: "Fjernt sammendrag.", phase: "drift",
      source: { content: `${giant} fjernvarsling av alarmsentralen`, mediaType: "text/markdown" },
    });
    const remote = await upsertRemoteProject(inst.ctx.db, municipality, { ...received, publishedAt: new Date() });
    inst.ctx.events.emit("remote.project.upserted", { project: remote! });
    await inst.ctx.events.settled();

    const { body } = await request(inst.app).get("/api/v1/search").query({ q: "alarmsentralen 7" }).expect(200);
    expect(body.hits[0].title).toBe("Lang tekst 7");
    expect(body.hits[0].snippet).toContain("<mark>alarmsentralen</mark>");
    const all = await request(inst.app).get("/api/v1/search").query({ q: "alarmsentralen", perPage: "50" }).expect(200);
    expect(all.body.total).toBe(11);
    for (const hit of all.body.hits) expect(hit.snippet).toContain("<mark>alarmsentralen</mark>");
    const page = await request(inst.app).get("/sok").query({ q: "fjernvarsling" }).expect(200);
    expect(page.text).toContain("Fjern lang tekst");
  });
});
