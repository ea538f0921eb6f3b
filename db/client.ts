import { createHash } from "node:crypto";
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import * as schema from "./schema.ts";
import { lockDataDir } from "./data-dir-lock.ts";
import { cacheDir } from "../core/cache-dir.ts";

export type Schema = typeof schema;
/** The one database type every db module takes first: PGlite and pg alike, or a transaction. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

export interface Database {
  db: Db;
  driver: "pglite" | "postgres";
  close(): Promise<void>;
}

const migrationsFolder = fileURLToPath(new URL("./migrations", import.meta.url));

/**
 * PGlite runs one backend for one process: PostgreSQL's default 128 MB of shared buffers would sit
 * in its WebAssembly memory (which never shrinks) for a database that fits in a few MB, and its
 * shared memory is sized for 100 connections. 8 MB of buffers and 5 connection slots take ~11 MB
 * less RSS than 16 MB and 100 (measured at open); the operating system's page cache still holds
 * the data files. A large database (the KS aggregator) runs on PostgreSQL.
 */
const pgliteSettings = ["shared_buffers=8MB", "wal_buffers=1MB", "maintenance_work_mem=16MB", "max_connections=5"];

/**
 * A new PGlite database is made by running PostgreSQL's initdb inside PGlite: a second WebAssembly
 * PostgreSQL and copies of its memory, ~550 MB of RSS for seconds, which the process keeps. The
 * result is the same for every database of one PGlite version, so it is made once (scripts/build-caches.ts,
 * run when the production image is built) and a new data directory starts as a copy of it; an
 * in-memory database (the tests', mostly) is loaded from the same template as a tar.
 */
function pgliteTemplate(folder = cacheDir): string {
  const main = createRequire(import.meta.url).resolve("@electric-sql/pglite");
  let dir = dirname(main);
  while (!existsSync(join(dir, "package.json"))) dir = dirname(dir);
  const { version } = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { version: string };
  return join(folder, `pglite-${version}`);
}

/** The template as one uncompressed tar, which an in-memory database is loaded from (PGlite's `loadDataDir`). */
const templateTar = (template: string) => `${template}.tar`;

/** Makes the initialised, empty PGlite database new data directories are copied from (unless it is there); returns its path. */
export async function buildPgliteTemplate(folder = cacheDir): Promise<string> {
  const template = pgliteTemplate(folder);
  if (existsSync(join(template, "PG_VERSION")) && existsSync(templateTar(template))) return template;
  const partial = `${template}.${process.pid}.partial`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  const [{ PGlite }, { pg_trgm }, { unaccent }] = await Promise.all([
    import("@electric-sql/pglite"),
    import("@electric-sql/pglite/contrib/pg_trgm"),
    import("@electric-sql/pglite/contrib/unaccent"),
  ]);
  const client = await PGlite.create({ dataDir: partial, extensions: { pg_trgm, unaccent }, postgresqlconf: pgliteSettings });
  const tar = Buffer.from(await (await client.dumpDataDir("none")).arrayBuffer());
  await client.close();
  writeFileSync(`${partial}.tar`, tar);
  rmSync(template, { recursive: true, force: true });
  try {
    renameSync(`${partial}.tar`, templateTar(template));
    renameSync(partial, template);
  } catch (error) {
    // Another process made it at the same time: theirs is as good.
    rmSync(partial, { recursive: true, force: true });
    rmSync(`${partial}.tar`, { force: true });
    if (!existsSync(join(template, "PG_VERSION"))) throw error;
  }
  return template;
}

let digest: string | undefined;
/** A short digest of the migrations (their SQL and journal): a copy of a database they made is named by it. */
export function migrationsDigest(): string {
  if (digest) return digest;
  const hash = createHash("sha256");
  for (const name of readdirSync(migrationsFolder, { recursive: true, encoding: "utf8" }).sort()) {
    if (name.endsWith(".sql") || name.endsWith("_journal.json")) hash.update(name).update(readFileSync(join(migrationsFolder, name)));
  }
  return (digest = hash.digest("hex").slice(0, 16));
}

/**
 * The tar an in-memory database starts from once the template has been migrated: named by the
 * migrations, so a changed or added migration makes a new one (and the old ones go).
 */
const migratedTar = (template: string) => `${template}-migrated-${migrationsDigest()}.tar`;

/** Stores a just-migrated, still empty in-memory database as the tar the next ones start from. */
async function keepMigrated(client: { dumpDataDir(compression: "none"): Promise<Blob> }, file: string): Promise<void> {
  const partial = `${file}.${process.pid}.partial`;
  writeFileSync(partial, Buffer.from(await (await client.dumpDataDir("none")).arrayBuffer()));
  const prefix = `${basename(file).split("-migrated-")[0]}-migrated-`;
  for (const old of readdirSync(dirname(file))) {
    if (old.startsWith(prefix) && old.endsWith(".tar") && old !== basename(file)) rmSync(join(dirname(file), old), { force: true });
  }
  renameSync(partial, file);
}

/** A new data directory becomes a copy of the template, PG_VERSION last (PGlite takes a directory with it as a database). */
function copyTemplate(template: string, dataDir: string): boolean {
  if (existsSync(join(dataDir, "PG_VERSION")) || !existsSync(join(template, "PG_VERSION"))) return false;
  cpSync(template, dataDir, { recursive: true, force: true, filter: (source) => source !== join(template, "PG_VERSION") });
  copyFileSync(join(template, "PG_VERSION"), join(dataDir, "PG_VERSION"));
  return true;
}

export interface OpenOptions {
  /** A PostgreSQL connection string; when absent, PGlite is used. */
  databaseUrl?: string;
  /** PGlite data directory; "memory://" (or undefined) for an in-memory database. */
  dataDir?: string;
  /** Where the initialised PGlite database a new database is copied or loaded from is looked for (see buildPgliteTemplate); false: run initdb. */
  pgliteTemplates?: string | false;
  /** Largest pool for PostgreSQL. */
  poolSize?: number;
  /** Told when an idle PostgreSQL connection breaks (a server restart, say); the pool opens a new one when needed. */
  onConnectionError?: (error: Error) => void;
}

/** Opens the database and brings its schema up to date. */
export async function openDatabase(options: OpenOptions): Promise<Database> {
  // Only the configured driver is loaded: PGlite's WebAssembly or pg, never both.
  if (options.databaseUrl) {
    const [{ default: pg }, { drizzle: drizzlePg }, { migrate: migratePg }] = await Promise.all([
      import("pg"),
      import("drizzle-orm/node-postgres"),
      import("drizzle-orm/node-postgres/migrator"),
    ]);
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: options.poolSize ?? 10,
    });
    // Without a listener, an idle connection that the server closes would end the process.
    pool.on("error", (error) => options.onConnectionError?.(error));
    const db = drizzlePg(pool, { schema }) as unknown as Db;
    await migratePg(db as never, { migrationsFolder });
    return { db, driver: "postgres", close: () => pool.end() };
  }
  const dataDir = options.dataDir && options.dataDir !== "memory://" ? options.dataDir : undefined;
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const unlock = dataDir ? lockDataDir(dataDir) : () => {};
  try {
    const template = options.pgliteTemplates === false ? undefined : pgliteTemplate(options.pgliteTemplates);
    if (dataDir && template) copyTemplate(template, dataDir);
    // An in-memory database is loaded from a tar of the template as migrated, or else of the template
    // (then migrated, and kept as a tar for the next one): a second instead of initdb's three or more.
    const migrated = !dataDir && template ? migratedTar(template) : undefined;
    const tar = migrated && [migrated, templateTar(template!)].find((file) => existsSync(file));
    const loadDataDir = tar ? new Blob([readFileSync(tar)]) : undefined;
    const [{ PGlite }, { pg_trgm }, { unaccent }, { drizzle: drizzlePglite }, { migrate: migratePglite }] = await Promise.all([
      import("@electric-sql/pglite"),
      import("@electric-sql/pglite/contrib/pg_trgm"),
      import("@electric-sql/pglite/contrib/unaccent"),
      import("drizzle-orm/pglite"),
      import("drizzle-orm/pglite/migrator"),
    ]);
    const client = await PGlite.create({ dataDir, loadDataDir, extensions: { pg_trgm, unaccent }, postgresqlconf: pgliteSettings });
    const db = drizzlePglite(client, { schema }) as unknown as Db;
    await migratePglite(db as never, { migrationsFolder });
    if (migrated && tar !== migrated) await keepMigrated(client, migrated);
    return {
      db,
      driver: "pglite",
      async close() {
        await client.close();
        unlock();
      },
    };
  } catch (error) {
    unlock();
    throw error;
  }
}

/** Rows of a raw `db.execute(sql…)`, whichever driver answered. */
export function rowsOf<T>(result: unknown): T[] {
  return (result as { rows: T[] }).rows;
}
