import { and, asc, eq, gt, isNull, sql } from "drizzle-orm";
import type { Db } from "./client.ts";
import { newId, newSecret, sha256 } from "./ids.ts";
import { preparedFor } from "./prepared.ts";
import { accounts, apiTokens, sessions, type Account, type ApiToken, type NewAccount } from "./schema.ts";
import type { Role } from "../core/rules.ts";

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export async function createAccount(db: Db, values: Omit<NewAccount, "id">): Promise<Account> {
  const [row] = await db
    .insert(accounts)
    .values({ id: newId(), ...values, email: normaliseEmail(values.email) })
    .returning();
  return row;
}

export async function getAccount(db: Db, id: string): Promise<Account | undefined> {
  const [row] = await db.select().from(accounts).where(eq(accounts.id, id));
  return row;
}

export async function getAccountByEmail(db: Db, email: string): Promise<Account | undefined> {
  const [row] = await db.select().from(accounts).where(eq(accounts.email, normaliseEmail(email)));
  return row;
}

export async function listAccounts(db: Db): Promise<Account[]> {
  return db.select().from(accounts).orderBy(asc(accounts.createdAt));
}

export async function countAccounts(db: Db): Promise<number> {
  const [{ n }] = await db.select({ n: sql<number>`count(*)::int` }).from(accounts);
  return n;
}

/**
 * Locks the rows of the active administrators until the transaction ends and
 * returns their ids. In id order, so two callers never deadlock; a caller that
 * waited on another's lock gets the rows as that one left them (PostgreSQL
 * re-checks the condition on the newest row version), so it never counts an
 * administrator the other has just demoted or disabled.
 */
export async function lockActiveAdmins(db: Db): Promise<string[]> {
  const rows = await db
    .select({ id: accounts.id })
    .from(accounts)
    .where(and(eq(accounts.role, "admin"), isNull(accounts.disabledAt)))
    .orderBy(asc(accounts.id))
    .for("update");
  return rows.map((r) => r.id);
}

export async function updateAccount(
  db: Db,
  id: string,
  values: { role?: Role; disabledAt?: Date | null; name?: string; passwordHash?: string; lastLoginAt?: Date },
): Promise<Account | undefined> {
  const [row] = await db.update(accounts).set(values).where(eq(accounts.id, id)).returning();
  return row;
}

// Sessions -----------------------------------------------------------------

export const sessionLifetimeMs = 12 * 60 * 60 * 1000;

/** Creates a session and returns the secret for the cookie; only its hash is stored. */
export async function createSession(db: Db, accountId: string): Promise<string> {
  const secret = newSecret();
  await db.insert(sessions).values({
    id: sha256(secret),
    accountId,
    expiresAt: new Date(Date.now() + sessionLifetimeMs),
  });
  return secret;
}

export async function getSessionAccount(
  db: Db,
  secret: string,
): Promise<{ sessionId: string; account: Account } | undefined> {
  const id = sha256(secret);
  const [row] = await sessionAccount(db).execute({ id, now: new Date().toISOString() });
  return row && { sessionId: id, account: row.account };
}

/** Every signed-in request reads its session: prepared once. */
const sessionAccount = preparedFor((db) =>
  db
    .select({ account: accounts })
    .from(sessions)
    .innerJoin(accounts, eq(sessions.accountId, accounts.id))
    .where(and(eq(sessions.id, sql.placeholder("id")), gt(sessions.expiresAt, sql.placeholder("now")), isNull(accounts.disabledAt)))
    .prepare("kominn_session_account"),
);

export async function deleteSession(db: Db, secret: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.id, sha256(secret)));
}

export async function deleteSessionsOf(db: Db, accountId: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.accountId, accountId));
}

// API tokens ---------------------------------------------------------------

const tokenPrefix = "kominn_";

export async function createApiToken(
  db: Db,
  accountId: string,
  name: string,
): Promise<{ token: string; record: ApiToken }> {
  const token = tokenPrefix + newSecret();
  const [record] = await db
    .insert(apiTokens)
    .values({ id: newId(), accountId, name, tokenHash: sha256(token), prefix: token.slice(0, 12) })
    .returning();
  return { token, record };
}

export async function getTokenAccount(db: Db, token: string): Promise<Account | undefined> {
  if (!token.startsWith(tokenPrefix)) return undefined;
  const [row] = await db
    .select({ account: accounts, tokenId: apiTokens.id })
    .from(apiTokens)
    .innerJoin(accounts, eq(apiTokens.accountId, accounts.id))
    .where(and(eq(apiTokens.tokenHash, sha256(token)), isNull(apiTokens.revokedAt), isNull(accounts.disabledAt)));
  if (!row) return undefined;
  await db.update(apiTokens).set({ lastUsedAt: new Date() }).where(eq(apiTokens.id, row.tokenId));
  return row.account;
}

export async function listApiTokens(db: Db, accountId?: string): Promise<(ApiToken & { email: string })[]> {
  const rows = await db
    .select({ token: apiTokens, email: accounts.email })
    .from(apiTokens)
    .innerJoin(accounts, eq(apiTokens.accountId, accounts.id))
    .where(accountId ? eq(apiTokens.accountId, accountId) : undefined)
    .orderBy(asc(apiTokens.createdAt));
  return rows.map((r) => ({ ...r.token, email: r.email }));
}

export async function revokeApiToken(db: Db, id: string, accountId?: string): Promise<boolean> {
  const rows = await db
    .update(apiTokens)
    .set({ revokedAt: new Date() })
    .where(and(eq(apiTokens.id, id), isNull(apiTokens.revokedAt), accountId ? eq(apiTokens.accountId, accountId) : undefined))
    .returning({ id: apiTokens.id });
  return rows.length > 0;
}
