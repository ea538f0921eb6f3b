import type { Db } from "../db/client.ts";
import { updateMunicipality } from "../db/municipalities.ts";
import type { Account, Municipality } from "../db/schema.ts";
import type { InstanceRole, ProfileInput, SetupInput } from "../core/municipality.ts";
import type { EventJournal } from "../db/journal.ts";
import { setupInstance } from "./setup.ts";

/**
 * The municipality's own profile: set up once (setup page and command line
 * alike), then edited by its administrators. Each change appends
 * `profile.updated` to the journal in its transaction, which sends our actor
 * to followers and re-indexes our projects.
 */
export class ProfileService {
  readonly #db: Db;
  readonly #events: EventJournal;
  readonly #options: { origin: string; role: InstanceRole };

  constructor(db: Db, events: EventJournal, options: { origin: string; role: InstanceRole }) {
    this.#db = db;
    this.#events = events;
    this.#options = options;
  }

  /** Creates the profile and the first administrator (`AlreadySetUpError` once done). */
  async setup(input: SetupInput): Promise<{ municipality: Municipality; admin: Account }> {
    return this.#events.transaction(async (tx) => {
      const created = await setupInstance(tx, input, this.#options);
      await this.#events.append(tx, "profile.updated", { municipalityId: created.municipality.id });
      return created;
    });
  }

  async update(municipality: Municipality, input: ProfileInput): Promise<Municipality> {
    return this.#events.transaction(async (tx) => {
      const updated = await updateMunicipality(tx, municipality.id, {
        name: input.name,
        kommunenummer: input.kommunenummer ?? null,
        fylke: input.fylke ?? null,
        region: input.region ?? null,
        website: input.website || null,
        logoUrl: input.logoUrl || null,
        description: input.description ?? "",
        strategicAreas: input.strategicAreas ?? [],
      });
      await this.#events.append(tx, "profile.updated", { municipalityId: municipality.id });
      return updated;
    });
  }
}
