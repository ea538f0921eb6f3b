import pg from "pg";
import { openDatabase, type Database } from "../../db/client.ts";
import { newId } from "../../db/ids.ts";

export type Driver = "pglite" | "postgres";

/** PostgreSQL runs whenever TEST_DATABASE_URL is set; CI must set it. */
export const testDatabaseUrl = process.env.TEST_DATABASE_URL ?? process.env.BENCH_DATABASE_URL;
if (process.env.CI && !testDatabaseUrl) {
  throw new Error("CI must set TEST_DATABASE_URL so the db suite runs on PostgreSQL too");
}

export const drivers: Driver[] = testDatabaseUrl ? ["pglite", "postgres"] : ["pglite"];
if (!testDatabaseUrl) console.warn("TEST_DATABASE_URL is not set: PostgreSQL tests are skipped, PGlite only.");

/** A new, empty PostgreSQL database for one test instance; `drop()` removes it. */
export async function freshPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  if (!testDatabaseUrl) throw new Error("TEST_DATABASE_URL is not set");
  const name = `kominn_test_${newId(10)}`;
  const admin = new pg.Client({ connectionString: testDatabaseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(testDatabaseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: testDatabaseUrl });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } catch (error) {
        // FORCE may not terminate an autovacuum worker without pg_signal_backend;
        // a plain DROP cancels autovacuum itself and waits for it.
        if ((error as { code?: string }).code !== "42501") throw error;
        await c.query(`DROP DATABASE IF EXISTS ${name}`);
      } finally {
        await c.end();
      }
    },
  };
}

/** An empty, migrated database: PGlite in memory, or a fresh PostgreSQL database that `close()` also drops. */
export async function openTestDatabase(driver: Driver, options: { poolSize?: number } = {}): Promise<Database> {
  if (driver === "pglite") return openDatabase({ dataDir: "memory://" });
  const fresh = await freshPostgresDatabase();
  const database = await openDatabase({ databaseUrl: fresh.url, ...options });
  return {
    ...database,
    async close() {
      await database.close();
      await fresh.drop();
    },
  };
}
