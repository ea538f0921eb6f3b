// An instance loads only the database driver and the clients its configuration names: PGlite's
// WebAssembly and the pg driver together cost ~170 MB of memory whatever the configuration used.
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { freshPostgresDatabase, testDatabaseUrl } from "../helpers/databases.ts";

const run = promisify(execFile);
const root = fileURLToPath(new URL("../..", import.meta.url));

/** Starts a whole instance in a child process and returns every bare package specifier it resolved. */
async function packagesLoaded(env: Record<string, string>): Promise<string[]> {
  const script = `
import { registerHooks } from "node:module";
const seen = new Set();
registerHooks({ resolve(specifier, context, next) { if (!/^[.\\/]|^node:|^file:|^data:/.test(specifier)) seen.add(specifier); return next(specifier, context); } });
const { loadConfig } = await import("./core/config.ts");
const { startInstance } = await import("./server/instance.ts");
const instance = await startInstance(loadConfig({ PORT: "0", HOST: "127.0.0.1", KOMINN_LOG_LEVEL: "silent", ...JSON.parse(process.env.CONFIG) }));
await instance.close();
process.stdout.write(JSON.stringify([...seen]));`;
  const { stdout } = await run(process.execPath, ["--input-type=module", "-e", script], {
    cwd: root,
    env: { ...process.env, CONFIG: JSON.stringify(env) },
    maxBuffer: 1 << 20,
  });
  return JSON.parse(stdout) as string[];
}

describe("what an instance loads", () => {
  it("on PGlite without Meilisearch: neither the pg driver nor the Meilisearch client, nor sharp before a picture", async () => {
    const loaded = await packagesLoaded({ KOMINN_DATA_DIR: "memory://" });
    expect(loaded).toContain("@electric-sql/pglite");
    expect(loaded).not.toContain("pg");
    expect(loaded).not.toContain("drizzle-orm/node-postgres");
    expect(loaded).not.toContain("meilisearch");
    // Pictures are processed by sharp (libvips) only when one arrives.
    expect(loaded).not.toContain("sharp");
  }, 60_000);

  it.skipIf(!testDatabaseUrl)("on PostgreSQL: not PGlite", async () => {
    const pgdb = await freshPostgresDatabase();
    try {
      const loaded = await packagesLoaded({ DATABASE_URL: pgdb.url });
      expect(loaded).toContain("pg");
      expect(loaded).not.toContain("@electric-sql/pglite");
      expect(loaded).not.toContain("drizzle-orm/pglite");
    } finally {
      await pgdb.drop();
    }
  }, 60_000);
});
