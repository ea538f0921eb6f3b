import { afterAll, describe, expect, it } from "vitest";
import { Temporal } from "@js-temporal/polyfill";
import { openDatabase, type Database } from "../../db/client.ts";
import { freshPostgresDatabase, drivers } from "../helpers/databases.ts";
import { DrizzleKvStore } from "../../federation/kv.ts";

async function open(driver: string): Promise<{ database: Database; cleanup(): Promise<void> }> {
  if (driver === "postgres") {
    const pg = await freshPostgresDatabase();
    const database = await openDatabase({ databaseUrl: pg.url });
    return { database, cleanup: async () => { await database.close(); await pg.drop(); } };
  }
  const database = await openDatabase({ dataDir: "memory://" });
  return { database, cleanup: () => database.close() };
}

const minutes = (n: number) => Temporal.Duration.from({ minutes: n }) as never;

describe.each(drivers)("the kv store keeps null, as Fedify's negative caches need (%s)", (driver) => {
  let o: Awaited<ReturnType<typeof open>>;
  afterAll(async () => {
    await o?.cleanup();
  });

  it("stores null as a value distinct from absence, and swaps it", async () => {
    o = await open(driver);
    const kv = new DrizzleKvStore(o.database.db);
    const key = ["_fedify", "publicKey", "http://127.0.0.1:1/key"] as const;
    await kv.set(key, null, { ttl: minutes(10) });
    expect(await kv.get(key)).toBeNull();
    expect(await kv.get(["_fedify", "publicKey", "http://127.0.0.1:1/other"])).toBeUndefined();
    expect(await kv.cas(key, null, { id: "k" })).toBe(true);
    expect(await kv.get(key)).toEqual({ id: "k" });
    expect(await kv.cas(["a", "b"], undefined, null)).toBe(true);
    expect(await kv.get(["a", "b"])).toBeNull();
    const listed = [];
    for await (const entry of kv.list(["a"])) listed.push(entry);
    expect(listed).toEqual([{ key: ["a", "b"], value: null }]);
  });

  it("two stores on one database see each other's writes at once", async () => {
    const first = new DrizzleKvStore(o.database.db);
    const second = new DrizzleKvStore(o.database.db);
    const key = ["_fedify", "publicKey", "http://127.0.0.1:1/rotated"] as const;
    await first.set(key, { pem: "old" });
    expect(await first.get(key)).toEqual({ pem: "old" });
    await second.set(key, { pem: "new" });
    expect(await first.get(key)).toEqual({ pem: "new" });
  });
});
