// Migration 0015 turns the notifications stored one wide row per person into
// one shared row per thing that moved and a narrow row per person: after the
// upgrade each person sees the same list with the same lines, the same unread
// count, and their next digest holds the same items.
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { drivers, freshPostgresDatabase, type Driver } from "../helpers/databases.ts";
import { rowsOf, type Db } from "../../db/client.ts";
import { countUnread, insertNotification, listNotifications, unmailedNotifications } from "../../db/notifications.ts";

const migrations = fileURLToPath(new URL("../../db/migrations", import.meta.url));

/** A copy of the migrations that stops before `stop` (so the old tables can be filled). */
async function migrationsBefore(stop: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "kominn-migrations-"));
  await cp(migrations, dir, { recursive: true });
  const journalFile = join(dir, "meta", "_journal.json");
  const journal = JSON.parse(await readFile(journalFile, "utf8")) as { entries: { tag: string }[] };
  journal.entries = journal.entries.filter((e) => e.tag < stop);
  await writeFile(journalFile, JSON.stringify(journal));
  return dir;
}

/** A database of `driver` brought up to date with `folder`'s migrations, and a way to migrate it further and close it. */
async function openWith(driver: Driver, folder: string): Promise<{ db: Db; migrate(folder: string): Promise<void>; close(): Promise<void> }> {
  if (driver === "pglite") {
    const [{ PGlite }, { pg_trgm }, { unaccent }, { drizzle }, { migrate }] = await Promise.all([
      import("@electric-sql/pglite"),
      import("@electric-sql/pglite/contrib/pg_trgm"),
      import("@electric-sql/pglite/contrib/unaccent"),
      import("drizzle-orm/pglite"),
      import("drizzle-orm/pglite/migrator"),
    ]);
    const client = await PGlite.create({ extensions: { pg_trgm, unaccent } });
    const db = drizzle(client);
    await migrate(db, { migrationsFolder: folder });
    return { db: db as unknown as Db, migrate: (f) => migrate(db, { migrationsFolder: f }), close: () => client.close() };
  }
  const [{ default: pg }, { drizzle }, { migrate }] = await Promise.all([import("pg"), import("drizzle-orm/node-postgres"), import("drizzle-orm/node-postgres/migrator")]);
  const fresh = await freshPostgresDatabase({ empty: true });
  const pool = new pg.Pool({ connectionString: fresh.url, max: 2 });
  const db = drizzle(pool);
  await migrate(db, { migrationsFolder: folder });
  return {
    db: db as unknown as Db,
    migrate: (f) => migrate(db, { migrationsFolder: f }),
    async close() {
      await pool.end();
      await fresh.drop();
    },
  };
}

describe.each(drivers)("migration 0015 keeps every stored notification (%s)", (driver) => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it("shows each person the same items, lines, unread count and unmailed items after the upgrade", async () => {
    const before = await migrationsBefore("0015_");
    dirs.push(before);
    const database = await openWith(driver, before);
    const { db } = database;
    try {
      await db.execute(sql`
        insert into accounts (id, email, name, role) values ('anneaccount1', 'anne@fredrikstad.test', 'Anne', 'admin'), ('bjornaccount', 'bjorn@fredrikstad.test', 'Bjørn', 'editor')`);
      // As the subscriber wrote them: one row per person and event, one statement per event (so each event's ids are one block).
      await db.execute(sql`
        insert into notifications (id, account_id, kind, group_label, title, reason, link, dedupe_key, created_at, read_at) values
          (1, 'anneaccount1', 'new-project', 'Tjenesteområde: Helse og omsorg', 'Fallsensorer', 'Nytt prosjekt innen helse og omsorg fra Sarpsborg kommune.', '/prosjekter/fra/a1', '10:new-project', '2026-11-20T08:00:00Z', null),
          (2, 'bjornaccount', 'new-project', 'Kommune: Sarpsborg kommune', 'Fallsensorer', 'Sarpsborg kommune har publisert et nytt prosjekt.', '/prosjekter/fra/a1', '10:new-project', '2026-11-20T08:00:00Z', null),
          (3, 'anneaccount1', 'phase', 'Prosjekt: Fallsensorer', 'Fallsensorer', 'Fasen er endret fra Test til Drift.', '/prosjekter/fra/a1', '11:phase', '2026-11-21T08:00:00Z', '2026-11-21T09:00:00Z'),
          (4, 'bjornaccount', 'idea', 'Dine idéer', 'Bilpool', 'Idéen din har fått ny status: godtatt. Fint.', '/ideer/i1', '12:idea', '2026-11-22T08:00:00Z', null),
          (5, 'anneaccount1', 'new-project', 'Tjenesteområde: Helse og omsorg', 'Medisindispenser', 'Nytt prosjekt innen helse og omsorg fra Hvaler kommune.', '/prosjekter/fra/b2', '13:new-project', '2026-11-23T08:00:00Z', null),
          (6, 'bjornaccount', 'new-project', 'Tjenesteområde: Helse og omsorg', 'Medisindispenser', 'Nytt prosjekt innen helse og omsorg fra Hvaler kommune.', '/prosjekter/fra/b2', '13:new-project', '2026-11-23T08:00:00Z', null)`);
      await db.execute(sql`select setval(pg_get_serial_sequence('notifications', 'id'), 6)`);
      // Anne marked everything read up to 1, and her digest took everything up to 3.
      await db.execute(sql`insert into notification_prefs (account_id, read_through, mailed_through) values ('anneaccount1', 1, 3)`);

      await database.migrate(migrations);

      const seen = async (account: string) =>
        (await listNotifications(db, account, { limit: 50 })).map((n) => [n.title, n.groupLabel, n.reason, n.link, n.kind, n.readAt !== null, n.createdAt.toISOString()]);
      expect(await seen("anneaccount1")).toEqual([
        ["Medisindispenser", "Tjenesteområde: Helse og omsorg", "Nytt prosjekt innen helse og omsorg fra Hvaler kommune.", "/prosjekter/fra/b2", "new-project", false, "2026-11-23T08:00:00.000Z"],
        ["Fallsensorer", "Prosjekt: Fallsensorer", "Fasen er endret fra Test til Drift.", "/prosjekter/fra/a1", "phase", true, "2026-11-21T08:00:00.000Z"],
        ["Fallsensorer", "Tjenesteområde: Helse og omsorg", "Nytt prosjekt innen helse og omsorg fra Sarpsborg kommune.", "/prosjekter/fra/a1", "new-project", false, "2026-11-20T08:00:00.000Z"],
      ]);
      expect(await seen("bjornaccount")).toEqual([
        ["Medisindispenser", "Tjenesteområde: Helse og omsorg", "Nytt prosjekt innen helse og omsorg fra Hvaler kommune.", "/prosjekter/fra/b2", "new-project", false, "2026-11-23T08:00:00.000Z"],
        ["Bilpool", "Dine idéer", "Idéen din har fått ny status: godtatt. Fint.", "/ideer/i1", "idea", false, "2026-11-22T08:00:00.000Z"],
        ["Fallsensorer", "Kommune: Sarpsborg kommune", "Sarpsborg kommune har publisert et nytt prosjekt.", "/prosjekter/fra/a1", "new-project", false, "2026-11-20T08:00:00.000Z"],
      ]);
      // Unread: Anne's newest only (one read by itself, one before her "all read"); all three of Bjørn's.
      expect(await countUnread(db, "anneaccount1")).toBe(1);
      expect(await countUnread(db, "bjornaccount")).toBe(3);
      // The next digest: Anne's newest, all of Bjørn's.
      expect((await unmailedNotifications(db, "anneaccount1", 100)).map((n) => n.title)).toEqual(["Medisindispenser"]);
      expect((await unmailedNotifications(db, "bjornaccount", 100)).map((n) => n.title)).toEqual(["Fallsensorer", "Bilpool", "Medisindispenser"]);

      // What comes after the upgrade is newer than anything before it: unread, and in the next digest.
      await insertNotification(db, {
        kind: "phase", title: "Medisindispenser", link: "/prosjekter/fra/b2", whys: [["Prosjekt: Medisindispenser", "Fasen er endret fra Test til Skalering."]],
        dedupeKey: "14:phase", recipients: [{ accountId: "anneaccount1", why: 0 }],
      });
      expect(await countUnread(db, "anneaccount1")).toBe(2);
      expect((await unmailedNotifications(db, "anneaccount1", 100)).map((n) => n.reason)).toEqual(["Nytt prosjekt innen helse og omsorg fra Hvaler kommune.", "Fasen er endret fra Test til Skalering."]);
      // The old table is gone: one place holds notifications.
      const [{ n }] = rowsOf<{ n: number }>(await db.execute(sql`select count(*)::int as n from information_schema.tables where table_name = 'notifications'`));
      expect(n).toBe(0);
    } finally {
      await database.close();
    }
  }, 120_000);
});
