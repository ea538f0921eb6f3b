import type { Db } from "../db/client.ts";
import { updateMunicipality } from "../db/municipalities.ts";
import type { Account, Municipality } from "../db/schema.ts";
import type { InstanceRole, ProfileInput, SetupInput } from "../core/municipality.ts";
import type { EventJournal } from "../db/journal.ts";
import { setupInstance } from "./setup.ts";
import { ValidationError } from "./projects.ts";
import { checkKommune } from "../core/regions.ts";
import { getSetting, setSetting } from "../db/settings.ts";
import { listFeaturedProjectIdsForPin, pinProject, unpinProject } from "../db/media.ts";
import type { Project } from "../core/project.ts";
import { actorProfileSchema, maxFeaturedProjects, readActorProfile, type ActorProfileSettings } from "../core/actor-profile.ts";

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
    if (this.#options.role === "municipality" && !input.kommunenummer) {
      throw new ValidationError([{ field: "kommunenummer", message: "må oppgis for en kommune" }]);
    }
    // The county comes from the official register, never from free text.
    const register = checkKommune(input);
    if (register.issues.length > 0) throw new ValidationError(register.issues);
    return this.#events.transaction(async (tx) => {
      const updated = await updateMunicipality(tx, municipality.id, {
        name: input.name,
        kommunenummer: input.kommunenummer ?? null,
        fylke: register.fylke,
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

  // The actor's fediverse presentation and pinned projects (FEDERATION.md, "The actor").

  async actorSettings(): Promise<ActorProfileSettings> {
    return readActorProfile(await getSetting(this.#db, actorProfileKey));
  }

  /** Links shown as profile fields, and Mastodon's discoverable/indexable; followers get the new actor. */
  async updateActorSettings(municipality: Municipality, settings: ActorProfileSettings): Promise<void> {
    const checked = actorProfileSchema.parse(settings);
    await this.#events.transaction(async (tx) => {
      await setSetting(tx, actorProfileKey, checked);
      await this.#events.append(tx, "profile.updated", { municipalityId: municipality.id });
    });
  }

  /** Pins one of our published projects to the featured collection (at most `maxFeaturedProjects`). */
  async pin(municipality: Municipality, project: Project): Promise<void> {
    if (!project.local || !project.published) throw new ProfileRuleError("not published here");
    await this.#events.transaction(async (tx) => {
      const pinned = await listFeaturedProjectIdsForPin(tx);
      if (pinned.includes(project.id)) return;
      if (pinned.length >= maxFeaturedProjects) throw new ProfileRuleError("too many");
      await pinProject(tx, project.id);
      await this.#events.append(tx, "profile.updated", { municipalityId: municipality.id });
    });
  }

  async unpin(municipality: Municipality, projectId: string): Promise<void> {
    await this.#events.transaction(async (tx) => {
      if (await unpinProject(tx, projectId)) await this.#events.append(tx, "profile.updated", { municipalityId: municipality.id });
    });
  }
}

/** A pin the rules refuse: a project that is not ours and public, or one too many. */
export class ProfileRuleError extends Error {
  readonly reason: "not published here" | "too many";
  constructor(reason: "not published here" | "too many") {
    super(reason);
    this.reason = reason;
  }
}

const actorProfileKey = "actorProfile";
