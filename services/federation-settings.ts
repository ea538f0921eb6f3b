import type { Db } from "../db/client.ts";
import { getFederationSettings, updateFederationSettings } from "../db/federation-settings.ts";
import type { FederationSettings } from "../core/federation-settings.ts";
import type { EventBus } from "../core/events.ts";

/**
 * The administrator's federation settings. Saving them is not a profile
 * change: it emits `federation.settings.updated` naming what changed, and
 * only when something did, so followers hear of it (our actor shows whether
 * follows need approval) without the whole profile being sent and indexed again.
 */
export class FederationSettingsService {
  readonly #db: Db;
  readonly #events: EventBus;

  constructor(db: Db, events: EventBus) {
    this.#db = db;
    this.#events = events;
  }

  async save(patch: Partial<FederationSettings>): Promise<FederationSettings> {
    const before = await getFederationSettings(this.#db);
    const changed = (Object.keys(patch) as (keyof FederationSettings)[]).filter((k) => patch[k] !== undefined && patch[k] !== before[k]);
    if (changed.length === 0) return before;
    const after = await updateFederationSettings(this.#db, patch);
    await this.#events.emit("federation.settings.updated", { changed });
    return after;
  }
}
