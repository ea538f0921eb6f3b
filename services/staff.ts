// Staff accounts: roles, disabling, and the rule that one active administrator
// always remains. The admin pages and the command line both change staff here.
import { z } from "zod";
import type { Db } from "../db/client.ts";
import {
  createAccount,
  createApiToken,
  deleteSessionsOf,
  getAccount,
  getAccountByEmail,
  lockActiveAdmins,
  revokeApiToken as revokeApiTokenRow,
  updateAccount,
} from "../db/accounts.ts";
import type { Account, ApiToken } from "../db/schema.ts";
import type { Role } from "../core/rules.ts";
import { dummyHash, hashPassword, verifyPassword } from "./passwords.ts";

export type StaffRefusal = "notFound" | "forbidden" | "self" | "lastAdmin" | "emailTaken";

/** A staff change the rules refuse; `reason` says which rule. */
export class StaffRuleError extends Error {
  readonly reason: StaffRefusal;
  constructor(reason: StaffRefusal) {
    super(`staff change refused: ${reason}`);
    this.reason = reason;
  }
}

/**
 * Runs `change` in one transaction with the active administrators' rows
 * locked, after checking that `actor` is still one of them and that the
 * change leaves at least one. Two administrators who demote or disable each
 * other at once are thus taken one after the other: the second sees the
 * first's change and is refused.
 */
async function asAdmin<T>(
  db: Db,
  actor: Account,
  targetId: string,
  removesAdmin: boolean,
  change: (tx: Db, target: Account) => Promise<T>,
): Promise<T> {
  return db.transaction(async (tx) => {
    const t = tx as unknown as Db;
    const admins = await lockActiveAdmins(t);
    if (!admins.includes(actor.id)) throw new StaffRuleError("forbidden");
    const target = await getAccount(t, targetId);
    if (!target) throw new StaffRuleError("notFound");
    if (admins.includes(target.id) && removesAdmin && admins.length <= 1) throw new StaffRuleError("lastAdmin");
    return change(t, target);
  });
}

/** A new staff account with a password; refuses (`emailTaken`) an address another account has. */
export async function createStaffAccount(
  db: Db,
  input: { name: string; email: string; role: Role; password: string },
): Promise<Account> {
  if (await getAccountByEmail(db, input.email)) throw new StaffRuleError("emailTaken");
  return createAccount(db, { name: input.name, email: input.email, role: input.role, passwordHash: await hashPassword(input.password) });
}

/**
 * The active account with this e-mail and password, its sign-in recorded; else
 * undefined, after as much work as a right guess (no timing tells whether the
 * address exists).
 */
export async function signInWithPassword(db: Db, email: string, password: string): Promise<Account | undefined> {
  const account = await getAccountByEmail(db, email);
  const ok = account && !account.disabledAt
    ? await verifyPassword(account.passwordHash, password)
    : (await verifyPassword(await dummyHash(), password), false);
  if (!account || !ok) return undefined;
  return (await updateAccount(db, account.id, { lastLoginAt: new Date() })) ?? account;
}

/** A new API token for an active account; the token itself is returned only here. */
export async function issueApiToken(db: Db, account: Account, name: string): Promise<{ token: string; record: ApiToken }> {
  if (account.disabledAt) throw new StaffRuleError("notFound");
  return createApiToken(db, account.id, name);
}

/** Revokes a token (only the owner's, when `ownerId` is given); false when there was none to revoke. */
export function revokeApiToken(db: Db, id: string, ownerId?: string): Promise<boolean> {
  return revokeApiTokenRow(db, id, ownerId);
}

export function changeRole(db: Db, actor: Account, targetId: string, role: Role): Promise<Account> {
  return asAdmin(db, actor, targetId, role !== "admin", async (tx, target) => (await updateAccount(tx, target.id, { role }))!);
}

/** Disabling ends the account's sessions at once; nobody disables themselves. */
export function setDisabled(db: Db, actor: Account, targetId: string, disabled: boolean): Promise<Account> {
  if (disabled && targetId === actor.id) return Promise.reject(new StaffRuleError("self"));
  return asAdmin(db, actor, targetId, disabled, async (tx, target) => {
    const updated = await updateAccount(tx, target.id, { disabledAt: disabled ? new Date() : null });
    if (disabled) await deleteSessionsOf(tx, target.id);
    return updated!;
  });
}

export const restoreAdminSchema = z.strictObject({
  email: z.email({ error: "må være en e-postadresse" }).max(254),
  password: z.string().min(12, { error: "må ha minst 12 tegn" }).max(200).optional(),
  name: z.string().trim().min(1).max(120).optional(),
});
export type RestoreAdminInput = z.output<typeof restoreAdminSchema>;

export type RestoreChange = "created" | "enabled" | "promoted" | "password";

/**
 * For the server operator (the command line), when no administrator can sign
 * in: makes the account an active administrator, re-enabling and promoting it;
 * with a password, sets it (and ends the account's sessions). An account that
 * does not exist is created, but only with a password (and `name`, if given).
 * Says what it changed.
 */
export async function restoreAdministrator(
  db: Db,
  input: RestoreAdminInput,
): Promise<{ account: Account; changes: RestoreChange[] }> {
  const passwordHash = input.password ? await hashPassword(input.password) : undefined;
  return db.transaction(async (tx) => {
    const t = tx as unknown as Db;
    const existing = await getAccountByEmail(t, input.email);
    if (!existing) {
      if (!passwordHash) throw new StaffRuleError("notFound");
      const account = await createAccount(t, {
        email: input.email,
        name: input.name ?? input.email.split("@")[0],
        role: "admin",
        passwordHash,
      });
      return { account, changes: ["created"] };
    }
    const changes: RestoreChange[] = [];
    if (existing.disabledAt) changes.push("enabled");
    if (existing.role !== "admin") changes.push("promoted");
    if (passwordHash) changes.push("password");
    const account = (await updateAccount(t, existing.id, {
      role: "admin",
      disabledAt: null,
      ...(passwordHash ? { passwordHash } : {}),
    }))!;
    if (passwordHash) await deleteSessionsOf(t, existing.id);
    return { account, changes };
  });
}
