import { afterAll, describe, expect, it } from "vitest";
import type { Database } from "../../db/client.ts";
import { drivers, openTestDatabase } from "../helpers/databases.ts";
import { DrizzleMessageQueue } from "../../federation/queue.ts";
import { DrizzleKvStore } from "../../federation/kv.ts";
import { HotKeysKvStore } from "../../federation/hot-kv.ts";

// Fedify keys a delivery by the activity's ordering key and the inbox's
// origin. The order we promise is per inbox: one follower whose inbox hangs
// must not hold up the other inboxes on its server, and each inbox still gets
// a project's activities in order.
const delivery = (n: number, inbox: string) => ({
  type: "outbox",
  id: `m${n}`,
  inbox,
  activityId: `https://kommune.test/prosjekter/1#${n}`,
});
const keyFor = "https://kommune.test/prosjekter/1\nhttps://mottaker.test";

describe.each(drivers)("delivery lanes of the database-backed queue (%s)", (driver) => {
  const opened: Database[] = [];
  afterAll(async () => {
    for (const database of opened) await database.close();
  });

  it("delivers to the other inboxes of a server while one of its inboxes hangs, each inbox in order", async () => {
    const database = await openTestDatabase(driver);
    opened.push(database);
    const queue = new DrizzleMessageQueue(database.db, { pollMs: 20, workers: 8 });
    const slow = "https://mottaker.test/users/treg/inbox";
    const other = "https://mottaker.test/users/rask/inbox";
    // Create then Update to both inboxes of one server, all under the project's key.
    await queue.enqueue(delivery(1, slow), { orderingKey: keyFor });
    await queue.enqueue(delivery(2, other), { orderingKey: keyFor });
    await queue.enqueue(delivery(3, slow), { orderingKey: keyFor });
    await queue.enqueue(delivery(4, other), { orderingKey: keyFor });

    const handled: string[] = [];
    let releaseSlow!: () => void;
    const slowHangs = new Promise<void>((r) => (releaseSlow = r));
    let otherDone!: () => void;
    const otherBoth = new Promise<void>((r) => (otherDone = r));
    const controller = new AbortController();
    const listening = queue.listen(
      async (m: { id: string; inbox: string }) => {
        handled.push(m.id);
        if (m.id === "m1") await slowHangs;
        if (m.id === "m4") otherDone();
      },
      { signal: controller.signal },
    );
    // The other inbox gets both while the slow one still holds its Create.
    const outcome = await Promise.race([otherBoth.then(() => "other inbox served"), new Promise((r) => setTimeout(() => r("held up"), 5_000))]);
    expect(outcome).toBe("other inbox served");
    expect(handled).toEqual(["m1", "m2", "m4"]);
    releaseSlow();
    const deadline = Date.now() + 5_000;
    while (!handled.includes("m3") && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    controller.abort();
    await listening;
    // The slow inbox's Update came only after its Create.
    expect(handled).toEqual(["m1", "m2", "m4", "m3"]);
  });

  it("lets a server that never answers hold only its share of the workers: the next server is served meanwhile", async () => {
    const database = await openTestDatabase(driver);
    opened.push(database);
    const queue = new DrizzleMessageQueue(database.db, { pollMs: 20, workers: 4, hostWorkers: 1 });
    // Six followers on a hanging server, each its own inbox, then one elsewhere.
    for (let i = 0; i < 6; i++) await queue.enqueue(delivery(i, `https://henger.test/users/f${i}/inbox`), { orderingKey: "p\nhttps://henger.test" });
    await queue.enqueue(delivery(9, "https://svarer.test/inbox"), { orderingKey: "p\nhttps://svarer.test" });
    let release!: () => void;
    const hanging = new Promise<void>((r) => (release = r));
    let served!: () => void;
    const other = new Promise<void>((r) => (served = r));
    const started: string[] = [];
    const controller = new AbortController();
    const listening = queue.listen(
      async (m: { id: string; inbox: string }) => {
        started.push(m.id);
        if (m.inbox.startsWith("https://henger.test/")) await hanging;
        else served();
      },
      { signal: controller.signal },
    );
    const outcome = await Promise.race([other.then(() => "served"), new Promise((r) => setTimeout(() => r("held up"), 5_000))]);
    expect(outcome).toBe("served");
    expect(started.filter((id) => id !== "m9")).toHaveLength(1);
    release();
    const deadline = Date.now() + 10_000;
    while (started.length < 7 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    controller.abort();
    await listening;
    // Every delivery to the hanging server still ran, one at a time.
    expect([...started].sort()).toEqual(["m0", "m1", "m2", "m3", "m4", "m5", "m9"]);
  });

  it("answers the per-host delivery keys from memory exactly as the database holds them, after any series of writes", async () => {
    const database = await openTestDatabase(driver);
    opened.push(database);
    const store = new DrizzleKvStore(database.db);
    const hot = new HotKeysKvStore(store, database.db);
    const circuit = ["_fedify", "circuit", "mottaker.test"] as const;
    const spec = ["_fedify", "httpMessageSignaturesSpec", "https://mottaker.test"] as const;
    const other = ["_fedify", "remoteDocument", "https://mottaker.test/a"] as const;
    const agree = async () => {
      for (const key of [circuit, spec, other]) expect(await hot.get([...key])).toEqual(await new DrizzleKvStore(database.db).get([...key]));
    };
    await agree();
    await Promise.all([hot.get([...circuit]), hot.get([...circuit]), hot.cas([...circuit], undefined, { state: "closed", failures: ["a"] })]);
    await agree();
    expect(await hot.cas([...circuit], { state: "closed", failures: ["a"] }, { state: "open", failures: ["a", "b"] })).toBe(true);
    expect(await hot.cas([...circuit], { state: "closed", failures: ["a"] }, { state: "half-open", failures: [] })).toBe(false);
    await agree();
    const held = await hot.get<{ failures: string[] }>([...circuit]);
    held!.failures.push("changed by a caller");
    await agree();
    expect(await hot.cas([...circuit], { state: "open", failures: ["a", "b"] }, undefined)).toBe(true);
    await agree();
    await hot.set([...spec], "rfc9421");
    await hot.set([...spec], "rfc9421");
    await hot.set([...spec], "draft-cavage-http-signatures-12");
    await agree();
    await hot.set([...other], { n: 1 });
    await hot.delete([...spec]);
    await agree();
    expect(await hot.get([...spec])).toBeUndefined();
  });
});
