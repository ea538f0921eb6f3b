// The journal of domain events. A service appends its event in the
// transaction of the change it records (`transaction` + `append`), so an event
// exists exactly when its change does. Subscribers (server/subscribers.ts) read
// the journal in order from the last position they acknowledged.
import { and, asc, eq, gt, inArray, lte, sql } from "drizzle-orm";
import type { DomainEvents, EventName, JournalEvent } from "../core/events.ts";
import type { Db } from "./client.ts";
import { rowsOf } from "./client.ts";
import { domainEvents, eventPositions } from "./schema-journal.ts";

/**
 * Appends are serialised by this transaction-level advisory lock, taken before
 * the id is drawn and held until commit: ids then become visible in the order
 * they were drawn, so a reader that has seen id n never sees a smaller id later.
 */
const appendLock = 0x6b6f6d69; // "komi"

/** Payloads are JSON; dates keep their type through a tagged form. */
function encode(payload: unknown): string {
  return JSON.stringify(payload, function (this: Record<string, unknown>, key, value) {
    const raw = this[key];
    return raw instanceof Date ? { $date: raw.toISOString() } : value;
  });
}

function decode(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(decode);
  if (value === null || typeof value !== "object") return value;
  const entries = Object.entries(value);
  if (entries.length === 1 && entries[0][0] === "$date" && typeof entries[0][1] === "string") return new Date(entries[0][1]);
  return Object.fromEntries(entries.map(([k, v]) => [k, decode(v)]));
}

/** Appends one event in `tx`; it becomes visible to subscribers when `tx` commits. */
export async function appendEvent<E extends EventName>(tx: Db, name: E, payload: DomainEvents[E]): Promise<number> {
  await tx.execute(sql`select pg_advisory_xact_lock(${appendLock})`);
  const [row] = await tx
    .insert(domainEvents)
    .values({ name, payload: sql`${encode(payload)}::jsonb` })
    .returning({ id: domainEvents.id });
  return row.id;
}

/**
 * Events after `position` (and up to `upTo`, when given), oldest first. With
 * `names`, the payload is read only for those events (the others come with
 * their id and name, for a subscriber to pass over).
 */
export async function readEvents(db: Db, position: number, limit: number, upTo?: number, names?: readonly EventName[]): Promise<JournalEvent[]> {
  const wanted = names ? inArray(domainEvents.name, [...names]) : undefined;
  const rows = await db
    .select({
      id: domainEvents.id,
      name: domainEvents.name,
      payload: wanted ? sql<unknown>`case when ${wanted} then ${domainEvents.payload} end` : domainEvents.payload,
    })
    .from(domainEvents)
    .where(upTo === undefined ? gt(domainEvents.id, position) : and(gt(domainEvents.id, position), lte(domainEvents.id, upTo)))
    .orderBy(asc(domainEvents.id))
    .limit(limit);
  return rows.map((r) => ({ id: r.id, name: r.name, payload: decode(r.payload) }) as JournalEvent);
}

/** The id of the newest event (0 for an empty journal). */
export async function journalHead(db: Db): Promise<number> {
  const [row] = rowsOf<{ head: string | number }>(await db.execute(sql`select coalesce(max(id), 0) as head from domain_events`));
  return Number(row.head);
}

/** A subscriber's acknowledged position; a subscriber seen for the first time starts at the beginning. */
export async function readPosition(db: Db, subscriber: string): Promise<number> {
  await db.insert(eventPositions).values({ subscriber, position: 0 }).onConflictDoNothing();
  const [row] = await db.select({ position: eventPositions.position }).from(eventPositions).where(eq(eventPositions.subscriber, subscriber));
  return Number(row.position);
}

/** One handled event: its id, and what the subscriber writes for it. */
export interface Handled {
  id: number;
  effect?: JournalEffect;
}

/**
 * Moves the subscriber's position past `handled` (in journal order) and runs
 * their effects in the same transaction, each only if the position was not
 * past its event yet (another process may have acknowledged it): the
 * statement that moves the position locks it and answers where it was.
 * Events that wrote nothing move the position in one statement.
 */
export async function acknowledge(db: Db, subscriber: string, handled: readonly Handled[]): Promise<void> {
  const last = handled.at(-1);
  if (!last) return;
  if (!handled.some((h) => h.effect)) {
    await db.execute(sql`
      insert into event_positions (subscriber, position) values (${subscriber}, ${last.id})
      on conflict (subscriber) do update set position = excluded.position, updated_at = now()
      where event_positions.position < excluded.position`);
    return;
  }
  await db.transaction(async (tx) => {
    const move = async () =>
      rowsOf<{ was: string | number }>(
        await tx.execute(sql`
          with was as (select position from event_positions where subscriber = ${subscriber} for update)
          update event_positions set position = ${last.id}, updated_at = now()
          where subscriber = ${subscriber} and position < ${last.id}
          returning (select position from was) as was`),
      );
    let [row] = await move();
    if (!row) {
      // Already past every event here, or a subscriber without a position row yet.
      const inserted = await tx.insert(eventPositions).values({ subscriber, position: 0 }).onConflictDoNothing().returning({ subscriber: eventPositions.subscriber });
      if (inserted.length === 0) return;
      [row] = await move();
    }
    const position = Number(row.was);
    for (const h of handled) if (h.id > position && h.effect) await h.effect(tx);
  });
}

/** Forgets events older than `before` that every subscriber with a position has acknowledged. */
export async function pruneJournal(db: Db, before: Date): Promise<void> {
  await db.execute(sql`
    delete from domain_events
    where created_at < ${before.toISOString()}::timestamptz
      and id <= (select coalesce(min(position), 0) from event_positions)`);
}

/**
 * The instance's handle on the journal: services append through it, in their
 * own transaction, and the dispatcher is told after each commit.
 */
export class EventJournal {
  readonly db: Db;
  #listeners = new Set<() => void>();
  #pending = new Set<Promise<unknown>>();
  #settle: (() => Promise<void>) | undefined;

  constructor(db: Db) {
    this.db = db;
  }

  /**
   * Runs `fn` in one transaction; events it appends (`append(tx, …)`) commit
   * with its writes or not at all. Subscribers are told once it has committed.
   */
  async transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    const run = this.db.transaction((tx) => fn(tx));
    this.#pending.add(run);
    try {
      const result = await run;
      this.#notify();
      return result;
    } finally {
      this.#pending.delete(run);
    }
  }

  /** Appends an event inside a transaction begun with `transaction` (or any transaction on this database). */
  append<E extends EventName>(tx: Db, name: E, payload: DomainEvents[E]): Promise<number> {
    return appendEvent(tx, name, payload);
  }

  /** Appends an event on its own, for a change that is already committed or has no rows of its own. */
  async emit<E extends EventName>(name: E, payload: DomainEvents[E]): Promise<void> {
    await this.transaction((tx) => appendEvent(tx, name, payload));
  }

  /** Called after each commit that may have appended events. */
  onAppended(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Lets `settled` wait for the dispatcher as well (server/subscribers.ts). */
  setSettle(settle: (() => Promise<void>) | undefined): void {
    this.#settle = settle;
  }

  /**
   * Resolves once every append started so far has committed and, with a
   * dispatcher running, every subscriber has handled every event or is
   * waiting to retry one (tests, shutdown).
   */
  async settled(): Promise<void> {
    while (this.#pending.size > 0) await Promise.allSettled([...this.#pending]);
    await this.#settle?.();
  }

  #notify(): void {
    for (const listener of this.#listeners) listener();
  }
}

/** What a subscriber writes for one event, in the transaction that acknowledges it. */
export type JournalEffect = (tx: Db) => Promise<void>;

/**
 * What a subscriber does with an event. `handle` may read anything through
 * the plain database; what it writes it returns as an effect, which the
 * dispatcher runs, with the effects of the events handled with it, in the
 * transaction that moves the subscriber's position past them, so the writes
 * and the acknowledgement commit together (exactly once). An effect reads and
 * writes only through its `tx` (on PGlite, the plain database waits for the
 * transaction). `afterBatch` runs once a run of events has been acknowledged
 * (say, to start work that the effects queued).
 */
export interface EventHandler {
  handle(event: JournalEvent): Promise<JournalEffect | void>;
  afterBatch?(): Promise<void> | void;
}
