import { getSetting, setSetting } from "../../../db/settings.ts";
import type { AppContext } from "../../context.ts";
import type { OidcSettings } from "./config.ts";

const settingKey = "oidc";

/** What the admin page stores: either "use the environment" or its own settings (possibly switched off). */
export type StoredOidc = { source: "environment" } | ({ source: "admin"; enabled: boolean } & OidcSettings);

export type OidcSource = "environment" | "admin";

export interface EffectiveOidc {
  /** Undefined when staff cannot sign in through a provider. */
  settings: OidcSettings | undefined;
  source: OidcSource;
  /** The admin page's stored values, also when switched off (to fill its form). */
  stored: (OidcSettings & { enabled: boolean }) | undefined;
}

/** Settings saved on the admin page override KOMINN_OIDC_*; read on every use, so a change applies at once. */
export async function effectiveOidc(ctx: AppContext): Promise<EffectiveOidc> {
  const stored = await getSetting<StoredOidc>(ctx.db, settingKey);
  if (stored?.source === "admin") {
    const { source: _source, ...rest } = stored;
    return { settings: stored.enabled ? rest : undefined, source: "admin", stored: rest };
  }
  return { settings: ctx.config.oidc, source: "environment", stored: undefined };
}

export async function saveOidcSettings(ctx: AppContext, value: StoredOidc): Promise<void> {
  await setSetting(ctx.db, settingKey, value);
}

/** What the login page needs to know: show the button, and whether to hide the password form. */
export async function oidcLoginOptions(ctx: AppContext): Promise<{ enabled: boolean; only: boolean }> {
  const { settings } = await effectiveOidc(ctx);
  return { enabled: settings !== undefined, only: settings?.only ?? false };
}
