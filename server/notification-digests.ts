// E-mail of notifications: at once (coalesced: at most one mail per person
// every `coalesceMinutes`), or a daily or weekly digest at the person's hour in
// Europe/Oslo. Each mail is one row in notification_digests, keyed by person
// and period, created in the transaction that marks its notifications mailed
// and queues the mail (services/mail.ts): exactly once, even across a restart
// or with two processes, and a mail server that is down only delays it.
import type { Db } from "../db/client.ts";
import type { EventJournal } from "../db/journal.ts";
import type { Logger } from "../core/logger.ts";
import { claimDigest, mailCandidates, markMailedWithoutMail, pruneNotifications, unmailedNotifications, type MailCandidate, type NotificationRow } from "../db/notifications.ts";
import { queueMail } from "../services/mail.ts";
import type { NotificationService } from "../services/notifications.ts";
import { notificationMailHtml, notificationMailSubject, notificationMailText, type MailGroupView } from "../web/views/notifications-mail.ts";

export const notificationsPath = "/varsler";
export const unsubscribePath = "/varsler/avmeld";

/** At most this many items in one mail; the rest are on the notifications page. */
const maxItemsPerGroup = 20;
const maxItemsPerMail = 1_000;
const peoplePerTransaction = 25;
/** Notifications are kept this long, then forgotten (once an hour). */
const keepDays = 180;

/** The date, hour and ISO weekday of an instant in Europe/Oslo. */
export function osloTime(at: Date): { date: string; hour: number; weekday: number } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/Oslo", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", hourCycle: "h23", weekday: "short" })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  const weekday = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"].indexOf(parts.weekday) + 1;
  return { date: `${parts.year}-${parts.month}-${parts.day}`, hour: Number(parts.hour), weekday };
}

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** The period whose mail is due for this person now, or undefined when none is. */
export function duePeriod(c: Pick<MailCandidate, "delivery" | "digestHour" | "digestWeekday" | "lastMailAt">, now: Date, coalesceMs: number): string | undefined {
  const oslo = osloTime(now);
  switch (c.delivery) {
    case "immediate":
      if (c.lastMailAt && now.getTime() - c.lastMailAt.getTime() < coalesceMs) return undefined;
      return `i:${Math.floor(now.getTime() / coalesceMs)}`;
    case "daily":
      return oslo.hour >= c.digestHour ? `d:${oslo.date}` : undefined;
    case "weekly": {
      const due = oslo.weekday > c.digestWeekday || (oslo.weekday === c.digestWeekday && oslo.hour >= c.digestHour);
      return due ? `w:${addDays(oslo.date, c.digestWeekday - oslo.weekday)}` : undefined;
    }
  }
}

/** Items grouped by what they came through; a project's repeated news of one kind counts once (the newest). */
export function groupItems(rows: readonly NotificationRow[], origin: string): MailGroupView[] {
  const newest = new Map<string, NotificationRow>();
  for (const r of rows) newest.set(`${r.groupLabel}|${r.link}|${r.kind}|${r.kind === "phase" ? r.reason : ""}`, r);
  const groups = new Map<string, NotificationRow[]>();
  for (const r of [...newest.values()].sort((a, b) => b.id - a.id)) {
    const list = groups.get(r.groupLabel) ?? [];
    list.push(r);
    groups.set(r.groupLabel, list);
  }
  return [...groups.entries()].map(([label, list]) => ({
    label,
    items: list.slice(0, maxItemsPerGroup).map((r) => ({ title: r.title, reason: r.reason, url: new URL(r.link, origin).href })),
    more: Math.max(0, list.length - maxItemsPerGroup),
  }));
}

export interface DigestOptions {
  origin: string;
  logger: Logger;
  /** At most one "at once" mail per person in this many minutes; the rest go in the next one. */
  coalesceMinutes?: number;
  /** How often the schedule is looked at. */
  tickMs?: number;
}

export class NotificationDigests {
  readonly #db: Db;
  readonly #events: EventJournal;
  readonly #notifications: NotificationService;
  readonly #options: Required<DigestOptions>;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<number> | undefined;
  #prunedAt = 0;

  constructor(events: EventJournal, notifications: NotificationService, options: DigestOptions) {
    this.#events = events;
    this.#db = events.db;
    this.#notifications = notifications;
    this.#options = { coalesceMinutes: 15, tickMs: 60_000, ...options };
  }

  start(): void {
    this.#timer = setInterval(() => void this.runOnce().catch((e) => this.#options.logger.warn("notifications: digest run failed", e)), this.#options.tickMs);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#running?.catch(() => undefined);
  }

  /** Builds and queues every mail due at `now`; returns how many were queued. One run at a time per process. */
  runOnce(now = new Date()): Promise<number> {
    if (!this.#running) {
      this.#running = this.#run(now).finally(() => {
        this.#running = undefined;
      });
    }
    return this.#running;
  }

  async #run(now: Date): Promise<number> {
    if (now.getTime() - this.#prunedAt > 60 * 60_000) {
      this.#prunedAt = now.getTime();
      await pruneNotifications(this.#db, new Date(now.getTime() - keepDays * 24 * 60 * 60_000));
    }
    await markMailedWithoutMail(this.#db);
    const coalesceMs = this.#options.coalesceMinutes * 60_000;
    const due = (await mailCandidates(this.#db)).flatMap((c) => {
      const period = duePeriod(c, now, coalesceMs);
      return period ? [{ c, period }] : [];
    });
    let queued = 0;
    // A few people per transaction (each in its own savepoint, so one bad address holds up no one else).
    for (let i = 0; i < due.length; i += peoplePerTransaction) {
      // Through the journal, so the mail subscriber hears of the queued mail at once.
      await this.#events.transaction(async (tx) => {
        for (const { c, period } of due.slice(i, i + peoplePerTransaction)) {
          try {
            if (await tx.transaction((sp) => this.#send(sp, c, period))) queued++;
          } catch (error) {
            this.#options.logger.warn(`notifications: could not queue the ${period} mail of account ${c.accountId}`, error);
          }
        }
      });
    }
    return queued;
  }

  /** One person's mail for one period, in `tx`: claimed, its notifications marked mailed, queued; false when there is nothing to send or it was sent. */
  async #send(tx: Db, c: MailCandidate, period: string): Promise<boolean> {
    const { origin } = this.#options;
    const rows = await unmailedNotifications(tx, c.accountId, maxItemsPerMail);
    if (rows.length === 0) return false;
    if (!(await claimDigest(tx, c.accountId, period, rows.length, rows[rows.length - 1].id))) return false;
    const groups = groupItems(rows, origin);
    const count = groups.reduce((n, g) => n + g.items.length + g.more, 0);
    const unsubscribeUrl = `${origin}${unsubscribePath}?t=${encodeURIComponent(this.#notifications.unsubscribeToken(c.accountId, c.unsubscribeGeneration))}`;
    const props = {
      name: c.name,
      period: c.delivery,
      count,
      groups,
      pageUrl: `${origin}${notificationsPath}`,
      unsubscribeUrl,
    } as const;
    await queueMail(tx, {
      to: c.email,
      subject: notificationMailSubject(props),
      text: notificationMailText(props),
      html: notificationMailHtml(props).value,
      headers: {
        "List-Unsubscribe": `<${unsubscribeUrl}>`,
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "Auto-Submitted": "auto-generated",
      },
      dedupeKey: `notifications:${c.accountId}:${period}`,
    });
    return true;
  }
}

