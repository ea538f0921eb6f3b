import { createServer as createNetServer, type Socket } from "node:net";
import { Temporal } from "@js-temporal/polyfill";
import { SendActivityError } from "@fedify/fedify";
import { FetchError } from "@fedify/vocab-runtime";
import { afterAll, describe, expect, it } from "vitest";
import type { Database } from "../../db/client.ts";
import { describeDeliveryError, deliveryTarget, formatDeliveryProblem, parseDeliveryProblem } from "../../federation/delivery-health.ts";
import { DrizzleKvStore } from "../../federation/kv.ts";
import { currentQueueMessage, DrizzleMessageQueue } from "../../federation/queue.ts";
import { drivers, openTestDatabase } from "../helpers/databases.ts";
import { freePort } from "../helpers/instance.ts";
import { eventually } from "./helpers.ts";

// The polyfill's Duration, which Fedify's types name by the global Temporal.
const ms = (milliseconds: number) => Temporal.Duration.from({ milliseconds }) as never;

describe.each(drivers)("delivery order and circuit state on the database (%s)", (driver) => {
  const opened: Database[] = [];
  afterAll(async () => {
    for (const database of opened) await database.close();
  });

  it("keeps a retried message ahead of the later ones with its ordering key", async () => {
    const database = await openTestDatabase(driver);
    opened.push(database);
    const queue = new DrizzleMessageQueue(database.db, { pollMs: 20, workers: 8 });
    const seen: string[] = [];
    const inboxes: unknown[] = [];
    const controller = new AbortController();
    const listening = queue.listen(
      async (m: { id: string; name: string; attempt: number; inbox: string }) => {
        inboxes.push((currentQueueMessage() as { inbox?: string } | undefined)?.inbox);
        if (m.name === "create" && m.attempt === 0) {
          // What Fedify does after a failed delivery: the same message again, later, with the same key.
          seen.push("create failed");
          await queue.enqueue({ ...m, attempt: 1 }, { orderingKey: "project-1\nhttp://b.example", delay: ms(300) });
          return;
        }
        seen.push(m.name);
      },
      { signal: controller.signal },
    );
    await queue.enqueue({ id: "m1", name: "create", attempt: 0, inbox: "http://b.example/inbox" }, { orderingKey: "project-1\nhttp://b.example" });
    await queue.enqueue({ id: "m2", name: "update", attempt: 0, inbox: "http://b.example/inbox" }, { orderingKey: "project-1\nhttp://b.example" });
    await queue.enqueue({ id: "m3", name: "other project", attempt: 0, inbox: "http://b.example/inbox" }, { orderingKey: "project-2\nhttp://b.example" });
    await eventually(async () => seen.length === 4, 10_000);
    controller.abort();
    await listening;
    // The other project does not wait; this project's Update waits for its Create.
    expect(seen.filter((s) => s !== "other project")).toEqual(["create failed", "create", "update"]);
    expect(inboxes.every((i) => i === "http://b.example/inbox")).toBe(true);
    expect((await queue.getDepth()).queued).toBe(0);
  });

  it("writes what a fan-out queues when it is done, every delivery once and in order", async () => {
    const database = await openTestDatabase(driver);
    opened.push(database);
    const queue = new DrizzleMessageQueue(database.db, { pollMs: 20, workers: 8 });
    const seen: string[] = [];
    const controller = new AbortController();
    const listening = queue.listen(
      async (m: { type: string; id: string; key?: string; inbox?: number; n?: number }) => {
        if (m.type === "fanout") {
          // As Fedify fans out with an ordering key: one enqueue call per inbox.
          for (let i = 0; i < 40; i++) {
            const key = `project-1\nhttp://inbox-${i % 4}.example`;
            await queue.enqueue({ type: "outbox", id: crypto.randomUUID(), key: m.key, inbox: i % 4, n: i }, { orderingKey: key });
          }
          return;
        }
        seen.push(`${m.inbox}:${m.key}#${m.n}`);
      },
      { signal: controller.signal },
    );
    await queue.enqueue({ type: "fanout", id: "f1", key: "create" }, { orderingKey: "project-1" });
    await queue.enqueue({ type: "fanout", id: "f2", key: "update" }, { orderingKey: "project-1" });
    await eventually(async () => seen.length === 80, 20_000);
    controller.abort();
    await listening;
    expect(new Set(seen).size).toBe(80);
    // Each inbox: the project's Create deliveries in order, then its Update deliveries.
    for (let inbox = 0; inbox < 4; inbox++) {
      const ns = Array.from({ length: 10 }, (_, j) => inbox + 4 * j);
      const expected = [...ns.map((n) => `${inbox}:create#${n}`), ...ns.map((n) => `${inbox}:update#${n}`)];
      expect(seen.filter((s) => s.startsWith(`${inbox}:`))).toEqual(expected);
    }
    expect((await queue.getDepth()).queued).toBe(0);
  });

  it("tells per host how many deliveries wait and when the next is due", async () => {
    const database = await openTestDatabase(driver);
    opened.push(database);
    const queue = new DrizzleMessageQueue(database.db);
    const outbox = (inbox: string) => ({ type: "outbox", id: crypto.randomUUID(), inbox });
    await queue.enqueue(outbox("http://127.0.0.1:4100/users/a/inbox"), { delay: ms(60_000) });
    await queue.enqueue(outbox("http://127.0.0.1:4100/inbox"), { delay: ms(30_000) });
    await queue.enqueue(outbox("https://b.example/inbox"));
    await queue.enqueue({ type: "fanout", id: crypto.randomUUID() });
    const pending = await queue.pendingByHost();
    expect([...pending.keys()].sort()).toEqual(["127.0.0.1:4100", "b.example"]);
    expect(pending.get("127.0.0.1:4100")!.waiting).toBe(2);
    const next = pending.get("127.0.0.1:4100")!.nextAt.getTime() - Date.now();
    expect(next).toBeGreaterThan(20_000);
    expect(next).toBeLessThanOrEqual(30_000);
  });

  it("closes a circuit: compare-and-swap to nothing removes the state", async () => {
    const database = await openTestDatabase(driver);
    opened.push(database);
    const kv = new DrizzleKvStore(database.db);
    const key = ["_fedify", "circuit", "b.example"] as const;
    const halfOpen = { state: "half-open", failures: [], halfOpened: "2026-12-01T00:00:00Z" };
    await kv.set(key, halfOpen);
    expect(await kv.cas(key, { state: "open", failures: [] }, undefined)).toBe(false);
    expect(await kv.get(key)).toEqual(halfOpen);
    expect(await kv.cas(key, halfOpen, undefined)).toBe(true);
    expect(await kv.get(key)).toBeUndefined();
  });
});

describe("what a failed delivery is said to be", () => {
  const sockets: Socket[] = [];
  const hanging = createNetServer((s) => void sockets.push(s));
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((r) => hanging.close(r));
  });
  const fetchFails = async (url: string, init?: RequestInit) => {
    try {
      await fetch(url, init);
    } catch (cause) {
      // As Fedify's sendActivity wraps a transport error.
      const error = new FetchError(url, cause instanceof Error ? cause.message : String(cause));
      error.cause = cause;
      return error;
    }
    throw new Error("fetch succeeded");
  };

  it("a closed port is a refused connection, under the inbox's own host", async () => {
    const inbox = `http://127.0.0.1:${await freePort()}/users/x/inbox`;
    const error = await fetchFails(inbox);
    const problem = describeDeliveryError(error);
    expect(problem.kind).toBe("refused");
    expect(problem.detail).toContain("ECONNREFUSED");
    expect(deliveryTarget(error, undefined)?.host).toBe(new URL(inbox).host);
  });

  it("no answer in time is a timeout", async () => {
    const port = await freePort();
    await new Promise<void>((r) => hanging.listen(port, "127.0.0.1", () => r()));
    const error = await fetchFails(`http://127.0.0.1:${port}/inbox`, { signal: AbortSignal.timeout(100) });
    expect(describeDeliveryError(error).kind).toBe("timeout");
  });

  it("an HTTP status keeps its code and reason, not the response body", () => {
    const inbox = new URL("https://b.example/inbox");
    const error = new SendActivityError(inbox, 503, `Failed to send activity x to ${inbox.href} (503 Service Unavailable):\n<html>down</html>`, "<html>down</html>");
    const problem = describeDeliveryError(error);
    expect(problem).toEqual({ kind: "http", status: 503, detail: "Service Unavailable" });
    expect(formatDeliveryProblem(problem)).toBe("http 503: Service Unavailable");
    expect(deliveryTarget(error, undefined)).toEqual(inbox);
  });

  it("certificate, name and reset failures as undici reports them", () => {
    const undici = (code: string, message: string) => Object.assign(new TypeError("fetch failed"), { cause: Object.assign(new Error(message), { code }) });
    expect(describeDeliveryError(undici("CERT_HAS_EXPIRED", "certificate has expired")).kind).toBe("tls");
    expect(describeDeliveryError(undici("ERR_TLS_CERT_ALTNAME_INVALID", "Hostname/IP does not match certificate's altnames")).kind).toBe("tls");
    expect(describeDeliveryError(undici("ENOTFOUND", "getaddrinfo ENOTFOUND b.example")).kind).toBe("dns");
    expect(describeDeliveryError(undici("UND_ERR_SOCKET", "other side closed")).kind).toBe("reset");
    expect(describeDeliveryError(undici("EHOSTUNREACH", "connect EHOSTUNREACH 10.1.2.3:443")).kind).toBe("unreachable");
    expect(describeDeliveryError(new Error("something else")).kind).toBe("other");
  });

  it("a failure without an inbox on the error is put under the inbox of the message being delivered", () => {
    expect(deliveryTarget(new Error("x"), { type: "outbox", inbox: "https://c.example/users/a/inbox" })?.host).toBe("c.example");
    expect(deliveryTarget(new Error("x"), undefined)).toBeUndefined();
  });

  it("reads back what is stored, older raw messages included", () => {
    expect(parseDeliveryProblem("refused: connect ECONNREFUSED 127.0.0.1:1")).toMatchObject({ kind: "refused" });
    expect(parseDeliveryProblem("http 410: Gone")).toMatchObject({ kind: "http", status: 410 });
    expect(parseDeliveryProblem("HTTP 503 Service Unavailable")).toMatchObject({ kind: "http", status: 503 });
    expect(parseDeliveryProblem("Failed to send activity x to y (500 Internal Server Error):\noops")).toMatchObject({ kind: "http", status: 500 });
    expect(parseDeliveryProblem("fetch failed: connect ECONNREFUSED 127.0.0.1:4")).toMatchObject({ kind: "refused" });
    expect(parseDeliveryProblem("")).toBeUndefined();
  });
});
