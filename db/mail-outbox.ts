import { desc, eq, sql } from "drizzle-orm";
import type { Db } from "./client.ts";
import { newId } from "./ids.ts";
import { mailOutbox, type MailRow, type NewMailRow } from "./schema-mail.ts";

/** Stores a message once per dedupe key: `created` is false when the key was there already. */
export async function insertMail(db: Db, values: Omit<NewMailRow, "id">): Promise<{ id: string; created: boolean }> {
  const [row] = await db
    .insert(mailOutbox)
    .values({ id: newId(), ...values })
    .onConflictDoNothing({ target: mailOutbox.dedupeKey })
    .returning({ id: mailOutbox.id });
  if (row) return { id: row.id, created: true };
  const [existing] = await db.select({ id: mailOutbox.id }).from(mailOutbox).where(eq(mailOutbox.dedupeKey, values.dedupeKey));
  return { id: existing.id, created: false };
}

export async function getMail(db: Db, id: string): Promise<MailRow | undefined> {
  const [row] = await db.select().from(mailOutbox).where(eq(mailOutbox.id, id));
  return row;
}

/** Newest first, for the administrator's page. */
export async function listMail(db: Db, limit = 200): Promise<MailRow[]> {
  return db.select().from(mailOutbox).orderBy(desc(mailOutbox.createdAt), desc(mailOutbox.id)).limit(limit);
}

export async function countUnsentMail(db: Db): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(mailOutbox)
    .where(sql`${mailOutbox.sentAt} is null and ${mailOutbox.failedAt} is null`);
  return row.n;
}

/** The server took it: never sent again. */
export async function markMailSent(db: Db, id: string, messageId: string): Promise<void> {
  await db.update(mailOutbox).set({ sentAt: new Date(), messageId, lastError: null }).where(eq(mailOutbox.id, id));
}

/** A try that failed and will be made again. */
export async function noteMailAttempt(db: Db, id: string, error: string): Promise<void> {
  await db
    .update(mailOutbox)
    .set({ attempts: sql`${mailOutbox.attempts} + 1`, lastError: error.slice(0, 500) })
    .where(eq(mailOutbox.id, id));
}

/** The server refused the message for good. */
export async function markMailFailed(db: Db, id: string, error: string): Promise<void> {
  await db
    .update(mailOutbox)
    .set({ failedAt: new Date(), attempts: sql`${mailOutbox.attempts} + 1`, lastError: error.slice(0, 500) })
    .where(eq(mailOutbox.id, id));
}
