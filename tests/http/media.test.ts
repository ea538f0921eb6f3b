// Pictures, PDF reports and video links on projects: uploaded by staff through
// the edit page's own forms, checked, re-encoded and stored in the media
// directory, served immutable, removed with their project. Real HTTP, real
// sharp, PGlite and PostgreSQL.
import { existsSync, mkdtempSync, readdirSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import http from "node:http";
import pg from "pg";
import request from "supertest";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { drivers } from "../helpers/databases.ts";
import { startTestInstance, type TestInstance } from "../helpers/instance.ts";
import { addEditor, addProject, csrfFrom, signIn, signInAdmin, type Agent } from "./pages-support.ts";
import { listProjectMedia } from "../../db/media.ts";

/** A photo as a phone takes it: large, with EXIF naming who took it. */
async function photo(width = 3000, height = 2000): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: "#3366aa" } })
    .jpeg()
    .withExif({ IFD0: { Artist: "Hemmelig Fotograf", Copyright: "GPS 59.2,10.9" } })
    .toBuffer();
}

function pdf(extra = 0): Buffer {
  return Buffer.concat([Buffer.from("%PDF-1.4\n1 0 obj <<>> endobj\n"), Buffer.alloc(extra, 0x20), Buffer.from("\ntrailer <<>>\n%%EOF\n")]);
}

describe.each(drivers)("project media (%s)", (driver) => {
  let inst: TestInstance;
  let agent: Agent;
  let csrf: string;
  let mediaDir: string;

  beforeAll(async () => {
    mediaDir = mkdtempSync(join(tmpdir(), "kominn-media-test-"));
    // A file a crash left behind: written, but its row never committed.
    writeFileSync(join(mediaDir, `${"ab".repeat(20)}.jpg`), "orphan");
    utimesSync(join(mediaDir, `${"ab".repeat(20)}.jpg`), new Date(Date.now() - 3_600_000), new Date(Date.now() - 3_600_000));
    inst = await startTestInstance({ driver, env: { MEDIA_DIR: mediaDir } });
    ({ agent, csrf } = await signInAdmin(inst));
  });
  afterAll(async () => {
    await inst?.close();
  });

  const upload = (projectId: string, file: Buffer, fileName: string, alt: string, token = csrf) =>
    agent
      .post(`/admin/prosjekter/${projectId}/vedlegg`)
      .field("_csrf", token)
      .field("alt", alt)
      .attach("file", file, fileName);

  it("an orphaned file (written, its row never committed) is removed at start", () => {
    expect(existsSync(join(mediaDir, `${"ab".repeat(20)}.jpg`))).toBe(false);
  });

  it("a photo is resized, stripped of its metadata, served immutable, and shown with its alt text", async () => {
    const project = await addProject(inst, { title: "Velferdsteknologi i hjemmet", published: true });
    const res = await upload(project.id, await photo(), "IMG_0001.JPG", "Ansatt viser en nettbrettløsning til en bruker");
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/admin/prosjekter/${project.id}/rediger?vedlegg=lagt-til#vedlegg`);

    const [row] = await listProjectMedia(inst.ctx.db, project.id);
    expect(row).toMatchObject({ kind: "image", mediaType: "image/jpeg", width: 1600, height: 1067 });
    const served = await request(inst.url).get(`/media/${row.fileName}`).buffer(true).parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on("data", (c: Buffer) => chunks.push(c));
      r.on("end", () => cb(null, Buffer.concat(chunks)));
    });
    expect(served.status).toBe(200);
    expect(served.headers["content-type"]).toBe("image/jpeg");
    expect(served.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    expect(served.headers["x-content-type-options"]).toBe("nosniff");
    const body = served.body as Buffer;
    expect(body.includes(Buffer.from("Hemmelig Fotograf"))).toBe(false);
    const meta = await sharp(body).metadata();
    expect(meta.exif).toBeUndefined();
    expect([meta.width, meta.height]).toEqual([1600, 1067]);

    const page = await request(inst.url).get(`/prosjekter/${project.slug}`).expect(200);
    expect(page.text).toContain(`<img src="/media/${row.fileName}" alt="Ansatt viser en nettbrettløsning til en bruker" width="1600" height="1067">`);
    const edit = await agent.get(`/admin/prosjekter/${project.id}/rediger?vedlegg=lagt-til`).expect(200);
    expect(edit.text).toContain('enctype="multipart/form-data"');
    expect(edit.text).toContain("Ansatt viser en nettbrettløsning til en bruker");
    expect(edit.text).toContain(mediaNotice);
  });

  it("a draft's picture is not public before the project is published: signed out it is not found, staff see it uncached", async () => {
    const project = await addProject(inst, { title: "Hemmelig utkast" });
    await upload(project.id, await photo(640, 480), "utkast.jpg", "Skisse av en løsning som ikke er kunngjort").expect(303);
    const [row] = await listProjectMedia(inst.ctx.db, project.id);
    await request(inst.url).get(`/media/${row.fileName}`).expect(404);
    const staff = await agent.get(`/media/${row.fileName}`).expect(200);
    expect(staff.headers["cache-control"]).toBe("private, no-store");

    await inst.ctx.projects.update(inst.municipality!, project, { published: true }, { accountId: inst.admin!.id, name: "Anne Admin" });
    const open = await request(inst.url).get(`/media/${row.fileName}`).expect(200);
    expect(open.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
  });

  it("an image without alt text is refused, naming the field, and nothing is stored", async () => {
    const project = await addProject(inst, { title: "Uten bildetekst" });
    const res = await upload(project.id, await photo(400, 300), "bilde.jpg", "   ");
    expect(res.status).toBe(400);
    expect(res.text).toContain("Bildetekst eller dokumenttittel: skriv en bildetekst");
    expect(await listProjectMedia(inst.ctx.db, project.id)).toEqual([]);
  });

  it("hostile files are refused with the reason: wrong extension, SVG, a decompression bomb, a fake PDF", async () => {
    const project = await addProject(inst, { title: "Fiendtlige filer" });
    const png = await sharp({ create: { width: 10, height: 10, channels: 4, background: "#0000" } }).png().toBuffer();
    const disguised = await upload(project.id, png, "bilde.jpg", "Et bilde");
    expect(disguised.status).toBe(415);
    expect(disguised.text).toContain("filen heter .jpg, men innholdet er PNG");

    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
    const asSvg = await upload(project.id, svg, "logo.svg", "Logo");
    expect(asSvg.status).toBe(415);
    expect(asSvg.text).toContain("SVG-bilder tas ikke imot");
    const svgAsPng = await upload(project.id, svg, "logo.png", "Logo");
    expect(svgAsPng.status).toBe(415);

    // 12,000 × 12,000 pixels of one colour: a small file that would unpack to 400 MB.
    const bomb = await sharp({ create: { width: 12_000, height: 12_000, channels: 3, background: "#fff" } }).png({ compressionLevel: 9 }).toBuffer();
    expect(bomb.length).toBeLessThan(2 * 1024 * 1024);
    const bombed = await upload(project.id, bomb, "stort.png", "Hvitt");
    expect(bombed.status).toBe(422);
    expect(bombed.text).toContain("bildet har for mange piksler");

    const fakePdf = await upload(project.id, Buffer.from("<html><script>alert(1)</script></html>"), "rapport.pdf", "Rapport");
    expect(fakePdf.status).toBe(415);
    expect(fakePdf.text).toContain("innholdet er ikke en PDF");

    const huge = await upload(project.id, pdf(21 * 1024 * 1024), "stor.pdf", "Stor rapport");
    expect(huge.status).toBe(413);
    expect(huge.text).toContain("for stor");
    expect(await listProjectMedia(inst.ctx.db, project.id)).toEqual([]);
  });

  it("a PDF report is stored and served as a download; a video link needs https", async () => {
    const project = await addProject(inst, { title: "Sluttrapport", published: true });
    expect((await upload(project.id, pdf(1000), "sluttrapport.pdf", "")).status).toBe(303);
    const [doc] = await listProjectMedia(inst.ctx.db, project.id);
    expect(doc).toMatchObject({ kind: "document", mediaType: "application/pdf", name: "sluttrapport" });
    const served = await request(inst.url).get(`/media/${doc.fileName}`).expect(200);
    expect(served.headers["content-type"]).toBe("application/pdf");
    expect(served.headers["content-disposition"]).toMatch(/^attachment;/);
    expect(served.headers["content-security-policy"]).toContain("sandbox");

    const http = await agent.post(`/admin/prosjekter/${project.id}/lenker`).type("form").send({ _csrf: csrf, url: "http://video.example/1", title: "Film om praksisen" });
    expect(http.status).toBe(400);
    expect(http.text).toContain("Adresse til videoen: må begynne med https://");
    // The typed title is kept in the refused form.
    expect(http.text).toContain('value="Film om praksisen"');
    const ok = await agent.post(`/admin/prosjekter/${project.id}/lenker`).type("form").send({ _csrf: csrf, url: "https://video.example/1", title: "Film om praksisen" });
    expect(ok.status).toBe(303);
    const page = await request(inst.url).get(`/prosjekter/${project.slug}`).expect(200);
    expect(page.text).toContain('href="https://video.example/1"');
    expect(page.text).toContain(`href="/media/${doc.fileName}"`);
  });

  it("without the form's CSRF token, or signed out, nothing is stored", async () => {
    const project = await addProject(inst, { title: "Sikkerhet" });
    const forged = await upload(project.id, await photo(300, 200), "a.jpg", "Et bilde", "feil");
    expect(forged.status).toBe(403);
    const anonymous = await request(inst.url)
      .post(`/admin/prosjekter/${project.id}/vedlegg`)
      .field("_csrf", csrf)
      .field("alt", "Et bilde")
      .attach("file", await photo(300, 200), "a.jpg");
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.location).toMatch(/^\/logg-inn/);
    expect(await listProjectMedia(inst.ctx.db, project.id)).toEqual([]);

    // An editor may add pictures to projects, but not change the municipality's logo.
    const editor = await addEditor(inst);
    const { agent: editorAgent, csrf: editorCsrf } = await signIn(inst, editor.email, editor.password);
    const logo = await editorAgent
      .post("/admin/kommune/bilder")
      .field("_csrf", editorCsrf)
      .field("slot", "icon")
      .attach("file", await photo(300, 300), "logo.jpg");
    expect(logo.status).toBe(403);
    expect(await inst.ctx.media.profilePicture("icon")).toBeUndefined();
  });

  /**
   * An upload announcing 15 MB that sends its token, the start of its file
   * and then nothing more, on the signed-in agent's session; `answer` settles
   * with the server's response, if it answers before the body is complete.
   */
  async function unfinishedUpload(projectId: string, token: string) {
    const edit = await agent.get(`/admin/prosjekter/${projectId}/rediger`).expect(200);
    const cookie = String((edit as unknown as { req: http.ClientRequest }).req.getHeader("cookie"));
    const boundary = "----kominn-test";
    const req = http.request(`${inst.url}/admin/prosjekter/${projectId}/vedlegg`, {
      method: "POST",
      headers: { cookie, "content-type": `multipart/form-data; boundary=${boundary}`, "content-length": String(15 * 1024 * 1024) },
    });
    const answer = new Promise<{ status: number; text: string }>((resolve, reject) => {
      req.on("response", (res) => {
        let text = "";
        res.on("data", (c: Buffer) => (text += c.toString()));
        const done = () => {
          resolve({ status: res.statusCode ?? 0, text });
          req.destroy();
        };
        res.on("end", done);
        res.on("error", done);
      });
      req.on("error", (error) => (req.destroyed ? undefined : reject(error)));
    });
    req.write(`--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${token}\r\n`);
    req.write(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="stor.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\n`);
    req.write(Buffer.alloc(64 * 1024, 0x20));
    return { answer, end: () => req.destroy() };
  }

  it("an upload whose CSRF token is wrong is refused before its file is read (a huge body is not awaited)", async () => {
    const project = await addProject(inst, { title: "Stor forfalsket opplasting" });
    const forged = await unfinishedUpload(project.id, "forfalsket");
    expect((await forged.answer).status).toBe(403);
    expect(await listProjectMedia(inst.ctx.db, project.id)).toEqual([]);
  }, 30_000);

  it("one upload at a time an account: a second while the first is still arriving is refused (429), and allowed once it ends", async () => {
    const project = await addProject(inst, { title: "Samtidige opplastinger" });
    let slow = await unfinishedUpload(project.id, csrf);
    try {
      await vi.waitFor(async () => {
        const second = await upload(project.id, await photo(300, 200), "b.jpg", "Et annet bilde");
        if (second.status === 303) {
          // The second reached the server before the slow one (which was then refused): start the slow one again.
          slow.end();
          slow = await unfinishedUpload(project.id, csrf);
        }
        expect(second.status).toBe(429);
        expect(second.text).toContain("En annen opplasting fra deg pågår");
      }, { timeout: 20_000, interval: 200 });
    } finally {
      slow.end();
    }
    await vi.waitFor(async () => expect((await upload(project.id, await photo(300, 200), "c.jpg", "Et tredje bilde")).status).toBe(303), { timeout: 10_000, interval: 100 });
    expect((await listProjectMedia(inst.ctx.db, project.id)).map((m) => m.name)).toContain("Et tredje bilde");
  }, 40_000);

  it("removing an attachment, and deleting its project, removes the files", async () => {
    const project = await addProject(inst, { title: "Skal slettes" });
    await upload(project.id, await photo(800, 600), "a.jpg", "Første bilde").expect(303);
    await upload(project.id, await photo(801, 600), "b.jpg", "Andre bilde").expect(303);
    const [first, second] = await listProjectMedia(inst.ctx.db, project.id);
    expect(existsSync(join(mediaDir, first.fileName!))).toBe(true);
    // A sweep (as at start) keeps every file a row names.
    await inst.ctx.media.sweep(0);
    expect(existsSync(join(mediaDir, first.fileName!)) && existsSync(join(mediaDir, second.fileName!))).toBe(true);

    await agent.post(`/admin/prosjekter/${project.id}/vedlegg/${first.id}/slett`).type("form").send({ _csrf: csrf }).expect(303);
    expect(existsSync(join(mediaDir, first.fileName!))).toBe(false);
    await request(inst.url).get(`/media/${first.fileName}`).expect(404);

    const confirm = await agent.get(`/admin/prosjekter/${project.id}/slett`).expect(200);
    await agent.post(`/admin/prosjekter/${project.id}/slett`).type("form").send({ _csrf: csrfFrom(confirm.text) }).expect(303);
    await inst.subscribers.settled();
    expect(existsSync(join(mediaDir, second.fileName!))).toBe(false);
    // Only files some row still names are left.
    const left = readdirSync(mediaDir);
    expect(left.every((name) => !name.startsWith(".tmp-"))).toBe(true);
  });

  // PostgreSQL only: a second connection holds the upload's row back while the sweep runs.
  it.runIf(driver === "postgres")("a sweep never removes the file of an upload whose row is being committed (it reuses a crash's orphan of the same bytes)", async () => {
    const picture = await photo(700, 500);
    const earlier = await addProject(inst, { title: "Krasj før raden" });
    await upload(earlier.id, picture, "a.jpg", "Bilde").expect(303);
    const [orphan] = await listProjectMedia(inst.ctx.db, earlier.id);
    const project = await addProject(inst, { title: "Samme bilde på nytt", published: true });
    const db = new pg.Client({ connectionString: inst.ctx.config.databaseUrl });
    await db.connect();
    try {
      // A crash after the file was written, before its row was committed: the file stays, no row names it.
      await db.query("DELETE FROM media WHERE id = $1", [orphan.id]);
      // Many other orphans, so the sweep is still removing files when the upload's row commits.
      for (let n = 0; n < 3000; n++) writeFileSync(join(mediaDir, `${randomBytes(20).toString("hex")}.jpg`), "x");
      await db.query("BEGIN");
      await db.query("LOCK TABLE media IN SHARE MODE");
      const uploading = upload(project.id, picture, "b.jpg", "Samme bilde").then((res) => res);
      await vi.waitFor(async () => expect((await db.query("SELECT 1 FROM pg_locks WHERE NOT granted")).rowCount).toBeGreaterThan(0), { timeout: 20_000, interval: 20 });
      const before = readdirSync(mediaDir).length;
      const sweeping = inst.ctx.media.sweep(0);
      await vi.waitFor(() => expect(readdirSync(mediaDir).length).toBeLessThan(before), { timeout: 20_000, interval: 5 });
      await db.query("COMMIT");
      expect((await uploading).status).toBe(303);
      await sweeping;
    } finally {
      await db.end();
    }
    const [stored] = await listProjectMedia(inst.ctx.db, project.id);
    expect(stored.fileName).toBe(orphan.fileName);
    await request(inst.url).get(`/media/${stored.fileName}`).expect(200);
  });

  // PostgreSQL only: a second connection holds the project row while the upload runs, then deletes the project.
  it.runIf(driver === "postgres")("an upload to a project deleted meanwhile is answered 404 and leaves no file behind", async () => {
    const project = await addProject(inst, { title: "Slettes under opplastingen" });
    const db = new pg.Client({ connectionString: inst.ctx.config.databaseUrl });
    await db.connect();
    try {
      await db.query("BEGIN");
      await db.query("SELECT 1 FROM projects WHERE id = $1 FOR UPDATE", [project.id]);
      const uploading = upload(project.id, await photo(777, 555), "slettet.jpg", "Et bilde").then((res) => res);
      await vi.waitFor(async () => expect((await db.query("SELECT 1 FROM pg_locks WHERE NOT granted")).rowCount).toBeGreaterThan(0), { timeout: 20_000, interval: 20 });
      await db.query("DELETE FROM projects WHERE id = $1", [project.id]);
      await db.query("COMMIT");
      const res = await uploading;
      expect(res.status).toBe(404);
      const named = new Set((await db.query<{ file_name: string }>("SELECT file_name FROM media WHERE file_name IS NOT NULL")).rows.map((r) => r.file_name));
      expect(readdirSync(mediaDir).filter((name) => !named.has(name))).toEqual([]);
    } finally {
      await db.end();
    }
  });

  // PostgreSQL only: a second connection holds both pins back until both have counted what is pinned.
  it.runIf(driver === "postgres")("two administrators pinning at once never pin more than five projects", async () => {
    const projects = [];
    for (let n = 1; n <= 6; n++) projects.push(await addProject(inst, { title: `Festet prosjekt ${n}`, published: true }));
    const pin = (id: string) => agent.post("/admin/kommune/festet").type("form").send({ _csrf: csrf, projectId: id }).then((res) => res);
    const db = new pg.Client({ connectionString: inst.ctx.config.databaseUrl });
    await db.connect();
    try {
      await db.query("DELETE FROM featured_projects");
      for (const p of projects.slice(0, 4)) expect((await pin(p.id)).status).toBe(303);
      await db.query("BEGIN");
      await db.query("LOCK TABLE featured_projects IN SHARE MODE");
      const both = [pin(projects[4].id), pin(projects[5].id)];
      await vi.waitFor(async () => expect((await db.query("SELECT 1 FROM pg_locks WHERE NOT granted")).rowCount).toBeGreaterThanOrEqual(2), { timeout: 20_000, interval: 20 });
      await db.query("COMMIT");
      expect((await Promise.all(both)).map((r) => r.status).sort()).toEqual([303, 409]);
      expect((await db.query("SELECT project_id FROM featured_projects")).rowCount).toBe(5);
    } finally {
      await db.end();
    }
  });

  it("at most 20 attachments a project (409), and at most 60 uploads in ten minutes an account (429 with Retry-After)", async () => {
    const link = (projectId: string, n: number) =>
      agent.post(`/admin/prosjekter/${projectId}/lenker`).type("form").send({ _csrf: csrf, url: `https://video.example/${n}`, title: `Video ${n}` });
    const full = await addProject(inst, { title: "Mange vedlegg" });
    for (let n = 1; n <= 20; n++) expect((await link(full.id, n)).status).toBe(303);
    const tooMany = await link(full.id, 21);
    expect(tooMany.status).toBe(409);
    expect(tooMany.text).toContain("prosjektet har allerede 20 vedlegg");

    const other = await addProject(inst, { title: "Flere vedlegg" });
    let refused: request.Response | undefined;
    for (let n = 1; n <= 61 && !refused; n++) {
      const res = await link(other.id, n);
      // Past 20 the project answers 409, and those attempts count too.
      if (res.status === 429) refused = res;
    }
    expect(refused?.status).toBe(429);
    expect(Number(refused?.headers["retry-after"])).toBeGreaterThan(0);
  });
});

const mediaNotice = "Vedlegget er lagt til.";
