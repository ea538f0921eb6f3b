// Follows, the inverted index that matches them, notifications and digests
// (db/schema-notifications.ts). Every function takes the database or a
// transaction first.
import { and, asc, count, desc, eq, inArray, isNull, lt, sql } from "drizzle-orm";
import type { Db } from "./client.ts";
import { rowsOf } from "./client.ts";
import { newId } from "./ids.ts";
import { accounts, municipalities } from "./schema.ts";
import {
  followsOnBehalf,
  notificationDigests,
  notificationPrefs,
  notificationProjectState,
  notifications,
  subscriptionKeys,
  subscriptions,
  type NewNotification,
  type NotificationPrefsRow,
  type NotificationRow,
  type Subscription,
} from "./schema-notifications.ts";

export type { NotificationPrefsRow, NotificationRow, Subscription };

export interface NewSubscription {
  accountId: string;
  kind: Subscription["kind"];
  target: string;
  label: string;
  search?: unknown;
}

/** Stores a follow and its index keys; following the same thing again returns the one stored. */
export async function insertSubscription(db: Db, values: NewSubscription, keys: readonly string[]): Promise<{ subscription: Subscription; created: boolean }> {
  const [row] = await db
    .insert(subscriptions)
    .values({ id: newId(), ...values, search: values.search ?? null })
    .onConflictDoNothing()
    .returning();
  if (!row) {
    const [existing] = await db
      .select()
      .from(subscriptions)
      .where(and(eq(subscriptions.accountId, values.accountId), eq(subscriptions.kind, values.kind), eq(subscriptions.target, values.target)));
    return { subscription: existing, created: false };
  }
  const unique = [...new Set(keys)];
  if (unique.length > 0) await db.insert(subscriptionKeys).values(unique.map((key) => ({ key, subscriptionId: row.id })));
  return { subscription: row, created: true };
}

export async function deleteSubscription(db: Db, accountId: string, id: string): Promise<Subscription | undefined> {
  const [row] = await db.delete(subscriptions).where(and(eq(subscriptions.id, id), eq(subscriptions.accountId, accountId))).returning();
  return row;
}

export async function listSubscriptions(db: Db, accountId: string): Promise<Subscription[]> {
  return db.select().from(subscriptions).where(eq(subscriptions.accountId, accountId)).orderBy(asc(subscriptions.kind), asc(subscriptions.createdAt));
}

export async function findSubscription(db: Db, accountId: string, kind: Subscription["kind"], target: string): Promise<Subscription | undefined> {
  const [row] = await db
    .select()
    .from(subscriptions)
    .where(and(eq(subscriptions.accountId, accountId), eq(subscriptions.kind, kind), eq(subscriptions.target, target)));
  return row;
}

export async function countSubscriptions(db: Db, accountId: string): Promise<number> {
  const [row] = await db.select({ n: count() }).from(subscriptions).where(eq(subscriptions.accountId, accountId));
  return row.n;
}

/** A PostgreSQL array literal, sent as one parameter: every element quoted, backslashes and quotes escaped. */
function arrayLiteral(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`).join(",")}}`;
}

/** Subscriptions filed under any of `keys` (the index lookup), each once, with its owner's e-mail preferences' muted kinds. */
export async function subscriptionsUnder(db: Db, keys: readonly string[]): Promise<(Subscription & { mutedKinds: string[] })[]> {
  if (keys.length === 0) return [];
  const rows = await db
    .selectDistinctOn([subscriptions.id], { subscription: subscriptions, mutedKinds: notificationPrefs.mutedKinds })
    .from(subscriptionKeys)
    .innerJoin(subscriptions, eq(subscriptions.id, subscriptionKeys.subscriptionId))
    .innerJoin(accounts, eq(accounts.id, subscriptions.accountId))
    .leftJoin(notificationPrefs, eq(notificationPrefs.accountId, subscriptions.accountId))
    // One array parameter, however many keys: a project's words can be hundreds.
    .where(and(sql`${subscriptionKeys.key} = any(${arrayLiteral([...new Set(keys)])}::text[])`, isNull(accounts.disabledAt)));
  return rows.map((r) => ({ ...r.subscription, mutedKinds: r.mutedKinds ?? [] }));
}

/** The saved searches filed under any of `keys` (a project's candidates, to be checked in full), each once. */
export async function searchesUnder(db: Db, keys: readonly string[]): Promise<Pick<Subscription, "id" | "label" | "search">[]> {
  if (keys.length === 0) return [];
  return db
    .selectDistinctOn([subscriptions.id], { id: subscriptions.id, label: subscriptions.label, search: subscriptions.search })
    .from(subscriptionKeys)
    .innerJoin(subscriptions, eq(subscriptions.id, subscriptionKeys.subscriptionId))
    .where(and(sql`${subscriptionKeys.key} = any(${arrayLiteral([...new Set(keys)])}::text[])`, eq(subscriptions.kind, "search")));
}

/** What one event tells: who hears of it (found in the index), what and why. */
export interface FanOut {
  /** Index keys: the follows of `kinds` filed under any of them hear of it. */
  keys: readonly string[];
  kinds: readonly Subscription["kind"][];
  /** Further follows that hear of it (saved searches the matcher accepted). */
  ids: readonly string[];
  /** One notification per person and item kind; an item without a reason takes its follow's from `reasons`. */
  items: readonly { kind: string; reason: string | null }[];
  /** Reasons by follow: by its id, or by `<kind>:<target>`. */
  reasons: Readonly<Record<string, string>>;
  /** What each kind of follow is called where items are grouped. */
  groupLabels: Readonly<Record<Subscription["kind"], string>>;
  /** Which follow explains an item best (lowest first), when one person follows it several ways. */
  priority: Readonly<Record<Subscription["kind"], number>>;
  title: string;
  link: string;
  eventId: number;
}

/**
 * Stores an event's notifications in one statement, whatever their number:
 * the follows are found, joined with their owners (active ones) and their
 * switched-off kinds, and written in the database, one per person and kind,
 * explained by the closest follow. Nothing travels to the application and
 * back per person: a new project from a peer reaches hundreds of people.
 */
export async function fanOut(db: Db, f: FanOut): Promise<void> {
  if (f.items.length === 0 || (f.keys.length === 0 && f.ids.length === 0)) return;
  await db.execute(sql`
    with cand as (
      select s.id, s.account_id, s.kind, s.target, s.label
      from subscription_keys k join subscriptions s on s.id = k.subscription_id
      where k.key = any(${arrayLiteral([...new Set(f.keys)])}::text[]) and s.kind = any(${arrayLiteral(f.kinds)}::text[])
      union
      select s.id, s.account_id, s.kind, s.target, s.label
      from subscriptions s where s.id = any(${arrayLiteral(f.ids)}::text[])
    )
    insert into notifications (account_id, kind, subscription_id, group_label, title, reason, link, dedupe_key)
    select distinct on (s.account_id, c.kind)
      s.account_id, c.kind, s.id, (${JSON.stringify(f.groupLabels)}::jsonb ->> s.kind) || ': ' || s.label, ${f.title},
      coalesce(c.reason, ${JSON.stringify(f.reasons)}::jsonb ->> s.id, ${JSON.stringify(f.reasons)}::jsonb ->> (s.kind || ':' || s.target)),
      ${f.link}, ${String(f.eventId)} || ':' || c.kind
    from cand s
    join accounts a on a.id = s.account_id and a.disabled_at is null
    left join notification_prefs p on p.account_id = s.account_id
    cross join jsonb_to_recordset(${JSON.stringify(f.items)}::jsonb) as c(kind text, reason text)
    where not (c.kind = any(coalesce(p.muted_kinds, '{}'::text[])))
    order by s.account_id, c.kind, (${JSON.stringify(f.priority)}::jsonb ->> s.kind)::int, s.id`);
}

/** Remembers that we follow a municipality because someone follows one of its projects. */
export async function rememberFollowOnBehalf(db: Db, values: { actorUrl: string; subscriptionId: string; accountName: string; projectTitle: string }): Promise<void> {
  await db.insert(followsOnBehalf).values(values).onConflictDoNothing();
}

export async function listFollowsOnBehalf(db: Db): Promise<(typeof followsOnBehalf.$inferSelect)[]> {
  return db.select().from(followsOnBehalf).orderBy(desc(followsOnBehalf.createdAt));
}

// ---- preferences

export const defaultPrefs = { delivery: "daily", mutedKinds: [] as string[], digestHour: 7, digestWeekday: 1, unsubscribeGeneration: 0 } as const;

export async function getPrefs(db: Db, accountId: string): Promise<Omit<NotificationPrefsRow, "updatedAt" | "accountId">> {
  const [row] = await db.select().from(notificationPrefs).where(eq(notificationPrefs.accountId, accountId));
  return row ?? { ...defaultPrefs, mutedKinds: [] };
}

export async function savePrefs(
  db: Db,
  accountId: string,
  values: Partial<Pick<NotificationPrefsRow, "delivery" | "mutedKinds" | "digestHour" | "digestWeekday">>,
): Promise<void> {
  await db
    .insert(notificationPrefs)
    .values({ accountId, ...values })
    .onConflictDoUpdate({ target: notificationPrefs.accountId, set: { ...values, updatedAt: new Date() } });
}

/** Stops e-mail for an account if `generation` is still current; returns false for a link already used (or older). */
export async function unsubscribeIfCurrent(db: Db, accountId: string, generation: number): Promise<boolean> {
  await db.insert(notificationPrefs).values({ accountId }).onConflictDoNothing();
  const rows = await db
    .update(notificationPrefs)
    .set({ delivery: "none", unsubscribeGeneration: sql`${notificationPrefs.unsubscribeGeneration} + 1`, updatedAt: new Date() })
    .where(and(eq(notificationPrefs.accountId, accountId), eq(notificationPrefs.unsubscribeGeneration, generation)))
    .returning({ accountId: notificationPrefs.accountId });
  return rows.length > 0;
}

// ---- notifications

/**
 * Inserts notifications in one statement with one parameter (a JSON array):
 * a flood of remote updates can make thousands at once, and binding ten
 * parameters per row costs more than the insert on PGlite.
 */
export async function insertNotifications(db: Db, rows: readonly NewNotification[]): Promise<number> {
  if (rows.length === 0) return 0;
  await db.execute(sql`
    insert into notifications (account_id, kind, subscription_id, group_label, title, reason, link, dedupe_key)
    select account_id, kind, subscription_id, group_label, title, reason, link, dedupe_key
    from jsonb_to_recordset(${JSON.stringify(rows.map((r) => ({
      account_id: r.accountId, kind: r.kind, subscription_id: r.subscriptionId ?? null, group_label: r.groupLabel,
      title: r.title, reason: r.reason, link: r.link, dedupe_key: r.dedupeKey,
    })))}::jsonb)
      as x(account_id text, kind text, subscription_id text, group_label text, title text, reason text, link text, dedupe_key text)`);
  return rows.length;
}

export async function listNotifications(db: Db, accountId: string, options: { limit: number; before?: number }): Promise<NotificationRow[]> {
  return db
    .select()
    .from(notifications)
    .where(and(eq(notifications.accountId, accountId), options.before ? lt(notifications.id, options.before) : undefined))
    .orderBy(desc(notifications.id))
    .limit(options.limit);
}

/** Unread: after the person's "all read" mark, and not read one by one. */
export async function countUnread(db: Db, accountId: string): Promise<number> {
  const [row] = rowsOf<{ n: number }>(await db.execute(sql`
    select count(*)::int as n from notifications n
    where n.account_id = ${accountId} and n.read_at is null
      and n.id > coalesce((select p.read_through from notification_prefs p where p.account_id = ${accountId}), 0)`));
  return Number(row.n);
}

/** Where the person's "all read" mark stands. */
export async function readThrough(db: Db, accountId: string): Promise<number> {
  const [row] = await db.select({ n: notificationPrefs.readThrough }).from(notificationPrefs).where(eq(notificationPrefs.accountId, accountId));
  return Number(row?.n ?? 0);
}

/** Marks one notification read, or (without `id`) all of them: one row moves, whatever their number. */
export async function markRead(db: Db, accountId: string, id?: number): Promise<void> {
  if (id !== undefined) {
    await db.update(notifications).set({ readAt: new Date() }).where(and(eq(notifications.accountId, accountId), eq(notifications.id, id), isNull(notifications.readAt)));
    return;
  }
  await db.execute(sql`
    insert into notification_prefs (account_id, read_through)
    values (${accountId}, (select coalesce(max(id), 0) from notifications where account_id = ${accountId}))
    on conflict (account_id) do update set read_through = greatest(notification_prefs.read_through, excluded.read_through)`);
}

// ---- digests

export interface MailCandidate {
  accountId: string;
  email: string;
  name: string;
  delivery: "immediate" | "daily" | "weekly";
  digestHour: number;
  digestWeekday: number;
  unsubscribeGeneration: number;
  /** Every notification up to this id has been mailed. */
  mailedThrough: number;
  /** When the last mail of notifications went to this person. */
  lastMailAt: Date | null;
}

/** Active accounts that take e-mail and have notifications not yet mailed (one query, whatever the number of people). */
export async function mailCandidates(db: Db): Promise<MailCandidate[]> {
  const rows = rowsOf<{
    account_id: string; email: string; name: string; delivery: MailCandidate["delivery"]; digest_hour: number; digest_weekday: number;
    unsubscribe_generation: number; mailed_through: string | number; last_mail_at: string | Date | null;
  }>(
    await db.execute(sql`
      select a.id as account_id, a.email, a.name,
             coalesce(p.delivery, 'daily') as delivery, coalesce(p.digest_hour, 7) as digest_hour,
             coalesce(p.digest_weekday, 1) as digest_weekday, coalesce(p.unsubscribe_generation, 0) as unsubscribe_generation,
             coalesce(p.mailed_through, 0) as mailed_through,
             (select max(d.created_at) from notification_digests d where d.account_id = a.id) as last_mail_at
      from accounts a
      left join notification_prefs p on p.account_id = a.id
      where a.disabled_at is null
        and coalesce(p.delivery, 'daily') <> 'none'
        and exists (select 1 from notifications n where n.account_id = a.id and n.id > coalesce(p.mailed_through, 0))`),
  );
  return rows.map((r) => ({
    accountId: r.account_id,
    email: r.email,
    name: r.name,
    delivery: r.delivery,
    digestHour: Number(r.digest_hour),
    digestWeekday: Number(r.digest_weekday),
    unsubscribeGeneration: Number(r.unsubscribe_generation),
    mailedThrough: Number(r.mailed_through),
    lastMailAt: r.last_mail_at === null ? null : new Date(r.last_mail_at),
  }));
}

/**
 * Claims a digest for `period`: true when this call created its row (then the
 * caller queues its mail in the same transaction), false when it exists.
 */
export async function claimDigest(db: Db, accountId: string, period: string, items: number): Promise<boolean> {
  const rows = await db.insert(notificationDigests).values({ accountId, period, items }).onConflictDoNothing().returning({ period: notificationDigests.period });
  return rows.length > 0;
}

/** The notifications not yet mailed to an account, oldest first (up to `limit`). */
export async function unmailedNotifications(db: Db, accountId: string, limit: number): Promise<NotificationRow[]> {
  const through = await db.select({ n: notificationPrefs.mailedThrough }).from(notificationPrefs).where(eq(notificationPrefs.accountId, accountId));
  return db
    .select()
    .from(notifications)
    .where(and(eq(notifications.accountId, accountId), sql`${notifications.id} > ${Number(through[0]?.n ?? 0)}`))
    .orderBy(asc(notifications.id))
    .limit(limit);
}

/** Every notification of the account up to `upTo` has been mailed. */
export async function markMailed(db: Db, accountId: string, upTo: number): Promise<void> {
  await db.execute(sql`
    insert into notification_prefs (account_id, mailed_through) values (${accountId}, ${upTo})
    on conflict (account_id) do update set mailed_through = greatest(notification_prefs.mailed_through, excluded.mailed_through)`);
}

/** Notifications of people who take no e-mail never wait for one: turning e-mail on later does not mail the past. */
export async function markMailedWithoutMail(db: Db): Promise<void> {
  await db.execute(sql`
    update notification_prefs p
    set mailed_through = (select coalesce(max(n.id), 0) from notifications n where n.account_id = p.account_id)
    where p.delivery = 'none'`);
}

// ---- what the subscriber last saw of each project

export interface ProjectState {
  phase: string;
  n3Stage: string | null;
  realisedBenefits: number;
  seekingPartners: boolean;
  imitationOf: string | null;
}

export async function getProjectState(db: Db, url: string): Promise<ProjectState | undefined> {
  const [row] = await db.select().from(notificationProjectState).where(eq(notificationProjectState.url, url));
  return row;
}

/** Stores what the subscriber sees of a project now and answers what it saw before (undefined: never), in one statement. */
export async function swapProjectState(db: Db, url: string, state: ProjectState): Promise<ProjectState | undefined> {
  const [row] = rowsOf<{ phase: string; n3_stage: string | null; realised_benefits: number; seeking_partners: boolean; imitation_of: string | null }>(
    await db.execute(sql`
      with was as (
        select phase, n3_stage, realised_benefits, seeking_partners, imitation_of from notification_project_state where url = ${url} for update
      ), put as (
        insert into notification_project_state (url, phase, n3_stage, realised_benefits, seeking_partners, imitation_of)
        values (${url}, ${state.phase}, ${state.n3Stage}, ${state.realisedBenefits}, ${state.seekingPartners}, ${state.imitationOf})
        on conflict (url) do update set phase = excluded.phase, n3_stage = excluded.n3_stage, realised_benefits = excluded.realised_benefits,
          seeking_partners = excluded.seeking_partners, imitation_of = excluded.imitation_of
      )
      select * from was`),
  );
  return row && {
    phase: row.phase,
    n3Stage: row.n3_stage,
    realisedBenefits: Number(row.realised_benefits),
    seekingPartners: row.seeking_partners,
    imitationOf: row.imitation_of,
  };
}

export async function saveProjectState(db: Db, url: string, state: ProjectState): Promise<void> {
  await db.insert(notificationProjectState).values({ url, ...state }).onConflictDoUpdate({ target: notificationProjectState.url, set: state });
}

/** The municipalities this instance knows (its own and those it met), for the follow form. */
export async function knownMunicipalities(db: Db): Promise<{ actorUrl: string; name: string }[]> {
  const rows = await db.select({ actorUrl: municipalities.actorUrl, name: municipalities.name }).from(municipalities).limit(2_000);
  return rows.sort((a, b) => a.name.localeCompare(b.name, "nb"));
}

/** Forgets notifications older than `before` (the page shows the newest; e-mail has long gone out). */
export async function pruneNotifications(db: Db, before: Date): Promise<void> {
  await db.execute(sql`delete from notifications where created_at < ${before.toISOString()}::timestamptz`);
}
