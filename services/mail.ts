// The one way to send e-mail: `queueMail(tx, message)` inside the transaction
// of the action that causes it. The message is checked (addresses, no header
// injection), stored once per dedupe key in `mail_outbox`, and a `mail.queued`
// event appended in the same transaction; the "mail" subscriber
// (server/mail-sender.ts) sends it when SMTP_URL is set. A server that is down
// delays the mail; the action that caused it has already committed.
import type { Db } from "../db/client.ts";
import { appendEvent } from "../db/journal.ts";
import { insertMail } from "../db/mail-outbox.ts";
import { isMailAddress } from "../core/mail-address.ts";
import { ValidationError } from "./projects.ts";

export interface MailMessage {
  /** `adresse@example.no` or `Navn <adresse@example.no>`. */
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** Extra headers (e.g. List-Unsubscribe); names are letters, digits and dashes. */
  headers?: Record<string, string>;
  /** The same key again is the same message: queued once, however often the action is replayed. */
  dedupeKey: string;
}

const lineBreak = /[\r\n]/;
const controlCharacter = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
/** Headers the sender sets itself: a caller may not set them through `headers`. */
const reservedHeaders = new Set(["from", "to", "cc", "bcc", "subject", "message-id", "date", "sender", "reply-to", "return-path", "content-type", "content-transfer-encoding", "mime-version"]);

/** A display name or address that could start a new header line. */
export function hasHeaderBreak(value: string): boolean {
  return lineBreak.test(value) || controlCharacter.test(value);
}

/** Splits `Navn <adresse>` or `adresse`; refuses line breaks, quotes and brackets in the name. */
export function parseRecipient(to: string): { name: string | null; address: string } {
  if (hasHeaderBreak(to)) throw new ValidationError([{ field: "to", message: "mottakeren kan ikke inneholde linjeskift eller kontrolltegn" }]);
  const m = /^\s*(?:([^<>"]*?)\s*<([^<>]+)>|([^<>\s]+))\s*$/.exec(to);
  const address = (m?.[2] ?? m?.[3] ?? "").trim();
  if (!m || !isMailAddress(address)) throw new ValidationError([{ field: "to", message: "må være en gyldig e-postadresse" }]);
  const name = m[1]?.trim() || null;
  if (name !== null && name.length > 200) throw new ValidationError([{ field: "to", message: "navnet er for langt" }]);
  return { name, address };
}

/** The message as it will be stored, or a ValidationError naming the field. */
export function checkMail(message: MailMessage): { name: string | null; address: string; headers: Record<string, string> } {
  const { name, address } = parseRecipient(message.to);
  const issues: { field: string; message: string }[] = [];
  if (hasHeaderBreak(message.subject)) issues.push({ field: "subject", message: "emnet kan ikke inneholde linjeskift eller kontrolltegn" });
  if (message.subject.trim() === "" || message.subject.length > 250) issues.push({ field: "subject", message: "emnet må ha 1 til 250 tegn" });
  if (message.text.trim() === "") issues.push({ field: "text", message: "meldingen kan ikke være tom" });
  if (message.text.length > 200_000 || (message.html?.length ?? 0) > 400_000) issues.push({ field: "text", message: "meldingen er for lang" });
  if (!message.dedupeKey || message.dedupeKey.length > 300) issues.push({ field: "dedupeKey", message: "må ha 1 til 300 tegn" });
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(message.headers ?? {})) {
    if (!/^[A-Za-z0-9-]{1,76}$/.test(key)) issues.push({ field: `headers.${key}`, message: "navnet på feltet kan bare ha bokstaver, tall og bindestrek" });
    else if (reservedHeaders.has(key.toLowerCase())) issues.push({ field: `headers.${key}`, message: "settes av avsenderen" });
    else if (typeof value !== "string" || hasHeaderBreak(value) || value.length > 2_000) issues.push({ field: `headers.${key}`, message: "verdien kan ikke inneholde linjeskift eller kontrolltegn" });
    else headers[key] = value;
  }
  if (issues.length > 0) throw new ValidationError(issues);
  return { name, address, headers };
}

/**
 * Queues one e-mail in `tx`, the transaction of the action that causes it.
 * Throws a ValidationError (422, naming the field) for a bad address or an
 * attempt at header injection. With a dedupe key seen before it stores
 * nothing and returns the earlier message (`queued: false`).
 */
export async function queueMail(tx: Db, message: MailMessage): Promise<{ id: string; queued: boolean }> {
  const { name, address, headers } = checkMail(message);
  const { id, created } = await insertMail(tx, {
    dedupeKey: message.dedupeKey,
    toAddress: address,
    toName: name,
    subject: message.subject,
    textBody: message.text,
    htmlBody: message.html ?? null,
    headers,
  });
  // The same append as ctx.events.append(tx, …): one journal.
  if (created) await appendEvent(tx, "mail.queued", { mailId: id });
  return { id, queued: created };
}
