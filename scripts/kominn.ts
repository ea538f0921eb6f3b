// The administrator's command line: `npm run kominn -- <command> [options]`.
// Every command validates all its input before it changes anything.
import { parseArgs } from "node:util";
import { ConfigError, loadConfig } from "../core/config.ts";

const { prepareProcess } = await import("../server/fast-imports.ts");
prepareProcess();

class UsageError extends Error {}

interface Command {
  summary: string;
  usage: string;
  options: Record<string, { type: "string" | "boolean" }>;
  run(values: Record<string, string | boolean | undefined>): Promise<void>;
}

const { buildContext } = await import("../server/instance.ts");
const { setupSchema } = await import("../core/municipality.ts");
const { fieldIssues } = await import("../server/http/errors.ts");
const { bokmalErrors } = await import("../server/forms/issues.ts");
const { AlreadySetUpError } = await import("../services/setup.ts");
const { ValidationError } = await import("../services/projects.ts");
const accounts = await import("../db/accounts.ts");
const staff = await import("../services/staff.ts");
const { DataDirBusyError } = await import("../db/data-dir-lock.ts");
const { commandExtensions } = await import("./cli-extensions.ts");

async function withContext<T>(fn: (ctx: Awaited<ReturnType<typeof buildContext>>["ctx"]) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const { ctx, database } = await buildContext({ ...config, logLevel: "warn" });
  try {
    return await fn(ctx);
  } finally {
    await database.close();
  }
}

const str = (v: string | boolean | undefined): string | undefined => (typeof v === "string" ? v : undefined);

const commands: Record<string, Command> = {
  setup: {
    summary: "Sett opp kommunen (eller samleinstansen) og første administrator",
    usage:
      'setup --name "Fredrikstad kommune" --kommunenummer 3107 --handle fredrikstad --admin-email e@post.no --admin-password … [--admin-name "Navn"] (fylket følger av kommunenummeret; --fylke godtas bare når det stemmer)',
    options: {
      name: { type: "string" },
      kommunenummer: { type: "string" },
      fylke: { type: "string" },
      handle: { type: "string" },
      "admin-email": { type: "string" },
      "admin-password": { type: "string" },
      "admin-name": { type: "string" },
    },
    async run(v) {
      const parsed = setupSchema.safeParse({
        name: str(v.name),
        kommunenummer: str(v.kommunenummer),
        fylke: str(v.fylke),
        handle: str(v.handle),
        adminEmail: str(v["admin-email"]),
        adminPassword: str(v["admin-password"]),
        adminName: str(v["admin-name"]),
      }, { error: bokmalErrors });
      if (!parsed.success) {
        const flag: Record<string, string> = { adminEmail: "--admin-email", adminPassword: "--admin-password", adminName: "--admin-name" };
        const lines = fieldIssues(parsed.error).map((i) => `  ${flag[i.field] ?? `--${i.field}`}: ${i.message}`);
        throw new UsageError(`Ugyldige verdier:\n${lines.join("\n")}`);
      }
      await withContext(async (ctx) => {
        const { municipality, admin } = await ctx.profile.setup(parsed.data);
        console.log(`Satt opp ${municipality.name} (@${municipality.handle}) på ${ctx.config.origin}`);
        console.log(`Administrator: ${admin.email}`);
      });
    },
  },
  token: {
    summary: "API-nøkler: create --email E [--name N] | list [--email E] | revoke --id ID",
    usage: "token create --email e@post.no [--name beskrivelse] | token list [--email e@post.no] | token revoke --id ID",
    options: { email: { type: "string" }, name: { type: "string" }, id: { type: "string" } },
    async run(v) {
      const action = str(v._action);
      if (action === "create") {
        const email = str(v.email);
        if (!email) throw new UsageError("--email mangler");
        await withContext(async (ctx) => {
          const account = await accounts.getAccountByEmail(ctx.db, email);
          if (!account || account.disabledAt) throw new UsageError(`Fant ingen aktiv ansatt med e-post ${email}`);
          const { token, record } = await staff.issueApiToken(ctx.db, account, str(v.name) ?? "kommandolinje");
          console.log(`API-nøkkel ${record.id} for ${account.email} (${account.role}). Vises bare denne ene gangen:`);
          console.log(token);
        });
      } else if (action === "list") {
        await withContext(async (ctx) => {
          const email = str(v.email);
          const account = email ? await accounts.getAccountByEmail(ctx.db, email) : undefined;
          if (email && !account) throw new UsageError(`Fant ingen ansatt med e-post ${email}`);
          const tokens = await accounts.listApiTokens(ctx.db, account?.id);
          if (tokens.length === 0) console.log("Ingen API-nøkler.");
          for (const t of tokens) {
            const state = t.revokedAt ? `trukket tilbake ${t.revokedAt.toISOString()}` : "aktiv";
            console.log(`${t.id}  ${t.prefix}…  ${t.email}  "${t.name}"  ${state}  sist brukt ${t.lastUsedAt?.toISOString() ?? "aldri"}`);
          }
        });
      } else if (action === "revoke") {
        const id = str(v.id);
        if (!id) throw new UsageError("--id mangler");
        await withContext(async (ctx) => {
          if (!(await staff.revokeApiToken(ctx.db, id))) throw new UsageError(`Fant ingen aktiv API-nøkkel med id ${id}`);
          console.log(`API-nøkkel ${id} er trukket tilbake.`);
        });
      } else {
        throw new UsageError(`Bruk: npm run kominn -- ${this.usage}`);
      }
    },
  },
  admin: {
    summary: "Gjør en konto til aktiv administrator igjen: restore --email E [--password P] [--name N]",
    usage: 'admin restore --email e@post.no [--password …] [--name "Navn"]',
    options: { email: { type: "string" }, password: { type: "string" }, name: { type: "string" } },
    async run(v) {
      if (str(v._action) !== "restore") throw new UsageError(`Bruk: npm run kominn -- ${this.usage}`);
      const parsed = staff.restoreAdminSchema.safeParse({ email: str(v.email), password: str(v.password), name: str(v.name) }, { error: bokmalErrors });
      if (!parsed.success) {
        const lines = fieldIssues(parsed.error).map((i) => `  --${i.field}: ${i.message}`);
        throw new UsageError(`Ugyldige verdier:\n${lines.join("\n")}`);
      }
      await withContext(async (ctx) => {
        const { account, changes } = await staff.restoreAdministrator(ctx.db, parsed.data).catch((error: unknown) => {
          if (error instanceof staff.StaffRuleError && error.reason === "notFound") {
            throw new UsageError(`Fant ingen konto med e-post ${parsed.data.email}. Oppgi --password for å opprette den som administrator.`);
          }
          throw error;
        });
        const said: Record<string, string> = {
          created: "opprettet",
          enabled: "aktivert igjen",
          promoted: "rollen endret fra redaktør til administrator",
          password: "nytt passord satt, og kontoens innlogginger er avsluttet",
        };
        console.log(changes.length === 0
          ? `${account.email} var allerede aktiv administrator; ingenting er endret.`
          : `${account.email} er nå aktiv administrator: ${changes.map((c) => said[c]).join(", ")}.`);
        if (!account.passwordHash) {
          console.log("Kontoen har ikke passord og logger inn med kommunens innlogging, der rollen følger gruppene. Oppgi --password for å kunne logge inn på /logg-inn.");
        }
      });
    },
  },
  ...commandExtensions,
};

function help(): string {
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`);
  return `Bruk: npm run kominn -- <kommando> [valg]\n\nKommandoer:\n${lines.join("\n")}`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "help" || name === "--help") {
    console.log(help());
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) {
    console.error(`Ukjent kommando: ${name}\n\n${help()}`);
    return 2;
  }
  try {
    const positional = rest[0] && !rest[0].startsWith("--") ? rest.shift() : undefined;
    const { values } = parseArgs({ args: rest, options: command.options, strict: true, allowPositionals: false });
    await command.run({ ...values, _action: positional });
    return 0;
  } catch (error) {
    if (error instanceof UsageError || error instanceof ConfigError || error instanceof DataDirBusyError || error instanceof AlreadySetUpError) {
      console.error(error.message);
    } else if (error instanceof ValidationError) {
      // Named as the options are typed: --kommunenummer, --fylke, --admin-email.
      const flag = (field: string) => `--${field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
      console.error(`Ugyldige verdier:\n${error.issues.map((i) => `  ${flag(i.field)}: ${i.message}`).join("\n")}`);
    } else if ((error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      console.error(`${(error as Error).message}\nBruk: npm run kominn -- ${command.usage}`);
    } else {
      throw error;
    }
    return 2;
  }
}

process.exitCode = await main(process.argv.slice(2));
