import { afterAll, describe, expect, it } from "vitest";
import { Temporal } from "@js-temporal/polyfill";
import type { Database } from "../../db/client.ts";
import { drivers, openTestDatabase } from "../helpers/databases.ts";
import { DrizzleKvStore } from "../../federation/kv.ts";

const minutes = (n: number) => Temporal.Duration.from({ minutes: n }) as never;

describe.each(drivers)("the kv store keeps null, as Fedify's negative caches need (%s)", (driver) => {
  let database: Database;
  afterAll(async () => {
    await database?.close();
  });

  it("stores null as a value distinct from absence, and swaps it", async () => {
    database = await openTestDatabase(driver);
    const kv = new DrizzleKvStore(database.db);
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
    const first = new DrizzleKvStore(database.db);
    const second = new DrizzleKvStore(database.db);
    const key = ["_fedify", "publicKey", "http://127.0.0.1:1/rotated"] as const;
    await first.set(key, { pem: "old" });
    expect(await first.get(key)).toEqual({ pem: "old" });
    await second.set(key, { pem: "new" });
    expect(await first.get(key)).toEqual({ pem: "new" });
  });
});
