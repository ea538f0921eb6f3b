import { and, eq, max } from "drizzle-orm";
import type { Db } from "./client.ts";
import { accountIdentities, type AccountIdentity } from "./schema-oidc.ts";
import { accounts, type Account } from "./schema.ts";

/** The account an OpenID identity belongs to, if it has signed in before. */
export async function findIdentityAccount(
  db: Db,
  issuer: string,
  subject: string,
): Promise<{ identity: AccountIdentity; account: Account } | undefined> {
  const [row] = await db
    .select({ identity: accountIdentities, account: accounts })
    .from(accountIdentities)
    .innerJoin(accounts, eq(accountIdentities.accountId, accounts.id))
    .where(and(eq(accountIdentities.issuer, issuer), eq(accountIdentities.subject, subject)));
  return row;
}

export async function linkIdentity(db: Db, values: { issuer: string; subject: string; accountId: string; at: Date }): Promise<void> {
  await db.insert(accountIdentities).values({
    issuer: values.issuer,
    subject: values.subject,
    accountId: values.accountId,
    lastSignInAt: values.at,
  });
}

export async function touchIdentity(db: Db, issuer: string, subject: string, at: Date): Promise<void> {
  await db
    .update(accountIdentities)
    .set({ lastSignInAt: at })
    .where(and(eq(accountIdentities.issuer, issuer), eq(accountIdentities.subject, subject)));
}

/** Account id → its latest sign-in through an identity provider, for accounts that have one. */
export async function identitySignIns(db: Db): Promise<Map<string, Date | null>> {
  const rows = await db
    .select({ accountId: accountIdentities.accountId, last: max(accountIdentities.lastSignInAt) })
    .from(accountIdentities)
    .groupBy(accountIdentities.accountId);
  return new Map(rows.map((r) => [r.accountId, r.last]));
}
