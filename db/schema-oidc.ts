import { index, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";
import { accounts } from "./schema.ts";

/**
 * Which OpenID Connect identity (issuer + subject) belongs to which staff
 * account. An account with a row here signs in through the municipality's
 * identity provider; one with a password hash signs in locally; it may do both.
 */
export const accountIdentities = pgTable(
  "account_identities",
  {
    issuer: text("issuer").notNull(),
    subject: text("subject").notNull(),
    accountId: text("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    lastSignInAt: timestamp("last_sign_in_at", { withTimezone: true }),
  },
  (t) => [
    primaryKey({ name: "account_identities_issuer_subject_pk", columns: [t.issuer, t.subject] }),
    index("account_identities_account_idx").on(t.accountId),
  ],
);

export type AccountIdentity = typeof accountIdentities.$inferSelect;
export type NewAccountIdentity = typeof accountIdentities.$inferInsert;
