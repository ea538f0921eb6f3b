// The journal of domain events across a crash: a change is committed with its
// event, the process is killed (SIGKILL) before any subscriber has
// acknowledged the event, and after a restart each subscriber handles it
// exactly once: one Create reaches the follower, one search document and one
// imitation link exist, and every subscriber's position has passed the event.
import { createServer, type Server } from "node:http";
import { afterAll, describe, expect, it } from "vitest";
import pg from "pg";
import { sql } from "drizzle-orm";
import { openDatabase, rowsOf, type Database } from "../../db/client.ts";
import { upsertFollower } from "../../db/followers.ts";
import { freshPostgresDatabase, testDatabaseUrl } from "../helpers/databases.ts";
import { freePort } from "../helpers/instance.ts";
import { spawnInstance, type ChildInstance } from "../helpers/instance-process.ts";
import { api, eventually, fastTuning, municipalities, publish } from "./helpers.ts";

const cleanup: (() => Promise<unknown> | unknown)[] = [];
afterAll(async () => {
  for (const c of cleanup.reverse()) await c();
});

const subscriberNames = ["imitations", "search", "federation.outbox", "federation.collaboration", "profile-cache"];

/** A follower's inbox that records every activity it is sent (no deduplication: a repeat would count twice). */
async function recordingInbox(): Promise<{ base: string; received: { id: string; type: string; object: string }[] }> {
  const received: { id: string; type: string; object: string }[] = [];
  const server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (d) => (body += d));
    req.on("end", () => {
      try {
        const json = JSON.parse(body);
        const object = typeof json.object === "string" ? json.object : json.object?.id;
        received.push({ id: json.id, type: json.type, object });
      } catch {
        // not an activity
      }
      res.writeHead(202).end();
    });
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", () => resolve()));
  cleanup.push(() => new Promise((resolve) => server.close(() => resolve(undefined))));
  return { base: `http://127.0.0.1:${port}`, received };
}

describe.skipIf(!testDatabaseUrl)("the event journal across a crash between commit and delivery (PostgreSQL)", () => {
  it("each subscriber handles the event exactly once after the process is killed and started again", async () => {
    const fresh = await freshPostgresDatabase();
    cleanup.push(() => fresh.drop());
    const port = await freePort();
    const options = { dataDir: "memory://", port, federation: fastTuning, env: { DATABASE_URL: fresh.url } };
    let a: ChildInstance = await spawnInstance({ ...options, setup: municipalities.fredrikstad });
    cleanup.push(() => a.close());
    const token = a.adminToken;
    const database: Database = await openDatabase({ databaseUrl: fresh.url, poolSize: 2 });
    cleanup.push(() => database.close());
    const db = database.db;
    const count = async (query: ReturnType<typeof sql>) => Number(rowsOf<{ n: number | string }>(await db.execute(query))[0].n);
    const positions = async () =>
      new Map(rowsOf<{ subscriber: string; position: string }>(await db.execute(sql`select subscriber, position from event_positions`)).map((r) => [r.subscriber, Number(r.position)]));
    const head = async () => count(sql`select coalesce(max(id), 0) as n from domain_events`);
    const caughtUp = async () => {
      const [p, h] = [await positions(), await head()];
      return subscriberNames.every((s) => (p.get(s) ?? -1) >= h);
    };

    const inbox = await recordingInbox();
    await upsertFollower(db, {
      actorUrl: `${inbox.base}/users/lytter`,
      handle: `@lytter@${new URL(inbox.base).host}`,
      name: "Lytter",
      inboxUrl: `${inbox.base}/users/lytter/inbox`,
      sharedInboxUrl: null,
      followActivityId: `${inbox.base}/follows/1`,
      status: "accepted",
    });
    const original = await publish(a, { title: "Fallsensorer i omsorgsboliger" });
    await eventually(caughtUp);
    const copy = (await api(a, "POST", "/api/v1/imitations", { original: original.url })).json;
    expect(copy.url).toBeTruthy();

    // Hold every position row but the imitation bookkeeping's: it handles and acknowledges the event;
    // the others (search and federation run after it) handle it but cannot acknowledge it.
    const holder = new pg.Client({ connectionString: fresh.url });
    await holder.connect();
    cleanup.push(() => holder.end());
    await holder.query("begin");
    await holder.query("select * from event_positions where subscriber <> 'imitations' for update");

    const published = await api(a, "PATCH", `/api/v1/projects/${copy.id}`, { published: true, adaptation: "Tilpasset våre boliger" });
    expect(published.status).toBe(200);
    const event = await head();
    const [{ name }] = rowsOf<{ name: string }>(await db.execute(sql`select name from domain_events where id = ${event}`));
    expect(name).toBe("project.published");
    // The four other subscribers are waiting on the lock when the process dies.
    await eventually(async () => (await count(sql`select count(*) as n from pg_locks where not granted and locktype = 'transactionid'`)) >= 4);
    await a.kill();
    await holder.query("rollback");

    // Committed; acknowledged by the imitation bookkeeping only.
    expect(await count(sql`select count(*) as n from imitation_links where copy_url = ${copy.url}`)).toBe(1);
    expect(await count(sql`select count(*) as n from search_documents where id = ${copy.id}`)).toBe(0);
    const before = await positions();
    expect(before.get("imitations")).toBeGreaterThanOrEqual(event);
    for (const s of subscriberNames.filter((s) => s !== "imitations")) expect(before.get(s)).toBeLessThan(event);

    a = await spawnInstance({ ...options, setup: false });
    a.adminToken = token;
    await eventually(caughtUp, 30_000);
    // Delivered, and nothing more left to deliver.
    await eventually(async () => inbox.received.some((r) => r.type === "Create" && r.object === copy.url), 30_000);
    await eventually(async () => (await count(sql`select count(*) as n from fedify_queue`)) === 0, 30_000);
    await eventually(async () => (await count(sql`select count(*) as n from search_queue`)) === 0, 30_000);

    expect(inbox.received.filter((r) => r.type === "Create" && r.object === copy.url)).toHaveLength(1);
    expect(await count(sql`select count(*) as n from imitation_links where copy_url = ${copy.url} and original_url = ${original.url}`)).toBe(1);
    expect(await count(sql`select count(*) as n from search_documents where id = ${copy.id}`)).toBe(1);
    const after = await positions();
    for (const s of subscriberNames) expect(after.get(s)).toBeGreaterThanOrEqual(event);
  }, 120_000);
});
