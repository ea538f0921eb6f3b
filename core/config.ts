import { z } from "zod";
import { instanceRoles } from "./municipality.ts";
import { checkOidcEnv, oidcEnvShape, oidcFromEnv, type OidcSettings } from "./oidc-config.ts";
import { normaliseAllowEntry } from "./address-policy.ts";
import { isIP } from "node:net";

/** A 32-byte key in base64 (`openssl rand -base64 32`), as KOMINN_SECRET_KEY and the key file hold it. */
export function parseSecretKey(value: string): Buffer | undefined {
  const key = Buffer.from(value.trim(), "base64");
  return key.length === 32 ? key : undefined;
}

/** A resolver address as node:dns takes it: `1.2.3.4`, `1.2.3.4:53`, `::1` or `[::1]:53`. */
function isDnsServer(entry: string): boolean {
  const m = /^(?:\[([^\]]+)\]|(\d+\.\d+\.\d+\.\d+))(?::(\d{1,5}))?$/.exec(entry);
  if (!m) return isIP(entry) === 6;
  const port = m[3] === undefined ? 53 : Number(m[3]);
  return isIP(m[1] ?? m[2]) !== 0 && port >= 1 && port <= 65_535;
}

const envSchema = z.object({
  PORT: z.coerce.number({ error: "må være et tall" }).int().min(0).max(65_535).default(3000),
  HOST: z.string().default("0.0.0.0"),
  KOMINN_ORIGIN: z
    .url({ protocol: /^https?$/, error: "må være en http(s)-adresse, f.eks. https://innovasjon.fredrikstad.kommune.no" })
    .optional(),
  KOMINN_DATA_DIR: z.string().min(1).default("./data"),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, { error: "må begynne med postgres:// eller postgresql://" })
    .optional(),
  KOMINN_ROLE: z.enum(instanceRoles, { error: "må være municipality eller aggregator" }).default("municipality"),
  MEILI_URL: z.url({ error: "må være en http(s)-adresse" }).optional(),
  MEILI_MASTER_KEY: z.string().optional(),
  /** Extra domain umbrella terms for search (search/README.md), applied by `kominn reindex`. */
  KOMINN_SEARCH_TERMS_FILE: z.string().min(1).optional(),
  MEDIA_DIR: z.string().min(1).optional(),
  KOMINN_ALLOW_PRIVATE_ADDRESS: z
    .undefined({
      error:
        "finnes ikke lenger. Bruk KOMINN_ALLOW_HOSTS med vertene (vert eller vert:port) som får bruke private adresser, f.eks. KOMINN_ALLOW_HOSTS=127.0.0.1",
    })
    .optional(),
  KOMINN_ALLOW_HOSTS: z
    .string()
    .transform((v, ctx) => {
      const entries = v.split(",").map((e) => e.trim()).filter((e) => e !== "");
      const bad = entries.filter((e) => normaliseAllowEntry(e) === undefined);
      if (bad.length > 0) ctx.addIssue({ code: "custom", message: `må være vert eller vert:port, skilt med komma (ugyldig: ${bad.join(", ")})` });
      return entries.map((e) => normaliseAllowEntry(e)!);
    })
    .default([]),
  KOMINN_DNS_SERVERS: z
    .string()
    .transform((v, ctx) => {
      const entries = v.split(",").map((e) => e.trim()).filter((e) => e !== "");
      const bad = entries.filter((e) => !isDnsServer(e));
      if (bad.length > 0) ctx.addIssue({ code: "custom", message: `må være IP-adresser med valgfri port, f.eks. 127.0.0.1:5353 (ugyldig: ${bad.join(", ")})` });
      return entries;
    })
    .default([]),
  KOMINN_LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
  KOMINN_SECRET_KEY: z
    .string()
    .refine((v) => parseSecretKey(v) !== undefined, { error: "må være 32 byte i base64, f.eks. fra `openssl rand -base64 32`" })
    .transform((v) => parseSecretKey(v)!)
    .optional(),
  SMTP_URL: z
    .url({ protocol: /^smtps?$/, error: "må være en smtp://- eller smtps://-adresse, f.eks. smtp://bruker:passord@smtp.kommune.no:587" })
    .optional(),
  MAIL_FROM: z
    .string()
    .regex(/^(?:[^<>"\r\n]*<[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+>|[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+)$/, {
      error: "må være en e-postadresse, eventuelt med navn: Innovasjon Fredrikstad <innovasjon@fredrikstad.kommune.no>",
    })
    .optional(),
  KOMINN_TRUST_PROXY: z.string().regex(/^[\w.:/, ]+$/, { error: "må være loopback, uniquelocal eller IP-adresser/CIDR" }).default("loopback"),
  ...oidcEnvShape,
}).superRefine(checkOidcEnv);

export interface Config {
  port: number;
  host: string;
  /** Public origin without trailing slash, e.g. https://innovasjon.fredrikstad.kommune.no */
  origin: string;
  dataDir: string;
  databaseUrl: string | undefined;
  role: (typeof instanceRoles)[number];
  meiliUrl: string | undefined;
  meiliMasterKey: string | undefined;
  /** A file of umbrella terms added to the ones search ships with. */
  searchTermsFile: string | undefined;
  /** MEDIA_DIR: where uploaded pictures and documents are kept; undefined: `media/` in the data directory. */
  mediaDir: string | undefined;
  /**
   * KOMINN_ALLOW_HOSTS: `host` or `host:port` entries whose private addresses
   * outgoing requests may reach (tests and the demo name 127.0.0.1); every other
   * host keeps the full address policy (core/address-policy.ts).
   */
  allowHosts: string[];
  /** KOMINN_DNS_SERVERS: resolvers for outgoing requests instead of the system's (tests use their own). */
  dnsServers: string[];
  logLevel: "debug" | "info" | "warn" | "error" | "silent";
  /** Which reverse proxies may set X-Forwarded-For (Express "trust proxy"). */
  trustProxy: string;
  /** Cookies get the Secure flag when the public origin is https. */
  secureCookies: boolean;
  /** Seals secrets saved in the database; undefined: a key file in the data directory. */
  secretKey: Buffer | undefined;
  /** Staff sign-in through the municipality's OpenID provider, from KOMINN_OIDC_*; the admin page may override it. */
  oidc: OidcSettings | undefined;
  /** SMTP_URL: where e-mail is sent (server/mail-sender.ts); undefined: mail stays in the outbox, listed for the administrator. */
  smtpUrl: string | undefined;
  /** MAIL_FROM: the sender of every e-mail; by default noreply at the origin's host. */
  mailFrom: string;
}

export class ConfigError extends Error {}

/** Reads the environment; throws a ConfigError naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${String(i.path[0])}: ${i.message}`);
    throw new ConfigError(`Ugyldig konfigurasjon:\n${lines.join("\n")}`);
  }
  const e = parsed.data;
  const origin = (e.KOMINN_ORIGIN ?? `http://localhost:${e.PORT}`).replace(/\/+$/, "");
  return {
    port: e.PORT,
    host: e.HOST,
    origin,
    dataDir: e.KOMINN_DATA_DIR,
    databaseUrl: e.DATABASE_URL,
    role: e.KOMINN_ROLE,
    meiliUrl: e.MEILI_URL,
    meiliMasterKey: e.MEILI_MASTER_KEY,
    searchTermsFile: e.KOMINN_SEARCH_TERMS_FILE,
    mediaDir: e.MEDIA_DIR,
    allowHosts: e.KOMINN_ALLOW_HOSTS,
    dnsServers: e.KOMINN_DNS_SERVERS,
    logLevel: e.KOMINN_LOG_LEVEL,
    trustProxy: e.KOMINN_TRUST_PROXY,
    secureCookies: origin.startsWith("https://"),
    secretKey: e.KOMINN_SECRET_KEY,
    oidc: oidcFromEnv(e),
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM ?? `KOMINN <noreply@${new URL(origin).hostname}>`,
  };
}

/** Node 24 runs our TypeScript directly; an older Node fails with a clear message. */
export function assertNodeVersion(): void {
  const major = Number(process.versions.node.split(".")[0]);
  if (major < 24) {
    console.error(
      `KOMINN trenger Node 24 eller nyere (kjører ${process.versions.node}). ` +
        "Kjør via npm-skriptene (npm start, npm test), som bruker Node fra devDependencies.",
    );
    process.exit(1);
  }
}
