// A new PGlite data directory starts as a copy of an initialised, empty database made once per
// PGlite version (initdb inside PGlite costs ~550 MB for seconds), and an in-memory database is
// loaded from the same template, kept as a tar beside it, and migrated once: that one is kept too,
// named by the migrations, for the next in-memory database. Each copy is its own database,
// migrated as usual, and the template is never changed by use; without a usable template, initdb
// runs as before.
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildPgliteTemplate, openDatabase, rowsOf } from "../../db/client.ts";

const pgliteVersion = (JSON.parse(readFileSync(new URL("../../node_modules/@electric-sql/pglite/package.json", import.meta.url), "utf8")) as { version: string }).version;
const folder = mkdtempSync(join(tmpdir(), "kominn-pglite-template-"));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** A digest of every file under a directory, by path and content. */
function digest(dir: string): string {
  const hash = createHash("sha256");
  const walk = (at: string) => {
    for (const name of readdirSync(at).sort()) {
      const path = join(at, name);
      hash.update(path.slice(dir.length));
      if (statSync(path).isDirectory()) walk(path);
      else hash.update(readFileSync(path));
    }
  };
  walk(dir);
  return hash.digest("hex");
}

/**
 * The names in the migrated schema's municipalities table, read through a fresh open, and the
 * cluster's system identifier (initdb draws a new one; a copy keeps the template's).
 */
async function open(dataDir: string, templates: string | false): Promise<{ names: string[]; system: string }> {
  const database = await openDatabase({ dataDir, pgliteTemplates: templates });
  try {
    const names = rowsOf<{ name: string }>(await database.db.execute(sql`SELECT name FROM municipalities ORDER BY name`)).map((r) => r.name);
    const [{ system }] = rowsOf<{ system: string }>(await database.db.execute(sql`SELECT system_identifier::text AS system FROM pg_control_system()`));
    return { names, system };
  } finally {
    await database.close();
  }
}
const names = async (dataDir: string, templates: string | false) => (await open(dataDir, templates)).names;

async function addMunicipality(dataDir: string, name: string): Promise<void> {
  const database = await openDatabase({ dataDir, pgliteTemplates: folder });
  try {
    await database.db.execute(sql`INSERT INTO municipalities (id, name, handle, domain, local, actor_url)
      VALUES (${name}, ${name}, ${name.toLowerCase()}, ${`${name}.test`}, true, ${`https://${name}.test/actor`})`);
  } finally {
    await database.close();
  }
}

describe("new PGlite data directories from the initialised template", () => {
  let template: string;
  let before: string;
  beforeAll(async () => {
    template = await buildPgliteTemplate(folder);
    before = digest(template);
  }, 120_000);

  it("each start as an empty, migrated database of their own, and the template stays as it was", { timeout: 120_000 }, async () => {
    const first = join(folder, "first");
    const second = join(folder, "second");
    expect(await names(first, folder)).toEqual([]);
    await addMunicipality(first, "Fredrikstad");
    expect(await names(second, folder)).toEqual([]);
    await addMunicipality(second, "Halden");
    const [a, b] = [await open(first, folder), await open(second, folder)];
    expect([a.names, b.names]).toEqual([["Fredrikstad"], ["Halden"]]);
    // Both are copies of the template, not databases initdb made.
    const { system } = await open(join(folder, "third"), folder);
    expect([a.system, b.system]).toEqual([system, system]);
    expect((await open(join(folder, "fourth"), false)).system).not.toBe(system);
    expect(digest(template)).toBe(before);
    expect(await buildPgliteTemplate(folder)).toBe(template);
    expect(digest(template)).toBe(before);
  });

  it("in-memory databases are loaded from the template, migrated once and kept: each empty and its own", { timeout: 120_000 }, async () => {
    const { system } = await open(join(folder, "on-disk"), folder);
    const stale = `pglite-${pgliteVersion}-migrated-0000000000000000.tar`;
    writeFileSync(join(folder, stale), "migrations that are no longer ours");
    const first = await openDatabase({ dataDir: "memory://", pgliteTemplates: folder });
    const kept = readdirSync(folder).filter((name) => name.includes("-migrated-"));
    expect(kept).toHaveLength(1);
    expect(kept[0]).not.toBe(stale);
    const keptAt = statSync(join(folder, kept[0])).mtimeMs;
    const second = await openDatabase({ pgliteTemplates: folder });
    expect(statSync(join(folder, kept[0])).mtimeMs).toBe(keptAt);
    try {
      await first.db.execute(sql`INSERT INTO municipalities (id, name, handle, domain, local, actor_url)
        VALUES ('m1', 'Moss', 'moss', 'moss.test', true, 'https://moss.test/actor')`);
      const read = async (database: typeof first, query: ReturnType<typeof sql>) => rowsOf<{ v: string }>(await database.db.execute(query)).map((r) => r.v);
      expect(await read(first, sql`SELECT name AS v FROM municipalities`)).toEqual(["Moss"]);
      expect(await read(second, sql`SELECT name AS v FROM municipalities`)).toEqual([]);
      const identifier = sql`SELECT system_identifier::text AS v FROM pg_control_system()`;
      expect([await read(first, identifier), await read(second, identifier)]).toEqual([[system], [system]]);
    } finally {
      await Promise.all([first.close(), second.close()]);
    }
    expect(digest(template)).toBe(before);
  });

  it("without a template (or with an unfinished one) initdb makes the database as before", { timeout: 120_000 }, async () => {
    const unfinished = join(folder, "unfinished");
    const own = join(folder, "own");
    mkdirSync(join(unfinished, `pglite-${pgliteVersion}`), { recursive: true });
    const made = await open(own, unfinished);
    expect(made.names).toEqual([]);
    expect((await open(join(folder, "no-template"), false)).system).not.toBe(made.system);
  });
});
