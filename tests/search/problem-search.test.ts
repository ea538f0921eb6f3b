// Search by problem and "Lignende prosjekter" on a real instance, and the bad
// input a paste box invites: 20,000 characters, only stop words, 200
// different words, emoji and control characters. Each gets a sensible result
// or a clear 400 naming the field, never a 500, and no statement is left
// running on the database after the answer.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { sql } from "drizzle-orm";
import { rowsOf } from "../../db/client.ts";
import { drivers } from "../helpers/databases.ts";
import { startTestInstance, type TestInstance } from "../helpers/instance.ts";

describe.each(drivers)("search by problem on %s", (driver) => {
  let inst: TestInstance;
  const auth = () => ({ Authorization: `Bearer ${inst.adminToken}` });
  const problem = (body: unknown) => request(inst.app).post("/api/v1/search/problem").send(body as object);
  const create = async (body: Record<string, unknown>) => {
    const res = await request(inst.app).post("/api/v1/projects").set(auth()).send({ published: true, phase: "drift", ...body }).expect(201);
    await inst.ctx.events.settled();
    return res.body as { id: string };
  };
  let fall: { id: string };
  let flood: { id: string };
  let nightWatch: { id: string };

  beforeAll(async () => {
    inst = await startTestInstance({ driver });
    fall = await create({
      title: "Fallsensorer for hjemmeboende",
      summary: "Sensorer i taket oppdager fall og varsler alarmsentralen.",
      floke: "Eldre som faller om natten blir liggende lenge før noen finner dem.",
    });
    nightWatch = await create({
      title: "Digitalt nattilsyn",
      summary: "Hjemmetjenesten ser til brukerne om natten med sensorer i stedet for besøk.",
      floke: "Nattlige besøk vekker brukerne, og eldre som faller blir oppdaget for sent.",
    });
    flood = await create({
      title: "Regnbed mot overvann",
      summary: "Regnvannet ledes til regnbed i stedet for avløpet.",
      floke: "Kjellere blir oversvømt når det kommer styrtregn.",
    });
    await create({ title: "Meråpent bibliotek", summary: "Lånerne låser seg inn med bibliotekkortet om kvelden." });
  });
  afterAll(() => inst?.close());

  it("finds the projects that address a pasted problem, best first", async () => {
    const { body } = await problem({
      text:
        "Hos oss bor mange eldre alene. Når noen faller om natten, tar det ofte timer før hjemmetjenesten oppdager det. " +
        "Vi har ikke folk til flere nattlige besøk.",
    }).expect(200);
    const ids = body.hits.map((h: { id: string }) => h.id);
    expect(ids.slice(0, 2).sort()).toEqual([fall.id, nightWatch.id].sort());
    expect(ids).not.toContain(flood.id);
  });

  it("shows Lignende prosjekter: the same problem elsewhere, never the project itself", async () => {
    const project = await inst.ctx.db.execute(sql`select id, title, summary, floke, behov from projects where id = ${fall.id}`);
    const [row] = rowsOf<{ id: string; title: string; summary: string; floke: string; behov: string }>(project);
    const similar = await inst.search.service.similar(row);
    expect(similar.map((h) => h.id)[0]).toBe(nightWatch.id);
    expect(similar.map((h) => h.id)).not.toContain(fall.id);
  });

  it("lists Lignende prosjekter on the project page, linking to the projects, not to itself", async () => {
    const slugOf = async (id: string) => (await request(inst.app).get(`/api/v1/projects/${id}`).expect(200)).body.slug as string;
    const page = await request(inst.app).get(`/prosjekter/${await slugOf(fall.id)}`).expect(200);
    const section = page.text.slice(page.text.indexOf('aria-labelledby="lignende"'));
    expect(section).toContain("Lignende prosjekter");
    expect(section).toContain(`<a href="/prosjekter/${await slugOf(nightWatch.id)}">Digitalt nattilsyn</a>`);
    expect(section).not.toContain(`/prosjekter/${await slugOf(fall.id)}"`);
    expect(section).not.toContain("Meråpent bibliotek");
  });

  it("reads a 20,000-character paste and refuses a longer one by name", async () => {
    const sentence = "Eldre faller om natten og hjemmetjenesten oppdager det for sent. ";
    const text = sentence.repeat(400).slice(0, 20_000);
    expect(text).toHaveLength(20_000);
    const { body } = await problem({ text }).expect(200);
    expect(body.hits.slice(0, 2).map((h: { id: string }) => h.id).sort()).toEqual([fall.id, nightWatch.id].sort());
    const tooLong = await problem({ text: `${text}x` }).expect(400);
    expect(tooLong.body.error.fields).toEqual([{ field: "text", message: "kan ha høyst 20000 tegn" }]);
    await expect(problem({}).expect(400)).resolves.toBeTruthy();
    const empty = await problem({ text: "   " }).expect(400);
    expect(empty.body.error.fields[0].field).toBe("text");
  });

  it("answers only stop words, 200 different words, emoji and control characters sensibly", async () => {
    const stop = await problem({ text: "og i på for av med som en et den det at fra om ved eller men ikke" }).expect(200);
    expect(stop.body).toMatchObject({ total: 0, hits: [] });
    const words200 = Array.from({ length: 200 }, (_, i) => `ord${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + Math.floor(i / 26))}`);
    const many = await problem({ text: `${words200.join(" ")} overvann styrtregn` }).expect(200);
    expect(many.body.hits[0].id).toBe(flood.id);
    // 200 different words as a query: the first words are read as a problem description.
    const q200 = await request(inst.app).get("/api/v1/search").query({ q: `styrtregn kjellere ${words200.slice(0, 60).join(" ")}` }).expect(200);
    expect(q200.body.hits[0].id).toBe(flood.id);
    const emoji = await request(inst.app).get("/api/v1/search").query({ q: "🌧️ overvann 💧" }).expect(200);
    expect(emoji.body.hits.map((h: { id: string }) => h.id)).toEqual([flood.id]);
    const onlyEmoji = await problem({ text: "🌧️💧🚒" }).expect(200);
    expect(onlyEmoji.body).toMatchObject({ total: 0, hits: [] });
    // Control characters: a clear 400 naming the field, in the query string and in a JSON body.
    const control = await request(inst.app).get("/api/v1/search").query({ q: "overvann\u0000\u0007\u001b[31m" }).expect(400);
    expect(control.body.error.fields.map((f: { field: string }) => f.field)).toEqual(["q"]);
    const bad = await problem({ text: "overvann\u0000" }).expect(400);
    expect(bad.body.error.fields.map((f: { field: string }) => f.field)).toEqual(["text"]);
    // Tabs and line breaks are what a paste holds, not control characters to refuse.
    const pasted = await problem({ text: "Kjellere blir oversvømt.\r\n\tStyrtregn og overvann." }).expect(200);
    expect(pasted.body.hits[0].id).toBe(flood.id);
  });

  it.runIf(driver === "postgres")("leaves no statement running after a long paste", async () => {
    const text = Array.from({ length: 3000 }, (_, i) => `tema${i} sensor fall natt`).join(" ").slice(0, 20_000);
    await problem({ text }).expect(200);
    const running = rowsOf<{ n: number }>(
      await inst.ctx.db.execute(
        sql`select count(*)::int as n from pg_stat_activity where state = 'active' and pid <> pg_backend_pid() and query ilike '%search_documents%'`,
      ),
    );
    expect(running[0].n).toBe(0);
  });
});
