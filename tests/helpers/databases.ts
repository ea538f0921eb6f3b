import pg from "pg";
import { migrationsDigest, openDatabase, type Database } from "../../db/client.ts";
import { newId } from "../../db/ids.ts";

export type Driver = "pglite" | "postgres";

/** PostgreSQL runs whenever TEST_DATABASE_URL is set; CI must set it. */
export const testDatabaseUrl = process.env.TEST_DATABASE_URL ?? process.env.BENCH_DATABASE_URL;
if (process.env.CI && !testDatabaseUrl) {
  throw new Error("CI must set TEST_DATABASE_URL so the db suite runs on PostgreSQL too");
}

export const drivers: Driver[] = testDatabaseUrl ? ["pglite", "postgres"] : ["pglite"];
if (!testDatabaseUrl) console.warn("TEST_DATABASE_URL is not set: PostgreSQL tests are skipped, PGlite only.");

const urlOf = (name: string) => {
  const url = new URL(testDatabaseUrl!);
  url.pathname = `/${name}`;
  return url.toString();
};

/** Runs `fn` with a connection to the server's administrative database (the one TEST_DATABASE_URL names). */
async function withAdmin<T>(fn: (admin: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: testDatabaseUrl });
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.end();
  }
}

let migratedTemplate: Promise<string> | undefined;
/**
 * The database new test databases are copied from: one the migrations made, once per set of
 * migrations (named by their digest) and shared by the test files, so that each test database
 * does not run every migration again (~0.4 s each). It is made by `openDatabase`, as a new
 * production database is; templates of other migrations are dropped.
 */
function postgresTemplate(): Promise<string> {
  return (migratedTemplate ??= (async () => {
    const name = `kominn_template_${migrationsDigest()}`;
    const known = await withAdmin(async (admin) => (await admin.query("SELECT datname FROM pg_database WHERE datname LIKE 'kominn_template_%'")).rows.map((r) => r.datname as string));
    if (known.includes(name)) return name;
    const building = `kominn_building_${newId(10)}`;
    await withAdmin((admin) => admin.query(`CREATE DATABASE ${building}`));
    await (await openDatabase({ databaseUrl: urlOf(building), poolSize: 1 })).close();
    await withAdmin(async (admin) => {
      try {
        await admin.query(`ALTER DATABASE ${building} RENAME TO ${name}`);
      } catch (error) {
        // Another test file made it meanwhile (42P04: it exists): theirs is the same.
        if ((error as { code?: string }).code !== "42P04") throw error;
        await admin.query(`DROP DATABASE IF EXISTS ${building}`);
      }
      for (const old of known.filter((k) => k !== name)) await admin.query(`DROP DATABASE IF EXISTS ${old}`).catch(() => {});
    });
    return name;
  })());
}

/**
 * A new PostgreSQL database for one test instance, migrated (a copy of `postgresTemplate`) or,
 * with `empty`, as CREATE DATABASE makes it; `drop()` removes it.
 */
export async function freshPostgresDatabase(options: { empty?: boolean } = {}): Promise<{ url: string; drop(): Promise<void> }> {
  if (!testDatabaseUrl) throw new Error("TEST_DATABASE_URL is not set");
  const name = `kominn_test_${newId(10)}`;
  const template = options.empty ? undefined : await postgresTemplate();
  await withAdmin((admin) => admin.query(`CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ""}`));
  return {
    url: urlOf(name),
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
