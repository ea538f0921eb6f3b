import { AsyncLocalStorage } from "node:async_hooks";
import type { MessageQueue, MessageQueueDepth, MessageQueueEnqueueOptions, MessageQueueListenOptions } from "@fedify/fedify";
import { sql } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { rowsOf } from "../db/client.ts";
import { fedifyQueue } from "../db/schema-federation.ts";
import type { Logger } from "../core/logger.ts";

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

async function insertMessages(db: Db, messages: readonly CollectedMessage[]): Promise<void> {
  for (let i = 0; i < messages.length; i += 500) {
    await db.insert(fedifyQueue).values(
      messages.slice(i, i + 500).map((m) => ({ message: sql`${JSON.stringify(m.message)}::jsonb`, orderingKey: m.orderingKey, runAt: m.runAt })),
    );
  }
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

const idOf = (value: unknown): string | undefined => {
  const first = Array.isArray(value) ? value[0] : value;
  if (typeof first === "string") return first;
  if (typeof first === "object" && first !== null) {
    const id = (first as { id?: unknown; "@id"?: unknown }).id ?? (first as { "@id"?: unknown })["@id"];
    return typeof id === "string" ? id : undefined;
  }
  return undefined;
};

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
      // The running message comes back (a retry or a hold): same row, same place in its order.
      await this.#db.execute(
        sql`update fedify_queue set message = ${JSON.stringify(messages[0])}::jsonb, run_at = ${runAt.toISOString()}::timestamptz where id = ${job.id}`,
      );
      job.rescheduled = true;
      return;
    }
    if (job?.queue === this && job.spawned) {
      for (const message of messages) job.spawned.push({ message, orderingKey: laneKey(message, orderingKey), runAt });
      return;
    }
    await insertMessages(
      this.#db,
      messages.map((message) => ({ message, orderingKey: laneKey(message, orderingKey), runAt })),
    );
    // Inbound activities under a limit are woken for by the instance once its inbox is quiet (inboundLimit).
    const inboundOnly = this.#inboundLimit !== undefined && messages.every((m) => (m as { type?: unknown } | null)?.type === "inbox");
    if (delayMs === 0 && !inboundOnly) for (const wake of this.#wakers) wake();
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
        returning id, message, ordering_key as "orderingKey", run_at as "runAt"`),
    );
    return rows
      .map((row) => ({ id: Number(row.id), message: row.message, orderingKey: row.orderingKey ?? null, runAt: new Date(row.runAt) }))
      .sort((a, b) => a.runAt.getTime() - b.runAt.getTime() || a.id - b.id)
      .map(({ runAt: _, ...claimed }) => claimed);
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
          const ids = (rescheduled: boolean) => batch.filter((r) => r.job.rescheduled === rescheduled).map((r) => sql`${r.job.id}`);
          try {
            const done = ids(false);
            const back = ids(true);
            if (done.length > 0) await this.#db.execute(sql`delete from fedify_queue where id in (${sql.join(done, sql`, `)})`);
            if (back.length > 0) await this.#db.execute(sql`update fedify_queue set locked_until = null where id in (${sql.join(back, sql`, `)})`);
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
          : sql`delete from fedify_queue where id = ${job.id}`;
        if (spawned.length === 0) await releaseSoon(job);
        else {
          // A crash before this commits leaves the fan-out message, which runs again: nothing is lost.
          await this.#db.transaction(async (tx) => {
            await insertMessages(tx, spawned);
            await tx.execute(release);
          });
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
          if (this.#workers - active.size < claimBatch && Date.now() - claimedAt < this.#pollMs) break;
          claimedAt = Date.now();
          let jobs: Claimed[] = [];
          const fullHosts = [...inFlight].filter(([, n]) => n >= this.#hostWorkers).map(([h]) => h);
          const wanted = this.#inboundLimit?.() ?? this.#workers;
          const inboundLimit = wanted > 0 || Date.now() - inboundStartedAt < 1_000 ? wanted : 1;
          const free = this.#workers - active.size;
          const inboundSlots = Math.max(0, inboundLimit - inboundRunning);
          try {
            if (inboundSlots >= free) jobs = await this.#claim(free, fullHosts, "any");
            else {
              // Everything else as usual, then inbound activities only as many as may run.
              jobs = await this.#claim(free, fullHosts, "skip");
              const room = Math.min(inboundSlots, free - jobs.length);
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
    }
  }
}
