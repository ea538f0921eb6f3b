import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { drivers } from "../helpers/databases.ts";
import { startTestInstance, type TestInstance } from "../helpers/instance.ts";
import { rowsOf } from "../../db/client.ts";
import { getIdea } from "../../db/ideas.ts";
import { listMail } from "../../db/mail-outbox.ts";
import { IdeaService } from "../../services/ideas.ts";
import { ChallengeService } from "../../services/challenges.ts";
import { anIdea, visitor } from "./support.ts";

const day = 86_400_000;

describe.each(drivers)("the measure and retention on %s", (driver) => {
  let inst: TestInstance;
  let ideas: IdeaService;
  const actor = () => ({ accountId: inst.admin!.id, name: "Anne Admin", role: "admin" as const });

  beforeAll(async () => {
    inst = await startTestInstance({ driver });
    ideas = new IdeaService(inst.ctx.db, inst.ctx.events, inst.ctx.projects, { origin: inst.url });
  });
  afterAll(() => inst?.close());

  const input = (title: string, serviceArea: string | null) => ({ ...anIdea, title, serviceArea, submitterName: null, submitterEmail: null, showName: false });

  it("shows per year and service area what the ideas' own dates say", async () => {
    const staff = { kind: "staff" as const, accountId: inst.admin!.id, name: "Anne Admin", email: "admin@fredrikstad.test" };
    // [title, area, received, answered after n days, project after n days, in use after n days]
    const plan: [string, string | null, string, number | null, number | null, number | null][] = [
      ["A", "helse-omsorg", "2024-03-01T10:00:00Z", 10, 40, 200],
      ["B", "helse-omsorg", "2024-05-01T10:00:00Z", 45, null, null],
      ["C", "helse-omsorg", "2024-06-01T10:00:00Z", null, null, null],
      ["D", "kultur", "2024-07-01T10:00:00Z", 3, 20, null],
      ["E", null, "2024-08-01T10:00:00Z", 29, null, null],
      ["F", "helse-omsorg", "2025-01-15T10:00:00Z", 1, 5, 30],
    ];
    for (const [title, area, received, answered, project, inUse] of plan) {
      const row = await ideas.submit(input(`Måling ${title}`, area), staff);
      const at = new Date(received).getTime();
      const d = (n: number | null) => (n === null ? null : new Date(at + n * day).toISOString());
      await inst.ctx.db.execute(sql`update ideas set created_at = ${received}::timestamptz, answered_at = ${d(answered)}::timestamptz,
        project_at = ${d(project)}::timestamptz, in_use_at = ${d(inUse)}::timestamptz where id = ${row.id}`);
    }
    // Not counted: a public idea waiting for moderation, one marked spam, one merged into another.
    await (await visitor(inst)).post("/ideer/ny", { ...anIdea, title: "Måling venter", serviceArea: "helse-omsorg", nettside: "" }).expect(200);
    const spam = await ideas.submit(input("Måling søppel", "helse-omsorg"), { kind: "public" });
    await ideas.moderate(spam.id, "spam", actor());
    const dup = await ideas.submit(input("Måling duplikat", "helse-omsorg"), staff);
    const first = rowsOf<{ id: string }>(await inst.ctx.db.execute(sql`select id from ideas where title = 'Måling A'`))[0].id;
    await ideas.merge(dup.id, first, actor());
    await inst.ctx.db.execute(sql`update ideas set created_at = '2024-04-01T10:00:00Z' where id in (${spam.id}, ${dup.id})`);

    // Derived here from the rows, independently of the page's code.
    const raw = rowsOf<{ y: string; area: string | null; created: string; answered: string | null; project: string | null; inuse: string | null }>(
      await inst.ctx.db.execute(sql`select to_char(created_at at time zone 'Europe/Oslo', 'YYYY') as y, service_area as area,
        created_at::text as created, answered_at::text as answered, project_at::text as project, in_use_at::text as inuse
        from ideas where moderation = 'approved' and merged_into is null`),
    );
    const expected = new Map<string, { received: number; answered: number; projects: number; inuse: number }>();
    for (const r of raw) {
      const key = `${r.y}|${r.area ?? ""}`;
      const e = expected.get(key) ?? { received: 0, answered: 0, projects: 0, inuse: 0 };
      e.received++;
      if (r.answered && new Date(r.answered).getTime() - new Date(r.created).getTime() <= 30 * day) e.answered++;
      if (r.project) e.projects++;
      if (r.inuse) e.inuse++;
      expected.set(key, e);
    }
    expect(expected.get("2024|helse-omsorg")).toEqual({ received: 3, answered: 1, projects: 1, inuse: 1 });

    const page = await (await visitor(inst)).agent.get("/ideer/tall").expect(200);
    const shown = new Map<string, { received: number; answered: number; projects: number; inuse: number; share: string }>();
    for (const m of page.text.matchAll(/<tr data-period="(\d+)" data-area="([^"]*)">(.*?)<\/tr>/g)) {
      const cell = (k: string) => new RegExp(`data-k="${k}">([^<]*)<`).exec(m[3])![1];
      shown.set(`${m[1]}|${m[2]}`, { received: Number(cell("received")), answered: Number(cell("answered")), projects: Number(cell("projects")), inuse: Number(cell("inuse")), share: cell("share") });
    }
    expect([...shown.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [key, e] of expected) {
      const s = shown.get(key)!;
      expect({ received: s.received, answered: s.answered, projects: s.projects, inuse: s.inuse }).toEqual(e);
      expect(s.share).toBe(`${Math.round((e.inuse / e.received) * 100)} %`);
    }
    // The same counts as JSON, and nothing about the ideas themselves.
    const json = await (await visitor(inst)).agent.get("/ideer/tall.json").expect(200);
    const row = json.body.rows.find((r: { period: string; serviceArea: string | null }) => r.period === "2024" && r.serviceArea === "helse-omsorg");
    expect(row).toMatchObject({ received: 3, answeredWithin30Days: 1, becameProjects: 1, putToUse: 1 });
    expect(JSON.stringify(json.body)).not.toContain("Måling");
    // The medians of the one busy row: answer after 10, 45 days → 27,5; project after 40 days; use 160 days after the project.
    const helse = page.text.match(/<tr data-period="2024" data-area="helse-omsorg">(.*?)<\/tr>/)![1];
    expect(helse).toContain("<td>27,5</td><td>40</td><td>160</td>");
  });

  it("counts a remote idea delivered again (the same activity, after the inbox forgot its id) once", async () => {
    const today = new Date().toISOString().slice(0, 10);
    const later = new Date(Date.now() + 10 * day).toISOString().slice(0, 10);
    const c = await new ChallengeService(inst.ctx.db, inst.ctx.events).create(
      { title: "Åpen runde", problem: "Lange køer.", eligibility: "Alle", opensAt: today, closesAt: later, criteria: [{ name: "Nytte", description: "" }], prizes: "", scaleMax: 5, openToOthers: true },
      [],
      actor(),
    );
    const from = { kind: "remote" as const, municipality: "Sarpsborg kommune", activityId: "https://sarpsborg.example/ideer/sendt/abc123#create" };
    const first = await ideas.submit(input("Levert to ganger", null), from, c.id);
    const again = await ideas.submit(input("Levert to ganger", null), from, c.id);
    expect(again.id).toBe(first.id);
    const [row] = rowsOf<{ n: number }>(await inst.ctx.db.execute(sql`select count(*)::int as n from ideas where title = 'Levert to ganger'`));
    expect(Number(row.n)).toBe(1);
  });

  it("erases the personal data of ideas past the retention period, with the e-mail sent about them, and keeps newer ones", async () => {
    await ideas.setRetentionDays(30, actor());
    const old = await ideas.submit({ ...input("Gammel idé", null), submitterName: "Gamle Ola", submitterEmail: "ola@example.no", showName: true }, { kind: "public" });
    const fresh = await ideas.submit({ ...input("Ny idé", null), submitterName: "Nye Nina", submitterEmail: "nina@example.no", showName: true }, { kind: "public" });
    await inst.ctx.db.execute(sql`update ideas set created_at = now() - interval '40 days' where id = ${old.id}`);
    expect((await listMail(inst.ctx.db)).some((m) => m.toAddress === "ola@example.no")).toBe(true);

    expect(await ideas.sweepRetention()).toBeGreaterThanOrEqual(1);
    const erased = (await getIdea(inst.ctx.db, old.id))!;
    expect([erased.submitterName, erased.submitterEmail, erased.showName]).toEqual([null, null, false]);
    expect(erased.personalErasedAt).not.toBeNull();
    expect((await listMail(inst.ctx.db)).some((m) => m.toAddress === "ola@example.no")).toBe(false);
    const kept = (await getIdea(inst.ctx.db, fresh.id))!;
    expect([kept.submitterName, kept.submitterEmail]).toEqual(["Nye Nina", "nina@example.no"]);
    expect(await ideas.sweepRetention()).toBe(0);
  });
});
