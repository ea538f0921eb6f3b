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
   * Release every lease when listening starts. Right when this process is the
   * only worker on the database (the default deployment): leases left behind
   * can only belong to a process that died.
   */
  releaseLeasesOnStart?: boolean;
  logger?: Logger;
}

interface Claimed {
  id: number;
  message: unknown;
  orderingKey: string | null;
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
  readonly #releaseOnStart: boolean;
  readonly #logger?: Logger;
  #wakers = new Set<() => void>();

  constructor(db: Db, options: DrizzleQueueOptions = {}) {
    this.#db = db;
    this.#pollMs = options.pollMs ?? 250;
    this.#leaseMs = options.leaseMs ?? 5 * 60_000;
    this.#workers = Math.max(1, options.workers ?? 1);
    this.#releaseOnStart = options.releaseLeasesOnStart ?? false;
    this.#logger = options.logger;
  }

  async enqueue(message: unknown, options?: MessageQueueEnqueueOptions): Promise<void> {
    await this.enqueueMany([message], options);
  }

  async enqueueMany(messages: readonly unknown[], options?: MessageQueueEnqueueOptions): Promise<void> {
    if (messages.length === 0) return;
    const delayMs = options?.delay ? Math.max(0, options.delay.total({ unit: "millisecond" })) : 0;
    const runAt = new Date(Date.now() + delayMs);
    const job = running.getStore();
    const orderingKey = options?.orderingKey ?? null;
    const collector = collecting.getStore();
    if (collector?.queue === this) {
      for (const message of messages) collector.messages.push({ message, orderingKey, runAt });
      return;
    }
    if (
      job?.queue === this &&
      messages.length === 1 &&
      messageId(messages[0]) !== undefined &&
      messageId(messages[0]) === messageId(job.message) &&
      orderingKey === job.orderingKey
    ) {
      // The running message comes back (a retry or a hold): same row, same place in its order.
      await this.#db.execute(
        sql`update fedify_queue set message = ${JSON.stringify(messages[0])}::jsonb, run_at = ${runAt.toISOString()}::timestamptz where id = ${job.id}`,
      );
      job.rescheduled = true;
      return;
    }
    if (job?.queue === this && job.spawned) {
      for (const message of messages) job.spawned.push({ message, orderingKey, runAt });
      return;
    }
    await this.#db.insert(fedifyQueue).values(
      messages.map((m) => ({ message: sql`${JSON.stringify(m)}::jsonb`, orderingKey: options?.orderingKey ?? null, runAt })),
    );
    if (delayMs === 0) for (const wake of this.#wakers) wake();
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

  async #claim(): Promise<Claimed | undefined> {
    // One statement: pick the oldest due message nobody holds, skipping any
    // whose ordering key still has an older message waiting or running.
    const rows = rowsOf<Claimed>(
      await this.#db.execute(sql`
        update fedify_queue set locked_until = now() + (${this.#leaseMs} * interval '1 millisecond')
        where id = (
          select q.id from fedify_queue q
          where q.run_at <= now()
            and (q.locked_until is null or q.locked_until < now())
            and (q.ordering_key is null or not exists (
              select 1 from fedify_queue o where o.ordering_key = q.ordering_key and o.id < q.id))
          order by q.run_at, q.id
          limit 1
          for update skip locked)
        returning id, message, ordering_key as "orderingKey"`),
    );
    const row = rows[0];
    return row ? { id: Number(row.id), message: row.message, orderingKey: row.orderingKey ?? null } : undefined;
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
    const run = async (claimed: Claimed) => {
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
        if (spawned.length === 0) await this.#db.execute(release);
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
      // A free slot, and maybe a message that waited on this one's ordering key.
      for (const w of this.#wakers) w();
    };
    try {
      while (!signal?.aborted) {
        let claimed = false;
        while (active.size < this.#workers && !signal?.aborted) {
          let job: Claimed | undefined;
          try {
            job = await this.#claim();
          } catch (error) {
            if (!signal?.aborted) this.#logger?.warn("queue: could not claim a message", error);
          }
          if (!job) break;
          claimed = true;
          const p = run(job);
          active.add(p);
          void p.finally(() => active.delete(p));
        }
        if (!claimed || active.size >= this.#workers) await idle();
      }
      await Promise.allSettled([...active]);
    } finally {
      this.#wakers.delete(waker);
    }
  }
}
