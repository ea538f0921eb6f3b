import type { Db } from "../db/client.ts";
import { getFederationSettings, updateFederationSettings } from "../db/federation-settings.ts";
import type { FederationSettings } from "../core/federation-settings.ts";
import type { EventJournal } from "../db/journal.ts";

/**
 * The administrator's federation settings. Saving them is not a profile
 * change: it appends `federation.settings.updated` naming what changed (in
 * its transaction), and
 * only when something did, so followers hear of it (our actor shows whether
 * follows need approval) without the whole profile being sent and indexed again.
 */
export class FederationSettingsService {
  readonly #db: Db;
  readonly #events: EventJournal;

  constructor(db: Db, events: EventJournal) {
    this.#db = db;
    this.#events = events;
  }

  async save(patch: Partial<FederationSettings>): Promise<FederationSettings> {
    return this.#events.transaction(async (tx) => {
      const before = await getFederationSettings(tx);
      const changed = (Object.keys(patch) as (keyof FederationSettings)[]).filter((k) => patch[k] !== undefined && patch[k] !== before[k]);
      if (changed.length === 0) return before;
      const after = await updateFederationSettings(tx, patch);
      await this.#events.append(tx, "federation.settings.updated", { changed });
      return after;
    });
  }
}
