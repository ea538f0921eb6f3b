import type { KvKey, KvStore, KvStoreListEntry, KvStoreSetOptions } from "@fedify/fedify";
import type { Db } from "../db/client.ts";

// Fedify reads, for every delivery, the receiving host's circuit-breaker
// state (twice) and which HTTP signature spec the host takes, and writes the
// spec back after each success. Those keys are written only by Fedify through
// this store, so this process may hold them in memory: reads come from memory
// (an absent key too), writes go to the database first, then to memory, and a
// write that changes nothing is not repeated. Like the queue's lease release
// at start, this assumes one process delivers for a database.
const hotPrefixes = ['["_fedify","circuit",', '["_fedify","httpMessageSignaturesSpec",'];
// Fedify's worker also records, per inbound activity it handled from the
// queue, that it did (and looks it up before each). Our inbox claims every
// activity id in the database itself (inbox/guards.ts), so that second record
// is neither read nor written: one write per activity less.
const skippedPrefix = '["_fedify","activityIdempotence",';

interface Held {
  value: unknown;
  /** Absent in the database (or expired). */
  absent: boolean;
  until: number;
}

interface Memory {
  held: Map<string, Held>;
  /** Bumped by every write, so a read that raced a write does not store what it read. */
  versions: Map<string, number>;
  /** Reads under way: the deliveries that start together share one. */
  reading: Map<string, Promise<unknown>>;
}

const memories = new WeakMap<Db, Memory>();
const encode = (key: KvKey) => JSON.stringify(key);
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const ttlOf = (options?: KvStoreSetOptions) => (options?.ttl ? Date.now() + options.ttl.total({ unit: "millisecond" }) : Infinity);

/** A KvStore that keeps Fedify's per-host delivery keys of `inner` in memory (see above); every other key passes through. */
export class HotKeysKvStore implements KvStore {
  readonly #inner: KvStore;
  readonly #memory: Memory;

  constructor(inner: KvStore, db: Db) {
    this.#inner = inner;
    let memory = memories.get(db);
    if (!memory) memories.set(db, (memory = { held: new Map(), versions: new Map(), reading: new Map() }));
    this.#memory = memory;
  }

  #hot(k: string): boolean {
    return hotPrefixes.some((p) => k.startsWith(p));
  }

  #bump(k: string): void {
    this.#memory.versions.set(k, (this.#memory.versions.get(k) ?? 0) + 1);
    this.#memory.held.delete(k);
    // A read begun before this write must not answer the reads after it.
    this.#memory.reading.delete(k);
  }

  #hold(k: string, held: Held): void {
    if (this.#memory.held.size >= 10_000) this.#memory.held.clear();
    this.#memory.held.set(k, held);
  }

  async get<T = unknown>(key: KvKey): Promise<T | undefined> {
    const k = encode(key);
    if (k.startsWith(skippedPrefix)) return undefined;
    if (!this.#hot(k)) return this.#inner.get<T>(key);
    const held = this.#memory.held.get(k);
    if (held && held.until > Date.now()) return held.absent ? undefined : (structuredClone(held.value) as T);
    const version = this.#memory.versions.get(k);
    let reading = this.#memory.reading.get(k);
    if (!reading) {
      const started: Promise<unknown> = this.#inner.get(key).finally(() => {
        if (this.#memory.reading.get(k) === started) this.#memory.reading.delete(k);
      });
      reading = started;
      this.#memory.reading.set(k, reading);
    }
    const value = await reading;
    // The database does not say when a value expires: hold it a minute at most.
    if (this.#memory.versions.get(k) === version) this.#hold(k, { value: structuredClone(value), absent: value === undefined, until: Date.now() + 60_000 });
    return structuredClone(value) as T | undefined;
  }

  async set(key: KvKey, value: unknown, options?: KvStoreSetOptions): Promise<void> {
    const k = encode(key);
    if (k.startsWith(skippedPrefix)) return;
    if (!this.#hot(k)) return this.#inner.set(key, value, options);
    const held = this.#memory.held.get(k);
    // The spec remembered after every delivery is mostly the one already stored.
    if (!options?.ttl && held && !held.absent && held.until === Infinity && same(held.value, value)) return;
    this.#bump(k);
    const version = this.#memory.versions.get(k);
    await this.#inner.set(key, value, options);
    if (this.#memory.versions.get(k) === version) this.#hold(k, { value: structuredClone(value), absent: false, until: ttlOf(options) });
  }

  async delete(key: KvKey): Promise<void> {
    const k = encode(key);
    if (!this.#hot(k)) return this.#inner.delete(key);
    this.#bump(k);
    await this.#inner.delete(key);
  }

  async cas(key: KvKey, expectedValue: unknown, newValue: unknown, options?: KvStoreSetOptions): Promise<boolean> {
    const k = encode(key);
    this.#bump(k);
    const version = this.#memory.versions.get(k);
    const swapped = await this.#inner.cas!(key, expectedValue, newValue, options);
    if (swapped && this.#hot(k) && this.#memory.versions.get(k) === version) {
      this.#hold(k, {
        value: structuredClone(newValue),
        absent: newValue === undefined,
        until: newValue === undefined ? Date.now() + 60_000 : ttlOf(options),
      });
    }
    return swapped;
  }

  list(prefix?: KvKey): AsyncIterable<KvStoreListEntry> {
    return this.#inner.list!(prefix);
  }
}
