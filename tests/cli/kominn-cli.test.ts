import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { kominn as runKominn } from "../helpers/cli.ts";
import { openDatabase } from "../../db/client.ts";
import { getAccountByEmail, updateAccount } from "../../db/accounts.ts";
import { readEvents } from "../../db/journal.ts";
import type { Account } from "../../db/schema.ts";
import { verifyPassword } from "../../services/passwords.ts";

const dataDir = mkdtempSync(join(tmpdir(), "kominn-cli-"));
const env = { ...process.env, KOMINN_DATA_DIR: dataDir, KOMINN_ORIGIN: "https://innovasjon.fredrikstad.test", DATABASE_URL: "" };

/** Reads (and optionally changes) an account in the CLI's database while no command runs. */
async function withAccount(email: string, change?: Partial<Pick<Account, "role" | "disabledAt">>): Promise<Account | undefined> {
  const database = await openDatabase({ dataDir });
  try {
    const account = await getAccountByEmail(database.db, email);
    if (account && change) return await updateAccount(database.db, account.id, change);
    return account;
  } finally {
    await database.close();
  }
}

/** The names of the events in the CLI's journal. */
async function journalNames(): Promise<string[]> {
  const database = await openDatabase({ dataDir });
  try {
    return (await readEvents(database.db, 0, 1000)).map((e) => e.name);
  } finally {
    await database.close();
  }
}

const kominn = (...args: string[]) => runKominn(env, ...args);

const setupArgs = [
  "setup", "--name", "Fredrikstad kommune", "--kommunenummer", "3107", "--fylke", "Østfold",
  "--handle", "fredrikstad", "--admin-email", "admin@fredrikstad.test", "--admin-password", "et-langt-passord",
];

describe("npm run kominn", () => {
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it("refuses bad setup input naming each option, and changes nothing", { timeout: 120_000 }, async () => {
    const bad = await kominn("setup", "--name", "F", "--kommunenummer", "31", "--handle", "Ugyldig!", "--admin-email", "nei", "--admin-password", "kort");
    expect(bad.code).toBe(2);
    for (const flag of ["--name", "--kommunenummer", "--handle", "--admin-email", "--admin-password"]) expect(bad.stderr).toContain(flag);
    const unknown = await kominn("setup", "--navn", "x");
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/--navn/);
  });

  it("sets up once, then creates, lists and revokes API tokens", { timeout: 240_000 }, async () => {
    const ok = await kominn(...setupArgs);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain("Fredrikstad kommune");
    // Set up like the setup page: federation and search hear of the new profile when the server starts.
    expect(await journalNames()).toContain("profile.updated");
    const again = await kominn(...setupArgs);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/allerede satt opp/);

    const created = await kominn("token", "create", "--email", "admin@fredrikstad.test", "--name", "integrasjon");
    expect(created.code).toBe(0);
    const lines = created.stdout.trim().split("\n");
    const token = lines[lines.length - 1];
    expect(token).toMatch(/^kominn_[A-Za-z0-9_-]{40,}$/);

    const missing = await kominn("token", "create", "--email", "ingen@fredrikstad.test");
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/ingen@fredrikstad.test/);

    const listed = await kominn("token", "list");
    expect(listed.stdout).toContain("integrasjon");
    expect(listed.stdout).toContain(token.slice(0, 12));
    expect(listed.stdout).not.toContain(token);
    const id = listed.stdout.trim().split(/\s+/)[0];
    expect((await kominn("token", "revoke", "--id", id)).code).toBe(0);
    expect((await kominn("token", "list")).stdout).toMatch(/trukket tilbake/);
    expect((await kominn("token", "revoke", "--id", id)).code).toBe(2);
  });

  it("restores an administrator for the operator when none is left, and says what it did", { timeout: 240_000 }, async () => {
    const email = "admin@fredrikstad.test";
    // Nobody can administer the instance any longer: its only administrator was demoted and disabled.
    await withAccount(email, { role: "editor", disabledAt: new Date() });

    const restored = await kominn("admin", "restore", "--email", email);
    expect(restored.code).toBe(0);
    expect(restored.stdout).toContain(`${email} er nå aktiv administrator`);
    expect(restored.stdout).toContain("aktivert igjen");
    expect(restored.stdout).toContain("rollen endret fra redaktør til administrator");
    const account = (await withAccount(email))!;
    expect(account.role).toBe("admin");
    expect(account.disabledAt).toBeNull();

    const again = await kominn("admin", "restore", "--email", email);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("var allerede aktiv administrator");

    const unknown = await kominn("admin", "restore", "--email", "ny@fredrikstad.test");
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("ny@fredrikstad.test");
    expect(unknown.stderr).toContain("--password");
    expect(await withAccount("ny@fredrikstad.test")).toBeUndefined();

    const bad = await kominn("admin", "restore", "--email", "nei", "--password", "kort");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--email/);
    expect(bad.stderr).toMatch(/--password/);

    const created = await kominn("admin", "restore", "--email", "ny@fredrikstad.test", "--password", "et-nytt-langt-passord", "--name", "Nora Ny");
    expect(created.code).toBe(0);
    expect(created.stdout).toContain("opprettet");
    const made = (await withAccount("ny@fredrikstad.test"))!;
    expect(made).toMatchObject({ role: "admin", disabledAt: null, name: "Nora Ny" });
    expect(await verifyPassword(made.passwordHash, "et-nytt-langt-passord")).toBe(true);
  });
});
