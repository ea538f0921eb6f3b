// The journal of domain events at the database level: an event exists exactly
// when the transaction that appended it committed, comes back as it went in
// (dates as dates), and a subscriber's effect is applied once however often
// the same events are acknowledged (by a second process, say).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import type { Database } from "../../db/client.ts";
import { rowsOf } from "../../db/client.ts";
import { acknowledge, EventJournal, journalHead, readEvents, readPosition } from "../../db/journal.ts";
import { settings } from "../../db/schema.ts";
import { drivers, openTestDatabase } from "../helpers/databases.ts";

describe.each(drivers)("the event journal (%s)", (driver) => {
  let database: Database;
  let journal: EventJournal;

  beforeAll(async () => {
    database = await openTestDatabase(driver);
    journal = new EventJournal(database.db);
  });
  afterAll(() => database?.close());

  it("keeps an event only when its transaction commits, in order, with dates as dates", async () => {
    const start = await journalHead(database.db);
    await expect(
      journal.transaction(async (tx) => {
        await journal.append(tx, "profile.updated", { municipalityId: "rolled-back" });
        throw new Error("the change fails");
      }),
    ).rejects.toThrow("the change fails");
    const decidedAt = new Date("2026-11-30T12:34:56.789Z");
    await journal.transaction(async (tx) => {
      await tx.insert(settings).values({ key: "journal-test", value: { decidedAt: decidedAt.toISOString() } });
      await journal.append(tx, "remote.project.removed", { projectId: "p1", url: "https://a.test/prosjekter/1" });
      await journal.append(tx, "profile.updated", { municipalityId: "m1" });
    });
    await journal.emit("collaboration.requested", { requestId: "r1" });

    const events = await readEvents(database.db, start, 10);
    expect(events.map((e) => e.name)).toEqual(["remote.project.removed", "profile.updated", "collaboration.requested"]);
    expect(events.map((e) => e.id)).toEqual([...events.map((e) => e.id)].sort((x, y) => x - y));

    // A payload holding a date reads back as a Date.
    await journal.emit("project.deleted", { project: { url: "https://a.test/prosjekter/2", updatedAt: decidedAt } as never });
    const [deleted] = await readEvents(database.db, events.at(-1)!.id, 10);
    expect(deleted.name).toBe("project.deleted");
    const project = (deleted.payload as { project: { updatedAt: unknown } }).project;
    expect(project.updatedAt).toBeInstanceOf(Date);
    expect((project.updatedAt as Date).toISOString()).toBe(decidedAt.toISOString());
  });

  it("reads the payload only of the events a subscriber handles", async () => {
    const events = await readEvents(database.db, 0, 100, undefined, ["profile.updated"]);
    expect(events.find((e) => e.name === "profile.updated")?.payload).toEqual({ municipalityId: "m1" });
    expect(events.find((e) => e.name === "collaboration.requested")?.payload).toBeNull();
  });

  it("applies a subscriber's effect once, however often the same events are acknowledged", async () => {
    const events = await readEvents(database.db, await readPosition(database.db, "counter"), 100);
    const handled = events.map((e) => ({
      id: e.id,
      effect: async (tx: typeof database.db) => {
        await tx.execute(sql`insert into settings (key, value) values (${`seen-${e.id}`}, '1'::jsonb)
          on conflict (key) do update set value = to_jsonb(settings.value::text::int + 1)`);
      },
    }));
    await acknowledge(database.db, "counter", handled);
    await acknowledge(database.db, "counter", handled);
    const seen = rowsOf<{ value: number }>(await database.db.execute(sql`select value from settings where key like 'seen-%'`));
    expect(seen.map((r) => Number(r.value))).toEqual(events.map(() => 1));
    expect(await readPosition(database.db, "counter")).toBe(events.at(-1)!.id);
  });
});
