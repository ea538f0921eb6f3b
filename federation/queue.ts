import { AsyncLocalStorage } from "node:async_hooks";
import type { MessageQueue, MessageQueueDepth, MessageQueueEnqueueOptions, MessageQueueListenOptions } from "@fedify/fedify";
import { sql } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { rowsOf } from "../db/client.ts";
import { fedifyQueue, fedifyQueuePayloads } from "../db/schema-federation.ts";
import type { Logger } from "../core/logger.ts";
import { idOf } from "./json-id.ts";

export interface DrizzleQueueOptions {
  /** How often an idle worker looks for due (delayed or foreign) messages. */
  pollMs?: number;
  /** How long a worker holds a message; a crashed worker's messages come back after this. */
  leaseMs?: number;
  /** Concurrent handlers per listen() call, so one slow inbox never holds up the others. */
  workers?: number;
  /**
   * Concurrent deliveries to one receiving host (default a quarter of the
   * workers): a server that accepts connections and never answers holds this
   * many workers until the request deadline, never all of them.
   */
  hostWorkers?: number;
  /**
   * Release every lease when listening starts. Right when this process is the
   * only worker on the database (the default deployment): leases left behind
   * can only belong to a process that died.
   */
  releaseLeasesOnStart?: boolean;
  /**
   * How many accepted inbound activities may be handled at once, asked before
   * each claim (default: every worker). The instance lowers it, to none, while
   * its inbox is answering requests, so the answers do not wait for the
   * handling; one is still started every second whatever it says, so a
   * flood that never pauses delays the handling but never stops it.
   */
  inboundLimit?: () => number;
  /**
   * Runs on every message before it is written (the inbox stamps who signed
   * the request an activity came in with: inbox/sender.ts).
   */
  prepare?: (message: unknown) => Promise<unknown>;
  logger?: Logger;
}

interface Claimed {
  id: number;
  message: unknown;
  orderingKey: string | null;
  /** The row in fedify_queue_payloads that holds the rest of the message. */
  payloadId: number | null;
}

interface ClaimedRow extends Claimed {
  runAt: string | Date;
}

/** The message a handler is working on, and whether the handler put it back for later. */
interface Running extends Claimed {
  queue: DrizzleMessageQueue;
  rescheduled: boolean;
  /**
   * What a fan-out handler queues (one delivery per inbox, one enqueue call
   * each when they carry an ordering key): written in one insert when the
   * handler is done, in the transaction that removes the fan-out message.
   */
  spawned?: CollectedMessage[];
}

const running = new AsyncLocalStorage<Running>();

/** A message enqueued while `collect` ran: not yet written. */
export interface CollectedMessage {
  message: unknown;
  orderingKey: string | null;
  runAt: Date;
}

const collecting = new AsyncLocalStorage<{ queue: DrizzleMessageQueue; messages: CollectedMessage[] }>();

/**
 * Shared parts of outbound deliveries. A fan-out queues one delivery per
 * inbox, each with the same activity and keys (the same objects): those are
 * stored once, in fedify_queue_payloads, and each delivery's row keeps the
 * rest and names the payload. A claim puts the message back together.
 */
type Payload = Record<(typeof sharedFields)[number], unknown>;
const sharedFields = ["activity", "keys"] as const;
/** Payloads written or read by this process, newest last: a fan-out's deliveries are claimed soon after it wrote them. */
const payloads = new Map<number, Payload>();

function remember(id: number, body: Payload): void {
  payloads.delete(id);
  payloads.set(id, body);
  if (payloads.size > 64) payloads.delete(payloads.keys().next().value!);
}

/** The shared part of an outbound delivery, if it has one worth sharing. */
function sharedOf(message: unknown): Payload | undefined {
  const m = message as { type?: unknown; activity?: unknown; keys?: unknown } | null;
  if (m?.type !== "outbox" || typeof m.activity !== "object" || m.activity === null) return undefined;
  return { activity: m.activity, keys: m.keys };
}

/** A message without its shared part. */
function withoutShared(message: unknown): unknown {
  const rest = { ...(message as Record<string, unknown>) };
  for (const f of sharedFields) delete rest[f];
  return rest;
}

/** True when `message` carries exactly `payload`'s objects (a delivery of that fan-out, or its retry). */
const carries = (message: unknown, payload: Payload): boolean =>
  sharedFields.every((f) => (message as Record<string, unknown>)[f] === payload[f]);

async function insertMessages(db: Db, messages: readonly CollectedMessage[]): Promise<{ id: number; payloadId: number | null }[]> {
  // Deliveries that carry the same activity and keys (one fan-out) share one payload row.
  const groups = new Map<unknown, { payload: Payload; count: number; id?: number }>();
  for (const m of messages) {
    const shared = sharedOf(m.message);
    if (!shared) continue;
    const group = groups.get(shared.activity);
    if (!group) groups.set(shared.activity, { payload: shared, count: 1 });
    else if (carries(m.message, group.payload)) group.count++;
  }
  for (const group of groups.values()) {
    if (group.count < 2) continue;
    const [row] = await db.insert(fedifyQueuePayloads).values({ body: sql`${JSON.stringify(group.payload)}::jsonb` }).returning({ id: fedifyQueuePayloads.id });
    group.id = row.id;
    remember(row.id, group.payload);
  }
  const rows = messages.map((m) => {
    const group = groups.get((m.message as { activity?: unknown } | null)?.activity);
    const payloadId = group?.id !== undefined && carries(m.message, group.payload) ? group.id : null;
    const message = payloadId === null ? m.message : withoutShared(m.message);
    return { message: sql`${JSON.stringify(message)}::jsonb`, orderingKey: m.orderingKey, runAt: m.runAt, payloadId };
  });
  const written: { id: number; payloadId: number | null }[] = [];
  for (let i = 0; i < rows.length; i += 500) {
    const chunk = rows.slice(i, i + 500);
    // Rows come back in the order of the values.
    const ids = await db.insert(fedifyQueue).values(chunk).returning({ id: fedifyQueue.id });
    ids.forEach((r, j) => written.push({ id: r.id, payloadId: chunk[j].payloadId }));
  }
  return written;
}

/** Puts claimed messages back together with their payloads (from memory, else from the database). */
async function withPayloads(db: Db, claimed: Claimed[]): Promise<Claimed[]> {
  const missing = [...new Set(claimed.map((c) => c.payloadId).filter((id): id is number => id !== null && !payloads.has(id)))];
  if (missing.length > 0) {
    const rows = rowsOf<{ id: number | string; body: Payload }>(
      await db.execute(sql`select id, body from fedify_queue_payloads where id in (${sql.join(missing.map((id) => sql`${id}`), sql`, `)})`),
    );
    for (const r of rows) remember(Number(r.id), r.body);
  }
  return claimed.map((c) => {
    const payload = c.payloadId === null ? undefined : payloads.get(c.payloadId);
    return payload ? { ...c, message: { ...(c.message as object), ...payload } } : c;
  });
}

/** Deletes handled messages, and the payloads that no message names any more. */
function deleteMessages(ids: readonly number[]) {
  const list = sql.join(ids.map((id) => sql`${id}`), sql`, `);
  return sql`
    with gone as (delete from fedify_queue where id in (${list}) returning payload_id)
    delete from fedify_queue_payloads p
    where p.id in (select payload_id from gone where payload_id is not null)
      and not exists (select 1 from fedify_queue q where q.payload_id = p.id and q.id not in (${list}))`;
}

/**
 * The queued message whose handler is running in this async context, if any.
 * Fedify's outbox error handler is told the error and the activity but not the
 * inbox; the message it is delivering says which.
 */
export function currentQueueMessage(): unknown {
  return running.getStore()?.message;
}

/**
 * The ordering key a message is stored under. Fedify keys a delivery by the
 * activity's key and the inbox's origin, so every inbox on one server would
 * wait for the one before it; the order we promise is per inbox, so a
 * delivery's lane is its inbox. An accepted inbound activity (Fedify queues
 * those with no key) is handled after the ones its actor sent before about
 * the same thing (inboundLane). Other messages keep Fedify's key.
 */
export function laneKey(message: unknown, orderingKey: string | null): string | null {
  if (typeof message !== "object" || message === null) return orderingKey;
  const { type, inbox, activity } = message as { type?: unknown; inbox?: unknown; activity?: unknown };
  if (type === "inbox") return inboundLane(activity) ?? orderingKey;
  if (orderingKey === null) return orderingKey;
  return type === "outbox" && typeof inbox === "string" ? `${orderingKey}\n${inbox}` : orderingKey;
}

/**
 * The lane of an inbound activity (its JSON as received): its actor and what
 * it is about, so a Delete is never handled before the Create or Update of the
 * same object sent before it, an Undo never before what it undoes, while
 * activities about different objects are handled side by side. What it is
 * about: its object, or, when the object is an activity itself (Undo, Accept,
 * Reject of an embedded Follow or Create), that activity's object.
 */
function inboundLane(activity: unknown): string | null {
  if (typeof activity !== "object" || activity === null) return null;
  const { actor, object } = activity as { actor?: unknown; object?: unknown };
  const actorId = idOf(actor);
  if (!actorId) return null;
  const inner = Array.isArray(object) ? object[0] : object;
  const nested = typeof inner === "object" && inner !== null ? (inner as { object?: unknown }).object : undefined;
  const subject = idOf(nested) ?? idOf(object) ?? "";
  return `inbox\n${actorId}\n${subject}`;
}

const messageId = (message: unknown): unknown =>
  typeof message === "object" && message !== null ? (message as { id?: unknown }).id : undefined;

/** Per receiving host: how many deliveries wait and when the next is due. */
export interface PendingDeliveries {
  readonly waiting: number;
  readonly nextAt: Date;
}

/**
 * Fedify's MessageQueue over our database: at-least-once delivery that
 * survives a restart. Receivers are idempotent on activity id, so a message
 * handled twice after a crash is seen once.
 *
 * Messages that share an ordering key run one at a time, oldest first. A
 * handler that puts its own message back (Fedify does so for a retry, or to
 * hold a delivery while a host's circuit is open) keeps the message's place:
 * the row is rescheduled, not queued anew, so a Create that waits for a retry
 * still goes before the Update queued after it.
 */
export class DrizzleMessageQueue implements MessageQueue {
  readonly nativeRetrial = false;
  readonly #db: Db;
  readonly #pollMs: number;
  readonly #leaseMs: number;
  readonly #workers: number;
  readonly #hostWorkers: number;
  readonly #releaseOnStart: boolean;
  readonly #logger?: Logger;
  readonly #prepare?: (message: unknown) => Promise<unknown>;
  readonly #inboundLimit?: () => number;
  #wakers = new Set<() => void>();
  /** Messages waiting for the write under way to finish (#insertGrouped). */
  #group?: { rows: CollectedMessage[]; written: PromiseWithResolvers<void> };
  #writingGroups = false;

  constructor(db: Db, options: DrizzleQueueOptions = {}) {
    this.#db = db;
    this.#pollMs = options.pollMs ?? 250;
    this.#leaseMs = options.leaseMs ?? 5 * 60_000;
    this.#workers = Math.max(1, options.workers ?? 1);
    this.#hostWorkers = Math.max(1, options.hostWorkers ?? Math.ceil(this.#workers / 4));
    this.#releaseOnStart = options.releaseLeasesOnStart ?? false;
    this.#logger = options.logger;
    this.#prepare = options.prepare;
    this.#inboundLimit = options.inboundLimit;
  }

  async enqueue(message: unknown, options?: MessageQueueEnqueueOptions): Promise<void> {
    await this.enqueueMany([message], options);
  }

  async enqueueMany(given: readonly unknown[], options?: MessageQueueEnqueueOptions): Promise<void> {
    if (given.length === 0) return;
    const prepare = this.#prepare;
    const messages = prepare ? await Promise.all(given.map((m) => prepare(m))) : given;
    const delayMs = options?.delay ? Math.max(0, options.delay.total({ unit: "millisecond" })) : 0;
    const runAt = new Date(Date.now() + delayMs);
    const job = running.getStore();
    const orderingKey = options?.orderingKey ?? null;
    const collector = collecting.getStore();
    if (collector?.queue === this) {
      for (const message of messages) collector.messages.push({ message, orderingKey: laneKey(message, orderingKey), runAt });
      return;
    }
    if (
      job?.queue === this &&
      messages.length === 1 &&
      messageId(messages[0]) !== undefined &&
      messageId(messages[0]) === messageId(job.message) &&
      laneKey(messages[0], orderingKey) === job.orderingKey
    ) {
      // The running message comes back (a retry or a hold): same row, same place in its order, the same shared payload.
      const payload = job.payloadId === null ? undefined : payloads.get(job.payloadId);
      const keeps = payload !== undefined && carries(messages[0], payload);
      const stored = keeps ? withoutShared(messages[0]) : messages[0];
      await this.#db.execute(
        sql`update fedify_queue set message = ${JSON.stringify(stored)}::jsonb, run_at = ${runAt.toISOString()}::timestamptz, payload_id = ${keeps ? job.payloadId : null} where id = ${job.id}`,
      );
      job.rescheduled = true;
      return;
    }
    if (job?.queue === this && job.spawned) {
      for (const message of messages) job.spawned.push({ message, orderingKey: laneKey(message, orderingKey), runAt });
      return;
    }
    const rows = messages.map((message) => ({ message, orderingKey: laneKey(message, orderingKey), runAt }));
    await this.#insertGrouped(rows);
    // Inbound activities under a limit are woken for by the instance once its inbox is quiet (inboundLimit).
    const inboundOnly = this.#inboundLimit !== undefined && messages.every((m) => (m as { type?: unknown } | null)?.type === "inbox");
    if (delayMs === 0 && !inboundOnly) for (const wake of this.#wakers) wake();
  }

  /**
   * Writes messages in one transaction (one commit) with the others enqueued
   * while the write before them was under way: group commit. An inbox that
   * answers several senders at once waits for one commit per group instead of
   * one each; on PostgreSQL each commit waits for the disk. Order is kept:
   * rows are written in the order they were enqueued, and a shared payload
   * with the deliveries that name it.
   */
  #insertGrouped(rows: readonly CollectedMessage[]): Promise<void> {
    const group = (this.#group ??= { rows: [], written: Promise.withResolvers<void>() });
    group.rows.push(...rows);
    if (!this.#writingGroups) void this.#writeGroups();
    return group.written.promise;
  }

  async #writeGroups(): Promise<void> {
    this.#writingGroups = true;
    for (let group = this.#group; group; group = this.#group) {
      this.#group = undefined;
      const rows = group.rows;
      try {
        if (rows.length > 1) await this.#db.transaction((tx) => insertMessages(tx, rows));
        else await insertMessages(this.#db, rows);
        group.written.resolve();
      } catch (error) {
        group.written.reject(error);
      }
    }
    this.#writingGroups = false;
  }

  /**
   * Runs `fn`, keeping what it enqueues here instead of writing it, so the
   * caller can write it with `insertCollected` in a transaction of its own
   * (the journal's subscriber: queued and acknowledged in one commit).
   */
  async collect(fn: () => Promise<void>): Promise<CollectedMessage[]> {
    const store = { queue: this, messages: [] as CollectedMessage[] };
    await collecting.run(store, fn);
    return store.messages;
  }

  /** Writes collected messages through `tx`; call `wake` once it has committed. */
  async insertCollected(tx: Db, messages: readonly CollectedMessage[]): Promise<void> {
    await insertMessages(tx, messages);
  }

  /**
   * Leases, through `tx`, the due deliveries a fan-out just wrote, up to
   * `limit`, for the worker that wrote them to run without claiming them back;
   * one whose lane still holds an older message is left for a claim, as a
   * claim would. Returns the leased ones, in order.
   */
  async #leaseSpawned(tx: Db, spawned: readonly CollectedMessage[], written: readonly { id: number; payloadId: number | null }[], limit: number): Promise<Claimed[]> {
    const now = Date.now();
    const due = written.map((w, i) => ({ ...w, m: spawned[i] })).filter((w) => w.m.runAt.getTime() <= now && (w.m.message as { type?: unknown } | null)?.type === "outbox");
    if (due.length === 0 || limit <= 0) return [];
    const picked = due.slice(0, limit);
    const leased = rowsOf<{ id: number | string }>(
      await tx.execute(sql`
        update fedify_queue set locked_until = now() + (${this.#leaseMs} * interval '1 millisecond')
        where id in (${sql.join(picked.map((w) => sql`${w.id}`), sql`, `)})
          and (ordering_key is null or not exists (
            select 1 from fedify_queue o where o.ordering_key = fedify_queue.ordering_key and o.id < fedify_queue.id))
        returning id`),
    );
    const ids = new Set(leased.map((r) => Number(r.id)));
    return picked.filter((w) => ids.has(w.id)).map((w) => ({ id: w.id, message: w.m.message, orderingKey: w.m.orderingKey, payloadId: w.payloadId }));
  }

  /** Tells idle workers that messages are due. */
  wake(): void {
    for (const wake of this.#wakers) wake();
  }

  async getDepth(): Promise<MessageQueueDepth> {
    const [row] = rowsOf<{ queued: number; ready: number }>(
      await this.#db.execute(
        sql`select count(*)::int as queued, (count(*) filter (where run_at <= now()))::int as ready from fedify_queue`,
      ),
    );
    return { queued: row.queued, ready: row.ready, delayed: row.queued - row.ready };
  }

  async #claim(limit: number, fullHosts: readonly string[], inbound: "any" | "skip" | "only"): Promise<Claimed[]> {
    // Deliveries to a host that has all it may have in flight wait where they are.
    const notFull =
      fullHosts.length === 0
        ? sql``
        : sql`and not coalesce(${sql.join(fullHosts.map((h) => sql`starts_with(q.message->>'inbox', ${h})`), sql` or `)}, false)`;
    // Inbound activities are claimed apart while only a few may run (listen).
    const kind =
      inbound === "skip"
        ? sql`and (q.message->>'type') is distinct from 'inbox'`
        : inbound === "only"
          ? sql`and q.message->>'type' = 'inbox'`
          : sql``;
    // One statement: pick the oldest due messages nobody holds, skipping any
    // whose ordering key still has an older message waiting or running (so a
    // batch holds at most one message of each key: the oldest).
    const rows = rowsOf<ClaimedRow>(
      await this.#db.execute(sql`
        update fedify_queue set locked_until = now() + (${this.#leaseMs} * interval '1 millisecond')
        where id in (
          select q.id from fedify_queue q
          where q.run_at <= now()
            and (q.locked_until is null or q.locked_until < now())
            ${notFull}
            ${kind}
            and (q.ordering_key is null or not exists (
              select 1 from fedify_queue o where o.ordering_key = q.ordering_key and o.id < q.id))
          order by q.run_at, q.id
          limit ${limit}
          for update skip locked)
        returning id, message, ordering_key as "orderingKey", run_at as "runAt", payload_id as "payloadId"`),
    );
    const claimed = rows
      .map((row) => ({
        id: Number(row.id),
        message: row.message,
        orderingKey: row.orderingKey ?? null,
        payloadId: row.payloadId === null || row.payloadId === undefined ? null : Number(row.payloadId),
        runAt: new Date(row.runAt),
      }))
      .sort((a, b) => a.runAt.getTime() - b.runAt.getTime() || a.id - b.id)
      .map(({ runAt: _, ...claimed }) => claimed);
    return withPayloads(this.#db, claimed);
  }

  /**
   * Outbound deliveries waiting, per receiving host (host:port, as Fedify's
   * circuit breaker names hosts): how many, and when the next one is due.
   */
  async pendingByHost(): Promise<Map<string, PendingDeliveries>> {
    const rows = rowsOf<{ host: string | null; waiting: number; next_at: string | Date }>(
      await this.#db.execute(sql`
        select substring(message->>'inbox' from '^[A-Za-z][A-Za-z0-9+.-]*://([^/?#]+)') as host,
               count(*)::int as waiting, min(run_at) as next_at
        from fedify_queue where message->>'type' = 'outbox'
        group by 1`),
    );
    const pending = new Map<string, PendingDeliveries>();
    for (const r of rows) if (r.host) pending.set(r.host.toLowerCase(), { waiting: r.waiting, nextAt: new Date(r.next_at) });
    return pending;
  }

  async listen(handler: (message: any) => Promise<void> | void, options: MessageQueueListenOptions = {}): Promise<void> {
    const signal = options.signal;
    if (this.#releaseOnStart) {
      await this.#db.execute(sql`update fedify_queue set locked_until = null where locked_until is not null`);
      // Payloads left behind when two processes released a fan-out's last deliveries at once.
      await this.#db.execute(sql`delete from fedify_queue_payloads p where not exists (select 1 from fedify_queue q where q.payload_id = p.id)`);
    }
    // One poller per listen() claims messages and runs up to `workers` handlers at
    // once; an idle instance costs one query per poll interval, not one per worker.
    let wake: () => void = () => {};
    let woken = false; // a wake-up that came while we were busy is not lost
    const waker = () => {
      woken = true;
      wake();
    };
    this.#wakers.add(waker);
    const idle = () =>
      new Promise<void>((resolve) => {
        if (woken) {
          woken = false;
          return resolve();
        }
        const timer = setTimeout(done, this.#pollMs);
        function done() {
          clearTimeout(timer);
          signal?.removeEventListener("abort", done);
          wake = () => {};
          woken = false;
          resolve();
        }
        wake = done;
        signal?.addEventListener("abort", done, { once: true });
      });
    const active = new Set<Promise<void>>();
    // Handled messages are released together: the deliveries that finish
    // while one release is being written go in the next, as one statement.
    const releasing: { job: Running; settle: (error?: unknown) => void }[] = [];
    let flushing = false;
    const flush = async () => {
      if (flushing) return;
      flushing = true;
      try {
        while (releasing.length > 0) {
          const batch = releasing.splice(0);
          const ids = (rescheduled: boolean) => batch.filter((r) => r.job.rescheduled === rescheduled).map((r) => r.job.id);
          try {
            const done = ids(false);
            const back = ids(true);
            if (done.length > 0) await this.#db.execute(deleteMessages(done));
            if (back.length > 0) await this.#db.execute(sql`update fedify_queue set locked_until = null where id in (${sql.join(back.map((id) => sql`${id}`), sql`, `)})`);
            for (const r of batch) r.settle();
          } catch (error) {
            for (const r of batch) r.settle(error);
          }
        }
      } finally {
        flushing = false;
      }
    };
    const releaseSoon = (job: Running) =>
      new Promise<void>((resolve, reject) => {
        releasing.push({ job, settle: (error) => (error === undefined ? resolve() : reject(error)) });
        // Deliveries that finish in the same turn go in one statement.
        if (releasing.length === 1) setImmediate(() => void flush());
      });
    // Deliveries in flight per receiving host (its origin plus "/", as the inbox URL starts).
    const inFlight = new Map<string, number>();
    const hostOf = (job: Claimed): string | undefined => {
      const m = job.message as { type?: unknown; inbox?: unknown } | null;
      if (m?.type !== "outbox" || typeof m.inbox !== "string") return undefined;
      try {
        return `${new URL(m.inbox).origin}/`;
      } catch {
        return undefined;
      }
    };
    // Deliveries a fan-out of this worker wrote and leased for it (#leaseSpawned), oldest first.
    const handed: Claimed[] = [];
    /** Takes up to `limit` handed deliveries whose host has room, counting what it takes. */
    const takeHanded = (limit: number): Claimed[] => {
      const taken: Claimed[] = [];
      const counts = new Map(inFlight);
      for (let i = 0; i < handed.length && taken.length < limit; ) {
        const host = hostOf(handed[i]);
        const n = host ? (counts.get(host) ?? 0) : 0;
        if (host && n >= this.#hostWorkers) {
          i++;
          continue;
        }
        if (host) counts.set(host, n + 1);
        taken.push(...handed.splice(i, 1));
      }
      return taken;
    };
    let inboundRunning = 0;
    let inboundStartedAt = 0;
    const isInbound = (job: Claimed) => (job.message as { type?: unknown } | null)?.type === "inbox";
    const run = async (claimed: Claimed, host: string | undefined) => {
      const fanout = (job: Claimed) => (job.message as { type?: unknown } | null)?.type === "fanout";
      const job: Running = { ...claimed, queue: this, rescheduled: false, ...(fanout(claimed) ? { spawned: [] } : {}) };
      try {
        await running.run(job, () => handler(job.message));
      } catch (error) {
        this.#logger?.error("queue: handler failed", error);
      }
      try {
        const spawned = job.spawned ?? [];
        const release = job.rescheduled
          ? sql`update fedify_queue set locked_until = null where id = ${job.id}`
          : deleteMessages([job.id]);
        if (spawned.length === 0) await releaseSoon(job);
        else {
          // A crash before this commits leaves the fan-out message, which runs again: nothing is lost.
          // The deliveries are leased to this worker as they are written: no claim has to find them.
          const leased = await this.#db.transaction(async (tx) => {
            const written = await insertMessages(tx, spawned);
            const mine = await this.#leaseSpawned(tx, spawned, written, 4 * this.#workers - handed.length);
            await tx.execute(release);
            return mine;
          });
          handed.push(...leased);
        }
      } catch (error) {
        this.#logger?.warn("queue: could not release a handled message", error);
      }
      if (isInbound(claimed)) inboundRunning--;
      if (host) {
        const left = (inFlight.get(host) ?? 1) - 1;
        if (left > 0) inFlight.set(host, left);
        else inFlight.delete(host);
      }
      // A free slot, and maybe a message that waited on this one's ordering key.
      for (const w of this.#wakers) w();
    };
    // With most workers busy, a claim waits until an eighth of them are free
    // (or a poll interval has passed): one claim for several messages, not a
    // claim for each delivery that finishes.
    const claimBatch = Math.max(1, Math.floor(this.#workers / 8));
    let claimedAt = 0;
    try {
      while (!signal?.aborted) {
        let claimed = false;
        while (active.size < this.#workers && !signal?.aborted) {
          // Handed deliveries start as soon as a worker is free; the database is still asked once a poll interval.
          const local = takeHanded(this.#workers - active.size);
          const pollDue = Date.now() - claimedAt >= this.#pollMs;
          if (local.length === 0 && this.#workers - active.size < claimBatch && !pollDue) break;
          let jobs: Claimed[] = local;
          const fullHosts = [...inFlight].filter(([, n]) => n >= this.#hostWorkers).map(([h]) => h);
          const wanted = this.#inboundLimit?.() ?? this.#workers;
          const inboundLimit = wanted > 0 || Date.now() - inboundStartedAt < 1_000 ? wanted : 1;
          const free = this.#workers - active.size - local.length;
          const inboundSlots = Math.max(0, inboundLimit - inboundRunning);
          const claiming = free > 0 && (local.length === 0 || pollDue);
          if (claiming) claimedAt = Date.now();
          try {
            if (!claiming) {
              // Only handed deliveries this time.
            } else if (inboundSlots >= free) jobs = [...local, ...(await this.#claim(free, fullHosts, "any"))];
            else {
              // Everything else as usual, then inbound activities only as many as may run.
              const others = await this.#claim(free, fullHosts, "skip");
              jobs = [...local, ...others];
              const room = Math.min(inboundSlots, free - others.length);
              if (room > 0) jobs.push(...(await this.#claim(room, fullHosts, "only")));
            }
          } catch (error) {
            if (!signal?.aborted) this.#logger?.warn("queue: could not claim a message", error);
          }
          if (jobs.length === 0) break;
          claimed = true;
          const surplus: number[] = [];
          for (const job of jobs) {
            const host = hostOf(job);
            const n = host ? (inFlight.get(host) ?? 0) : 0;
            const inbound = isInbound(job);
            if ((host && n >= this.#hostWorkers) || (inbound && inboundRunning >= inboundLimit)) {
              surplus.push(job.id);
              continue;
            }
            if (host) inFlight.set(host, n + 1);
            if (inbound) {
              inboundRunning++;
              inboundStartedAt = Date.now();
            }
            const p = run(job, host);
            active.add(p);
            void p.finally(() => active.delete(p));
          }
          // More for one host (or more inbound) than may run at once: those go back, untouched, for a later claim.
          if (surplus.length > 0) {
            await this.#db
              .execute(sql`update fedify_queue set locked_until = null where id in (${sql.join(surplus.map((id) => sql`${id}`), sql`, `)})`)
              .catch((error) => this.#logger?.warn("queue: could not put back a claimed message", error));
          }
        }
        if (!claimed || active.size >= this.#workers) await idle();
      }
      await Promise.allSettled([...active]);
    } finally {
      this.#wakers.delete(waker);
      // Handed deliveries not started go back to the queue for whoever listens next.
      if (handed.length > 0) {
        await this.#db
          .execute(sql`update fedify_queue set locked_until = null where id in (${sql.join(handed.splice(0).map((c) => sql`${c.id}`), sql`, `)})`)
          .catch((error) => this.#logger?.warn("queue: could not put back handed deliveries", error));
      }
    }
  }
}
