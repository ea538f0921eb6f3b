// The "mail" subscriber of the journal (server/subscribers.ts): sends each
// message `queueMail` stored (services/mail.ts) through SMTP_URL with
// nodemailer, and marks it sent before the event is acknowledged.
//
// - Exactly once, as far as SMTP allows: a message marked sent is never sent
//   again (an event replayed after a restart finds `sent_at` and passes).
//   The row is marked the moment the server has taken the message, on its
//   own, not in the batch's acknowledgement, so a crash later in the batch
//   cannot send it twice; only a crash between the server's "250 OK" and that
//   one update can, and the repeat carries the same Message-ID.
// - A server that is down, or answers 4xx, fails the event: the dispatcher
//   tries it again with back-off (and holds up no other subscriber), so mail
//   waits and is never lost. A 5xx refusal marks the message failed (shown
//   on the admin page) and the queue moves on.
import nodemailer from "nodemailer";
import type { Config } from "../core/config.ts";
import type { Logger } from "../core/logger.ts";
import type { Db } from "../db/client.ts";
import type { EventHandler } from "../db/journal.ts";
import { getMail, markMailFailed, markMailSent, noteMailAttempt } from "../db/mail-outbox.ts";
import type { MailRow } from "../db/schema-mail.ts";

export interface MailSenderDeps {
  config: Pick<Config, "smtpUrl" | "mailFrom" | "origin">;
  db: Db;
  logger: Logger;
}

/** 5xx but 503 (bad sequence) is a refusal the same message would get again (RFC 5321). */
function isPermanent(error: unknown): boolean {
  const code = (error as { responseCode?: unknown })?.responseCode;
  return typeof code === "number" && code >= 500 && code < 600 && code !== 503;
}

/** The Message-ID of a message is fixed by its row, so a repeat is recognisable as the same mail. */
export function messageIdOf(row: Pick<MailRow, "id">, origin: string): string {
  return `<${row.id}.kominn@${new URL(origin).hostname}>`;
}

/** The subscriber's handler, or undefined without SMTP_URL (mail then stays in the outbox). */
export function mailSender(deps: MailSenderDeps): EventHandler | undefined {
  const { config, db, logger } = deps;
  if (!config.smtpUrl) return undefined;
  // Bounded waits: a server that accepts the connection and then hangs is a failed try, not a stuck queue.
  const transport = nodemailer.createTransport({ url: config.smtpUrl, connectionTimeout: 15_000, greetingTimeout: 15_000, socketTimeout: 60_000 });

  return {
    async handle(event) {
      if (event.name !== "mail.queued") return;
      const row = await getMail(db, event.payload.mailId);
      if (!row || row.sentAt || row.failedAt) return;
      const messageId = messageIdOf(row, config.origin);
      try {
        await transport.sendMail({
          from: config.mailFrom,
          to: row.toName ? { name: row.toName, address: row.toAddress } : row.toAddress,
          subject: row.subject,
          text: row.textBody,
          html: row.htmlBody ?? undefined,
          headers: row.headers,
          messageId,
          // Our own input is checked already; this refuses anything that would still break a header.
          disableFileAccess: true,
          disableUrlAccess: true,
        });
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        if (isPermanent(error)) {
          logger.warn(`mail: the SMTP server refused message ${row.id} for good: ${reason}`);
          await markMailFailed(db, row.id, reason);
          return;
        }
        logger.warn(`mail: could not send message ${row.id}, will try again: ${reason}`);
        await noteMailAttempt(db, row.id, reason).catch(() => {});
        throw error;
      }
      await markMailSent(db, row.id, messageId);
      logger.debug(`mail: sent message ${row.id}`);
    },
  };
}
