import type { Db } from "../db/client.ts";
import { getSetting, setSetting } from "../db/settings.ts";

/** Federation choices an administrator makes, kept in the settings table. */
export interface FederationSettings {
  /** Incoming follows wait for an administrator when true; otherwise they are accepted at once. */
  approveFollowers: boolean;
  /** How many of a followed municipality's projects are fetched when a follow is accepted. */
  backfillLimit: number;
}

export const defaultFederationSettings: FederationSettings = { approveFollowers: false, backfillLimit: 200 };
const key = "federation.settings";

export async function getFederationSettings(db: Db): Promise<FederationSettings> {
  return { ...defaultFederationSettings, ...((await getSetting<Partial<FederationSettings>>(db, key)) ?? {}) };
}

export async function updateFederationSettings(db: Db, patch: Partial<FederationSettings>): Promise<FederationSettings> {
  const next = { ...(await getFederationSettings(db)), ...patch };
  await setSetting(db, key, next);
  return next;
}
