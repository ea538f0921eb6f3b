import type { Db } from "../db/client.ts";
import { updateMunicipality } from "../db/municipalities.ts";
import type { Account, Municipality } from "../db/schema.ts";
import type { InstanceRole, ProfileInput, SetupInput } from "../core/municipality.ts";
import type { EventBus } from "../core/events.ts";
import { setupInstance } from "./setup.ts";

/**
 * The municipality's own profile: set up once (setup page and command line
 * alike), then edited by its administrators. Each change emits
 * `profile.updated`, which sends our actor to followers and re-indexes our projects.
 */
export class ProfileService {
  readonly #db: Db;
  readonly #events: EventBus;
  readonly #options: { origin: string; role: InstanceRole };

  constructor(db: Db, events: EventBus, options: { origin: string; role: InstanceRole }) {
    this.#db = db;
    this.#events = events;
    this.#options = options;
  }

  /** Creates the profile and the first administrator (`AlreadySetUpError` once done). */
  async setup(input: SetupInput): Promise<{ municipality: Municipality; admin: Account }> {
    const created = await setupInstance(this.#db, input, this.#options);
    await this.#events.emit("profile.updated", { municipalityId: created.municipality.id });
    return created;
  }

  async update(municipality: Municipality, input: ProfileInput): Promise<Municipality> {
    const updated = await updateMunicipality(this.#db, municipality.id, {
      name: input.name,
      kommunenummer: input.kommunenummer ?? null,
      fylke: input.fylke ?? null,
      region: input.region ?? null,
      website: input.website || null,
      logoUrl: input.logoUrl || null,
      description: input.description ?? "",
      strategicAreas: input.strategicAreas ?? [],
    });
    await this.#events.emit("profile.updated", { municipalityId: municipality.id });
    return updated;
  }
}
