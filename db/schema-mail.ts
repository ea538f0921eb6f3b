import { index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";

const at = (name: string) => timestamp(name, { withTimezone: true });

/**
 * E-mail waiting to be sent, and sent: written by `queueMail` (services/mail.ts)
 * in the transaction of the action that causes it, sent by the "mail"
 * subscriber (server/mail-sender.ts) when SMTP_URL is set. Without it, rows
 * stay here and the administrator's page lists them.
 */
export const mailOutbox = pgTable(
  "mail_outbox",
  {
    id: text("id").primaryKey(),
    /** The caller's name for this message: the same key again is the same message, queued once. */
    dedupeKey: text("dedupe_key").notNull(),
    toAddress: text("to_address").notNull(),
    toName: text("to_name"),
    subject: text("subject").notNull(),
    textBody: text("text_body").notNull(),
    htmlBody: text("html_body"),
    headers: jsonb("headers").$type<Record<string, string>>().notNull().default({}),
    createdAt: at("created_at").notNull().defaultNow(),
    /** When the SMTP server took it, and the Message-ID it was sent with. */
    sentAt: at("sent_at"),
    messageId: text("message_id"),
    /** Tries that failed for a reason that may pass (server down, 4xx), and the last reason. */
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
    /** The server refused it for good (5xx): not tried again. */
    failedAt: at("failed_at"),
  },
  (t) => [uniqueIndex("mail_outbox_dedupe_key").on(t.dedupeKey), index("mail_outbox_created_idx").on(t.createdAt)],
);

export type MailRow = typeof mailOutbox.$inferSelect;
export type NewMailRow = typeof mailOutbox.$inferInsert;
