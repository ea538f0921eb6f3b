import type { Db } from "./client.ts";
import { getSetting, setSetting } from "./settings.ts";
import { defaultFederationSettings, type FederationSettings } from "../core/federation-settings.ts";

const key = "federation.settings";

export async function getFederationSettings(db: Db): Promise<FederationSettings> {
  return { ...defaultFederationSettings, ...((await getSetting<Partial<FederationSettings>>(db, key)) ?? {}) };
}

/** Writes the settings with `patch` applied; services/federation-settings.ts is the way the app changes them. */
export async function updateFederationSettings(db: Db, patch: Partial<FederationSettings>): Promise<FederationSettings> {
  const next = { ...(await getFederationSettings(db)), ...patch };
  await setSetting(db, key, next);
  return next;
}
