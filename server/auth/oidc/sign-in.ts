import { createAccount, getAccountByEmail, updateAccount } from "../../../db/accounts.ts";
import { findIdentityAccount, linkIdentity, touchIdentity } from "../../../db/account-identities.ts";
import type { Db } from "../../../db/client.ts";
import type { Account } from "../../../db/schema.ts";
import type { Role } from "../../../core/rules.ts";
import type { StaffProfile } from "./claims.ts";
import { OidcProblem } from "./client.ts";

/**
 * Finds or creates the staff account of a verified identity and sets its role,
 * name and last sign-in, all in one transaction. A disabled account stays
 * refused and unchanged. An e-mail address that already belongs to another
 * account is refused rather than linked: linking would let whoever controls an
 * address at the provider take over a local (possibly break-glass) account.
 */
export async function signInIdentity(db: Db, issuer: string, profile: StaffProfile, role: Role): Promise<Account> {
  try {
    return await attempt(db, issuer, profile, role);
  } catch (error) {
    // Two first sign-ins of one person at once (a double click): the loser finds the winner's account.
    if (!isUniqueViolation(error)) throw error;
    return attempt(db, issuer, profile, role);
  }
}

function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; cause?: { code?: string } } | undefined;
  return (e?.code ?? e?.cause?.code) === "23505";
}

async function attempt(db: Db, issuer: string, profile: StaffProfile, role: Role): Promise<Account> {
  return db.transaction(async (tx) => {
    const at = new Date();
    let known = await findIdentityAccount(tx, issuer, profile.subject);
    if (!known && (await getAccountByEmail(tx, profile.email))) {
      // A concurrent first sign-in of the same person may have committed its
      // account and identity together between the two reads above.
      known = await findIdentityAccount(tx, issuer, profile.subject);
      if (!known) throw new OidcProblem("emailTaken", profile.email);
    }
    if (known) {
      if (known.account.disabledAt) throw new OidcProblem("disabled");
      await touchIdentity(tx, issuer, profile.subject, at);
      const updated = await updateAccount(tx, known.account.id, { role, name: profile.name, lastLoginAt: at });
      return updated!;
    }
    const account = await createAccount(tx, {
      email: profile.email,
      name: profile.name,
      role,
      passwordHash: null,
      lastLoginAt: at,
    });
    await linkIdentity(tx, { issuer, subject: profile.subject, accountId: account.id, at });
    return account;
  });
}
