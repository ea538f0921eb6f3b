import type { KvKey, KvStore, KvStoreListEntry, KvStoreSetOptions } from "@fedify/fedify";
import { and, eq, gt, isNull, like, lte, or, sql } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { rowsOf } from "../db/client.ts";
import { fedifyKv } from "../db/schema-federation.ts";

// Keys are stored as their JSON text: ["_fedify","remoteDocument","https://…"].
// A prefix ["a","b"] then matches the text `["a","b",` (plus the exact key).
const encode = (key: KvKey) => JSON.stringify(key);

function expiry(options?: KvStoreSetOptions): Date | null {
  if (!options?.ttl) return null;
  return new Date(Date.now() + options.ttl.total({ unit: "millisecond" }));
}

const live = () => or(isNull(fedifyKv.expiresAt), gt(fedifyKv.expiresAt, sql`now()`));

// Fedify stores `null` too (a key that could not be fetched, cached for a
// while): the column holds it as the JSON value null, never as SQL NULL.
const stored = (value: unknown) => (value === null || value === undefined ? sql`'null'::jsonb` : (value as object));

// Fedify reads a peer's cached public key (and documents) for every activity
// it receives from that peer; those entries are also kept in memory for a
// minute. Writes through this store drop the memory copy at once.
const memoryPrefixes = ['["_fedify","publicKey",', '["_fedify","remoteDocument",'];
const memoryTtlMs = 60_000;
const memoryMax = 2_000;
type Memory = Map<string, { value: unknown; until: number }>;
/** One memory per database, so every store opened on it sees the others' writes. */
const memories = new WeakMap<Db, Memory>();

/** Where Fedify keeps the public keys it fetched (`kvPrefixes.publicKey`, set in index.ts); the inbox's own check reads the same entries. */
export const publicKeyPrefix = ["_fedify", "publicKey"] as const satisfies KvKey;

/** Fedify's KvStore over our database (PGlite or PostgreSQL), so caches and breaker state survive restarts. */
export class DrizzleKvStore implements KvStore {
  readonly #db: Db;
  readonly #memory: Memory;
  constructor(db: Db) {
    this.#db = db;
    let memory = memories.get(db);
    if (!memory) memories.set(db, (memory = new Map()));
    this.#memory = memory;
  }

  async get<T = unknown>(key: KvKey): Promise<T | undefined> {
    const k = encode(key);
    const remember = memoryPrefixes.some((p) => k.startsWith(p));
    const held = remember ? this.#memory.get(k) : undefined;
    if (held && held.until > Date.now()) return held.value as T;
    const [row] = await this.#db
      .select({ value: fedifyKv.value, expiresAt: fedifyKv.expiresAt })
      .from(fedifyKv)
      .where(and(eq(fedifyKv.key, k), live()));
    if (remember && row) {
      if (this.#memory.size >= memoryMax) this.#memory.clear();
      this.#memory.set(k, { value: row.value, until: Math.min(Date.now() + memoryTtlMs, row.expiresAt?.getTime() ?? Infinity) });
    }
    return row?.value as T | undefined;
  }

  async set(key: KvKey, value: unknown, options?: KvStoreSetOptions): Promise<void> {
    const k = encode(key);
    this.#memory.delete(k);
    const expiresAt = expiry(options);
    await this.#db
      .insert(fedifyKv)
      .values({ key: k, value: stored(value), expiresAt })
      .onConflictDoUpdate({ target: fedifyKv.key, set: { value: stored(value), expiresAt } });
  }

  async delete(key: KvKey): Promise<void> {
    const k = encode(key);
    this.#memory.delete(k);
    await this.#db.delete(fedifyKv).where(eq(fedifyKv.key, k));
  }

  async cas(key: KvKey, expectedValue: unknown, newValue: unknown, options?: KvStoreSetOptions): Promise<boolean> {
    const k = encode(key);
    this.#memory.delete(k);
    const expiresAt = expiry(options);
    if (expectedValue === undefined) {
      // Only when absent (or expired).
      await this.#db.delete(fedifyKv).where(and(eq(fedifyKv.key, k), lte(fedifyKv.expiresAt, sql`now()`)));
      const inserted = await this.#db
        .insert(fedifyKv)
        .values({ key: k, value: stored(newValue), expiresAt })
        .onConflictDoNothing()
        .returning({ key: fedifyKv.key });
      return inserted.length > 0;
    }
    if (newValue === undefined) {
      // Fedify's circuit breaker closes a circuit by swapping its state for nothing: a delete.
      const deleted = await this.#db
        .delete(fedifyKv)
        .where(and(eq(fedifyKv.key, k), live(), sql`${fedifyKv.value} = ${JSON.stringify(expectedValue)}::jsonb`))
        .returning({ key: fedifyKv.key });
      return deleted.length > 0;
    }
    const updated = await this.#db
      .update(fedifyKv)
      .set({ value: stored(newValue), expiresAt })
      .where(and(eq(fedifyKv.key, k), live(), sql`${fedifyKv.value} = ${JSON.stringify(expectedValue)}::jsonb`))
      .returning({ key: fedifyKv.key });
    return updated.length > 0;
  }

  async *list(prefix?: KvKey): AsyncIterable<KvStoreListEntry> {
    const where = prefix
      ? and(
          or(eq(fedifyKv.key, encode(prefix)), like(fedifyKv.key, `${escapeLike(encode(prefix).slice(0, -1))},%`)),
          live(),
        )
      : live();
    const rows = await this.#db.select().from(fedifyKv).where(where);
    for (const row of rows) yield { key: JSON.parse(row.key) as KvKey, value: row.value };
  }

  /** Drops expired entries; called now and then by the queue worker. */
  async sweep(): Promise<number> {
    const result = await this.#db.execute(sql`delete from fedify_kv where expires_at <= now()`);
    return rowsOf(result).length;
  }
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

const stores = new WeakMap<Db, DrizzleKvStore>();

/** The one store of a database, for the code that is handed only the database (inbox handlers). */
export function kvStoreOf(db: Db): DrizzleKvStore {
  let store = stores.get(db);
  if (!store) stores.set(db, (store = new DrizzleKvStore(db)));
  return store;
}
