import type { Db } from "../db/client.ts";
import { getContentVersion } from "../db/content-version.ts";

/**
 * Caches values derived from projects, imitation links and municipalities,
 * keyed by a string and valid while the database's content version stands
 * still. Correct across processes (the version lives in the database), and
 * concurrent misses for one key share one computation.
 */
export class DerivedCache<T> {
  readonly #db: Db;
  readonly #maxEntries: number;
  readonly #entries = new Map<string, { version: number; value: Promise<T> }>();

  constructor(db: Db, maxEntries = 200) {
    this.#db = db;
    this.#maxEntries = maxEntries;
  }

  async get(key: string, compute: () => Promise<T>): Promise<T> {
    const version = await getContentVersion(this.#db);
    const hit = this.#entries.get(key);
    if (hit && hit.version === version) return hit.value;
    const value = compute();
    this.#entries.delete(key);
    this.#entries.set(key, { version, value });
    value.catch(() => this.#entries.delete(key));
    if (this.#entries.size > this.#maxEntries) this.#entries.delete(this.#entries.keys().next().value!);
    return value;
  }
}
