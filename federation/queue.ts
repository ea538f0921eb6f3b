import type { MessageQueue, MessageQueueDepth, MessageQueueEnqueueOptions, MessageQueueListenOptions } from "@fedify/fedify";
import { sql } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { rowsOf } from "../db/client.ts";
import { fedifyQueue } from "../db/schema-federation.ts";
import type { Logger } from "../server/logger.ts";

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
}

/**
 * Fedify's MessageQueue over our database: at-least-once delivery that
 * survives a restart. Receivers are idempotent on activity id, so a message
 * handled twice after a crash is seen once.
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
    await this.#db.insert(fedifyQueue).values(
      messages.map((m) => ({ message: sql`${JSON.stringify(m)}::jsonb`, orderingKey: options?.orderingKey ?? null, runAt })),
    );
    if (delayMs === 0) for (const wake of this.#wakers) wake();
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
        returning id, message`),
    );
    const row = rows[0];
    return row ? { id: Number(row.id), message: row.message } : undefined;
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
    const run = async (job: Claimed) => {
      try {
        await handler(job.message);
      } catch (error) {
        this.#logger?.error("queue: handler failed", error);
      }
      try {
        await this.#db.execute(sql`delete from fedify_queue where id = ${job.id}`);
      } catch (error) {
        this.#logger?.warn("queue: could not remove a handled message", error);
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
