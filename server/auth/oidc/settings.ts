import { getSetting, setSetting } from "../../../db/settings.ts";
import type { AppContext } from "../../context.ts";
import type { OidcSettings } from "../../../core/oidc-config.ts";

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
  /** The saved client secret cannot be opened (the key was changed): it must be entered again. */
  secretLost: boolean;
}

/** Settings saved on the admin page override KOMINN_OIDC_*; read on every use, so a change applies at once. */
export async function effectiveOidc(ctx: AppContext): Promise<EffectiveOidc> {
  const stored = await getSetting<StoredOidc>(ctx.db, settingKey);
  if (stored?.source === "admin") {
    const { source: _source, ...rest } = stored;
    const clientSecret = rest.clientSecret ? await openSecret(ctx, rest.clientSecret) : "";
    const opened = { ...rest, clientSecret: clientSecret ?? "" };
    const usable = stored.enabled && clientSecret !== undefined;
    return { settings: usable ? opened : undefined, source: "admin", stored: opened, secretLost: clientSecret === undefined };
  }
  return { settings: ctx.config.oidc, source: "environment", stored: undefined, secretLost: false };
}

/** A key that cannot be read (a damaged key file) must not take the login page down with it. */
async function openSecret(ctx: AppContext, sealed: string): Promise<string | undefined> {
  try {
    return await ctx.secrets.open(sealed);
  } catch (error) {
    ctx.logger.error("the key that seals saved secrets cannot be read", error);
    return undefined;
  }
}

/** The client secret is sealed (server/secret-box.ts) before it reaches the database. */
export async function saveOidcSettings(ctx: AppContext, value: StoredOidc): Promise<void> {
  const sealed = value.source === "admin" && value.clientSecret ? { ...value, clientSecret: await ctx.secrets.seal(value.clientSecret) } : value;
  await setSetting(ctx.db, settingKey, sealed);
}

/** What the login page needs to know: show the button, and whether to hide the password form. */
export async function oidcLoginOptions(ctx: AppContext): Promise<{ enabled: boolean; only: boolean }> {
  const { settings } = await effectiveOidc(ctx);
  return { enabled: settings !== undefined, only: settings?.only ?? false };
}
