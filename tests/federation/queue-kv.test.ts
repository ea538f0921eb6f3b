import { afterAll, describe, expect, it } from "vitest";
import { Temporal } from "@js-temporal/polyfill";
import { testMessageQueue } from "@fedify/testing";
import type { Database } from "../../db/client.ts";
import { drivers, openTestDatabase } from "../helpers/databases.ts";
import { DrizzleMessageQueue } from "../../federation/queue.ts";
import { DrizzleKvStore } from "../../federation/kv.ts";

// Fedify's conformance suite uses the global Temporal, which Node 24 lacks.
(globalThis as { Temporal?: unknown }).Temporal ??= Temporal;

describe.each(drivers)("database-backed Fedify queue and key-value store (%s)", (driver) => {
  const opened: Database[] = [];
  afterAll(async () => {
    for (const database of opened) await database.close();
  });

  it("passes Fedify's message queue conformance test, ordering keys included", async () => {
    const database = await openTestDatabase(driver);
    opened.push(database);
    await testMessageQueue(
      () => new DrizzleMessageQueue(database.db, { pollMs: 50 }),
      async ({ controller }) => controller.abort(),
      { testOrderingKey: true },
    );
  }, 120_000);

  it("keeps values, lists by prefix, expires by ttl and compares-and-swaps", async () => {
    const database = await openTestDatabase(driver);
    opened.push(database);
    const kv = new DrizzleKvStore(database.db);
    await kv.set(["a", "b", "1"], { n: 1 });
    await kv.set(["a", "b", "2"], "two");
    await kv.set(["a", "bc"], 3);
    await kv.set(["short"], 1, { ttl: Temporal.Duration.from({ milliseconds: 1 }) as never });
    expect(await kv.get(["a", "b", "1"])).toEqual({ n: 1 });
    const listed: unknown[] = [];
    for await (const e of kv.list(["a", "b"])) listed.push(e.key);
    expect(listed.map(String).sort()).toEqual(["a,b,1", "a,b,2"]);
    await new Promise((r) => setTimeout(r, 20));
    expect(await kv.get(["short"])).toBeUndefined();
    expect(await kv.cas(["c"], undefined, 1)).toBe(true);
    expect(await kv.cas(["c"], undefined, 2)).toBe(false);
    expect(await kv.cas(["c"], 1, 2)).toBe(true);
    expect(await kv.get(["c"])).toBe(2);
    await kv.delete(["c"]);
    expect(await kv.get(["c"])).toBeUndefined();
  });

  it("serves a peer's cached key from memory yet never an old or expired one", async () => {
    const database = await openTestDatabase(driver);
    opened.push(database);
    const kv = new DrizzleKvStore(database.db);
    const key = ["_fedify", "publicKey", "https://sarpsborg.example/kommune/sarpsborg#main-key"] as const;
    await kv.set(key, { n: 1 });
    expect(await kv.get(key)).toEqual({ n: 1 });
    await kv.set(key, { n: 2 });
    expect(await kv.get(key)).toEqual({ n: 2 });
    expect(await kv.cas(key, { n: 2 }, { n: 3 })).toBe(true);
    expect(await kv.get(key)).toEqual({ n: 3 });
    await kv.delete(key);
    expect(await kv.get(key)).toBeUndefined();
    await kv.set(key, { n: 4 }, { ttl: Temporal.Duration.from({ milliseconds: 30 }) as never });
    expect(await kv.get(key)).toEqual({ n: 4 });
    await new Promise((r) => setTimeout(r, 60));
    expect(await kv.get(key)).toBeUndefined();
  });
});
