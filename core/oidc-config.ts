import { z } from "zod";
import { namesHost } from "./address-policy.ts";

/** What the portal needs to sign staff in through the municipality's OpenID provider. */
export interface OidcSettings {
  /** Issuer identifier; discovery reads `<issuer>/.well-known/openid-configuration`. */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Members of any of these groups become administrators. */
  adminGroups: string[];
  /** Members of any of these groups (and none of the admin groups) become editors. */
  editorGroups: string[];
  /** Hide the password form on the login page (it stays reachable for the break-glass administrator). */
  only: boolean;
}

const groupList = z
  .string()
  .max(4_000)
  .transform((s) => splitGroups(s));

export function splitGroups(value: string): string[] {
  return [...new Set(value.split(/[,\n]/).map((g) => g.trim()).filter(Boolean))];
}

const flag = z
  .enum(["true", "false", "1", "0", ""], { error: "må være true eller false" })
  .transform((v) => v === "true" || v === "1");

const issuerUrl = z.url({
  protocol: /^https?$/,
  error: "må være utstederens adresse, f.eks. https://login.microsoftonline.com/<tenant-id>/v2.0",
});

/** Spread into the environment schema of core/config.ts. */
export const oidcEnvShape = {
  KOMINN_OIDC_ISSUER: issuerUrl.optional(),
  KOMINN_OIDC_CLIENT_ID: z.string().max(500).optional(),
  KOMINN_OIDC_CLIENT_SECRET: z.string().max(2_000).optional(),
  KOMINN_OIDC_ADMIN_GROUPS: groupList.optional(),
  KOMINN_OIDC_EDITOR_GROUPS: groupList.optional(),
  /** true: the login page shows only "Logg inn med kommunens konto". */
  KOMINN_OIDC_ONLY: flag.optional(),
};

interface OidcEnv {
  KOMINN_OIDC_ISSUER?: string;
  KOMINN_OIDC_CLIENT_ID?: string;
  KOMINN_OIDC_CLIENT_SECRET?: string;
  KOMINN_OIDC_ADMIN_GROUPS?: string[];
  KOMINN_OIDC_EDITOR_GROUPS?: string[];
  KOMINN_OIDC_ONLY?: boolean;
  KOMINN_ALLOW_HOSTS?: string[];
}

const required = ["KOMINN_OIDC_ISSUER", "KOMINN_OIDC_CLIENT_ID", "KOMINN_OIDC_CLIENT_SECRET"] as const;
const optional = ["KOMINN_OIDC_ADMIN_GROUPS", "KOMINN_OIDC_EDITOR_GROUPS", "KOMINN_OIDC_ONLY"] as const;

/** Problems with a set of OIDC settings, by the name of the setting; shared by the environment and the admin page. */
export function oidcProblems(
  s: { issuer?: string; clientId?: string; clientSecret?: string; adminGroups?: string[]; editorGroups?: string[] },
  allowHttp: boolean,
): { key: "issuer" | "clientId" | "clientSecret" | "groups"; message: string }[] {
  const out: { key: "issuer" | "clientId" | "clientSecret" | "groups"; message: string }[] = [];
  if (!s.issuer) out.push({ key: "issuer", message: "må fylles ut når innlogging med kommunens konto er slått på" });
  else if (!allowHttp && !s.issuer.startsWith("https://")) out.push({ key: "issuer", message: "må være en https-adresse" });
  if (!s.clientId) out.push({ key: "clientId", message: "må fylles ut når innlogging med kommunens konto er slått på" });
  if (!s.clientSecret) out.push({ key: "clientSecret", message: "må fylles ut når innlogging med kommunens konto er slått på" });
  if ((s.adminGroups?.length ?? 0) + (s.editorGroups?.length ?? 0) === 0) {
    out.push({ key: "groups", message: "minst én gruppe for administratorer eller redaktører må oppgis, ellers slipper ingen inn" });
  }
  return out;
}

const envName = {
  issuer: "KOMINN_OIDC_ISSUER",
  clientId: "KOMINN_OIDC_CLIENT_ID",
  clientSecret: "KOMINN_OIDC_CLIENT_SECRET",
  groups: "KOMINN_OIDC_ADMIN_GROUPS",
} as const;

/** All or none: issuer, client id and secret come together, with at least one group. */
export function checkOidcEnv(env: OidcEnv, ctx: z.core.$RefinementCtx): void {
  const anySet = [...required, ...optional].some((k) => env[k] !== undefined);
  if (!anySet) return;
  const issuer = env.KOMINN_OIDC_ISSUER ?? "";
  for (const p of oidcProblems(oidcFromEnvUnchecked(env), namesHost(env.KOMINN_ALLOW_HOSTS ?? [], issuer))) {
    const message =
      p.key === "groups"
        ? "KOMINN_OIDC_ADMIN_GROUPS eller KOMINN_OIDC_EDITOR_GROUPS må nevne minst én gruppe"
        : p.message.replace("når innlogging med kommunens konto er slått på", "når noen av KOMINN_OIDC_* er satt");
    ctx.addIssue({ code: "custom", path: [envName[p.key]], message });
  }
}

function oidcFromEnvUnchecked(env: OidcEnv): Partial<OidcSettings> {
  return {
    issuer: env.KOMINN_OIDC_ISSUER,
    clientId: env.KOMINN_OIDC_CLIENT_ID,
    clientSecret: env.KOMINN_OIDC_CLIENT_SECRET,
    adminGroups: env.KOMINN_OIDC_ADMIN_GROUPS ?? [],
    editorGroups: env.KOMINN_OIDC_EDITOR_GROUPS ?? [],
    only: env.KOMINN_OIDC_ONLY ?? false,
  };
}

/** The settings from a validated environment, or undefined when OIDC is not configured there. */
export function oidcFromEnv(env: OidcEnv): OidcSettings | undefined {
  const s = oidcFromEnvUnchecked(env);
  if (!s.issuer || !s.clientId || !s.clientSecret) return undefined;
  return s as OidcSettings;
}
