// Follows, the inverted index that matches them, notifications and digests
// (db/schema-notifications.ts). Every function takes the database or a
// transaction first.
import { and, asc, count, desc, eq, isNull, sql } from "drizzle-orm";
import type { Db } from "./client.ts";
import { rowsOf } from "./client.ts";
import { newId } from "./ids.ts";
import { accounts, municipalities } from "./schema.ts";
import {
  followsOnBehalf,
  notificationDigests,
  notificationPrefs,
  notificationProjectState,
  notificationRecipients,
  subscriptionKeys,
  subscriptions,
  type NotificationPrefsRow,
  type Subscription,
} from "./schema-notifications.ts";

export type { NotificationPrefsRow, Subscription };

/** One notification as one person sees it: what moved, and the line that says why they see it. */
export interface NotificationRow {
  id: number;
  kind: string;
  title: string;
  link: string;
  groupLabel: string;
  reason: string;
  createdAt: Date;
  readAt: Date | null;
}

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
 * switched-off kinds, and one person is told once per item kind, explained by
 * the closest follow. Each item kind becomes one shared row holding every
 * distinct line that says why; each person a narrow row naming theirs.
 * Nothing travels to the application and back per person: a new project from
 * a peer reaches hundreds of people.
 */
export async function fanOut(db: Db, f: FanOut): Promise<void> {
  if (f.items.length === 0 || (f.keys.length === 0 && f.ids.length === 0)) return;
  const reasons = JSON.stringify(f.reasons);
  await db.execute(sql`
    with cand as (
      select s.id, s.account_id, s.kind, s.target, s.label
      from subscription_keys k join subscriptions s on s.id = k.subscription_id
      where k.key = any(${arrayLiteral([...new Set(f.keys)])}::text[]) and s.kind = any(${arrayLiteral(f.kinds)}::text[])
      union
      select s.id, s.account_id, s.kind, s.target, s.label
      from subscriptions s where s.id = any(${arrayLiteral(f.ids)}::text[])
    ), chosen as (
      select distinct on (s.account_id, c.kind)
        s.account_id, c.kind, (${JSON.stringify(f.groupLabels)}::jsonb ->> s.kind) || ': ' || s.label as group_label,
        coalesce(c.reason, ${reasons}::jsonb ->> s.id, ${reasons}::jsonb ->> (s.kind || ':' || s.target)) as reason
      from cand s
      join accounts a on a.id = s.account_id and a.disabled_at is null
      left join notification_prefs p on p.account_id = s.account_id
      cross join jsonb_to_recordset(${JSON.stringify(f.items)}::jsonb) as c(kind text, reason text)
      where not (c.kind = any(coalesce(p.muted_kinds, '{}'::text[])))
      order by s.account_id, c.kind, (${JSON.stringify(f.priority)}::jsonb ->> s.kind)::int, s.id
    ), whys as (
      select kind, group_label, reason, (row_number() over (partition by kind order by group_label, reason) - 1)::smallint as why
      from (select distinct kind, group_label, reason from chosen) d
    ), made as (
      insert into notification_events (kind, title, link, whys, dedupe_key)
      select kind, ${f.title}, ${f.link}, jsonb_agg(jsonb_build_array(group_label, reason) order by why), ${String(f.eventId)} || ':' || kind
      from whys group by kind
      returning id, kind
    )
    insert into notification_recipients (account_id, notification_id, why)
    select c.account_id, m.id, w.why
    from chosen c
    join whys w on w.kind = c.kind and w.group_label = c.group_label and w.reason = c.reason
    join made m on m.kind = c.kind`);
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

/** One notification told to the people named, each with the index of their line in `whys`. */
export interface NewNotification {
  kind: string;
  title: string;
  link: string;
  whys: [groupLabel: string, reason: string][];
  dedupeKey: string;
  recipients: readonly { accountId: string; why: number }[];
}

/** Stores one notification for the people it names (the shared row and one narrow row each). */
export async function insertNotification(db: Db, n: NewNotification): Promise<void> {
  if (n.recipients.length === 0) return;
  await db.execute(sql`
    with made as (
      insert into notification_events (kind, title, link, whys, dedupe_key)
      values (${n.kind}, ${n.title}, ${n.link}, ${JSON.stringify(n.whys)}::jsonb, ${n.dedupeKey})
      returning id
    )
    insert into notification_recipients (account_id, notification_id, why)
    select r.account_id, made.id, r.why
    from made cross join jsonb_to_recordset(${JSON.stringify(n.recipients.map((r) => ({ account_id: r.accountId, why: r.why })))}::jsonb) as r(account_id text, why smallint)`);
}

/**
 * The active staff account with this e-mail address that takes news of
 * `kind` and does not follow the project (a follow tells them already), if
 * there is one.
 */
export async function accountToTellDirectly(db: Db, email: string, kind: string, projectUrl: string): Promise<string | undefined> {
  const [row] = rowsOf<{ id: string }>(await db.execute(sql`
    select a.id from accounts a left join notification_prefs p on p.account_id = a.id
    where lower(a.email) = lower(${email}) and a.disabled_at is null
      and not (${kind} = any(coalesce(p.muted_kinds, '{}'::text[])))
      and not exists (select 1 from subscriptions s where s.account_id = a.id and s.kind = 'project' and s.target = ${projectUrl})
    limit 1`));
  return row?.id;
}

/** Whether this account is active and takes news of `kind` (the same test fanOut makes in SQL for followers). */
export async function accountTakes(db: Db, accountId: string, kind: string): Promise<boolean> {
  const rows = rowsOf<{ id: string }>(await db.execute(sql`
    select a.id from accounts a left join notification_prefs p on p.account_id = a.id
    where a.id = ${accountId} and a.disabled_at is null
      and not (${kind} = any(coalesce(p.muted_kinds, '{}'::text[])))`));
  return rows.length > 0;
}

type RowOf = { id: string | number; kind: string; title: string; link: string; group_label: string; reason: string; created_at: string | Date; read_at: string | Date | null };

function notificationOf(r: RowOf): NotificationRow {
  return {
    id: Number(r.id),
    kind: r.kind,
    title: r.title,
    link: r.link,
    groupLabel: r.group_label,
    reason: r.reason,
    createdAt: new Date(r.created_at),
    readAt: r.read_at === null ? null : new Date(r.read_at),
  };
}

/** The columns of a person's notification: the shared row's, and the line their row names. */
const seen = sql.raw(`e.id, e.kind, e.title, e.link, e.whys -> r.why ->> 0 as group_label, e.whys -> r.why ->> 1 as reason, e.created_at, r.read_at`);

export async function listNotifications(db: Db, accountId: string, options: { limit: number; before?: number }): Promise<NotificationRow[]> {
  return rowsOf<RowOf>(await db.execute(sql`
    select ${seen}
    from notification_recipients r join notification_events e on e.id = r.notification_id
    where r.account_id = ${accountId} ${options.before ? sql`and r.notification_id < ${options.before}` : sql``}
    order by r.notification_id desc
    limit ${options.limit}`)).map(notificationOf);
}

/** Unread: after the person's "all read" mark, and not read one by one. */
export async function countUnread(db: Db, accountId: string): Promise<number> {
  const [row] = rowsOf<{ n: number }>(await db.execute(sql`
    select count(*)::int as n from notification_recipients n
    where n.account_id = ${accountId} and n.read_at is null
      and n.notification_id > coalesce((select p.read_through from notification_prefs p where p.account_id = ${accountId}), 0)`));
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
    await db
      .update(notificationRecipients)
      .set({ readAt: new Date() })
      .where(and(eq(notificationRecipients.accountId, accountId), eq(notificationRecipients.notificationId, id), isNull(notificationRecipients.readAt)));
    return;
  }
  await db.execute(sql`
    insert into notification_prefs (account_id, read_through)
    values (${accountId}, (select coalesce(max(notification_id), 0) from notification_recipients where account_id = ${accountId}))
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
  /** When the last mail of notifications went to this person. */
  lastMailAt: Date | null;
}

/** Active accounts that take e-mail and have notifications not yet mailed (one query, whatever the number of people). */
export async function mailCandidates(db: Db): Promise<MailCandidate[]> {
  const rows = rowsOf<{
    account_id: string; email: string; name: string; delivery: MailCandidate["delivery"]; digest_hour: number; digest_weekday: number;
    unsubscribe_generation: number; last_mail_at: string | Date | null;
  }>(
    await db.execute(sql`
      select a.id as account_id, a.email, a.name,
             coalesce(p.delivery, 'daily') as delivery, coalesce(p.digest_hour, 7) as digest_hour,
             coalesce(p.digest_weekday, 1) as digest_weekday, coalesce(p.unsubscribe_generation, 0) as unsubscribe_generation,
             (select max(d.created_at) from notification_digests d where d.account_id = a.id) as last_mail_at
      from accounts a
      left join notification_prefs p on p.account_id = a.id
      where a.disabled_at is null
        and coalesce(p.delivery, 'daily') <> 'none'
        and exists (select 1 from notification_recipients r where r.account_id = a.id and r.notification_id > coalesce(p.mailed_through, 0))`),
  );
  return rows.map((r) => ({
    accountId: r.account_id,
    email: r.email,
    name: r.name,
    delivery: r.delivery,
    digestHour: Number(r.digest_hour),
    digestWeekday: Number(r.digest_weekday),
    unsubscribeGeneration: Number(r.unsubscribe_generation),
    lastMailAt: r.last_mail_at === null ? null : new Date(r.last_mail_at),
  }));
}

/**
 * Claims a digest for `period` and moves the person's mark to `upTo` (every
 * notification up to it is in this mail), in one statement: true when this
 * call created the digest's row (then the caller queues its mail in the same
 * transaction), false when it exists and nothing moved.
 */
export async function claimDigest(db: Db, accountId: string, period: string, items: number, upTo: number): Promise<boolean> {
  const rows = rowsOf<{ account_id: string }>(await db.execute(sql`
    with claimed as (
      insert into notification_digests (account_id, period, items) values (${accountId}, ${period}, ${items})
      on conflict do nothing
      returning account_id
    )
    insert into notification_prefs (account_id, mailed_through) select account_id, ${upTo} from claimed
    on conflict (account_id) do update set mailed_through = greatest(notification_prefs.mailed_through, excluded.mailed_through)
    returning account_id`));
  return rows.length > 0;
}

/**
 * The notifications not yet mailed to an account, oldest first (up to
 * `limit`), as one JSON array: a digest reads hundreds, and one value costs
 * PGlite far less to hand over than hundreds of rows.
 */
export async function unmailedNotifications(db: Db, accountId: string, limit: number): Promise<NotificationRow[]> {
  const [row] = rowsOf<{ items: RowOf[] | string | null }>(await db.execute(sql`
    select json_agg(x order by x.id) as items from (
      select ${seen}
      from notification_recipients r join notification_events e on e.id = r.notification_id
      where r.account_id = ${accountId}
        and r.notification_id > coalesce((select p.mailed_through from notification_prefs p where p.account_id = ${accountId}), 0)
      order by r.notification_id
      limit ${limit}
    ) x`));
  const items = typeof row.items === "string" ? (JSON.parse(row.items) as RowOf[]) : (row.items ?? []);
  return items.map(notificationOf);
}

/** Notifications of people who take no e-mail never wait for one: turning e-mail on later does not mail the past. */
export async function markMailedWithoutMail(db: Db): Promise<void> {
  await db.execute(sql`
    update notification_prefs p
    set mailed_through = m.last
    from (select r.account_id, max(r.notification_id) as last from notification_recipients r group by r.account_id) m
    where p.delivery = 'none' and m.account_id = p.account_id and coalesce(p.mailed_through, 0) < m.last`);
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

/**
 * Stores what the subscriber sees of a project now and answers what it saw
 * before (undefined: never) and whether any project imitates it, in one
 * statement.
 */
export async function swapProjectState(db: Db, url: string, state: ProjectState): Promise<{ before: ProjectState | undefined; imitated: boolean }> {
  const [row] = rowsOf<{ phase: string | null; n3_stage: string | null; realised_benefits: number | null; seeking_partners: boolean | null; imitation_of: string | null; imitated: boolean }>(
    await db.execute(sql`
      with was as (
        select phase, n3_stage, realised_benefits, seeking_partners, imitation_of from notification_project_state where url = ${url} for update
      ), put as (
        insert into notification_project_state (url, phase, n3_stage, realised_benefits, seeking_partners, imitation_of)
        values (${url}, ${state.phase}, ${state.n3Stage}, ${state.realisedBenefits}, ${state.seekingPartners}, ${state.imitationOf})
        on conflict (url) do update set phase = excluded.phase, n3_stage = excluded.n3_stage, realised_benefits = excluded.realised_benefits,
          seeking_partners = excluded.seeking_partners, imitation_of = excluded.imitation_of
      )
      select was.*, exists (select 1 from imitation_links l where l.original_url = ${url}) as imitated
      from (select 1) one left join was on true`),
  );
  const before = row.phase === null ? undefined : {
    phase: row.phase,
    n3Stage: row.n3_stage,
    realisedBenefits: Number(row.realised_benefits),
    seekingPartners: Boolean(row.seeking_partners),
    imitationOf: row.imitation_of,
  };
  return { before, imitated: row.imitated };
}

export async function saveProjectState(db: Db, url: string, state: ProjectState): Promise<void> {
  await db.insert(notificationProjectState).values({ url, ...state }).onConflictDoUpdate({ target: notificationProjectState.url, set: state });
}

/** The municipalities this instance knows (its own and those it met), for the follow form. */
export async function knownMunicipalities(db: Db): Promise<{ actorUrl: string; name: string }[]> {
  const rows = await db.select({ actorUrl: municipalities.actorUrl, name: municipalities.name }).from(municipalities).limit(2_000);
  return rows.sort((a, b) => a.name.localeCompare(b.name, "nb"));
}

/** Forgets notifications older than `before` (the page shows the newest; e-mail has long gone out), with who heard of them. */
export async function pruneNotifications(db: Db, before: Date): Promise<void> {
  // Ids grow with time: everything up to the newest old one goes (the recipients found by their block range index).
  await db.execute(sql`
    with old as (select max(id) as upto from notification_events where created_at < ${before.toISOString()}::timestamptz),
    gone as (delete from notification_recipients where notification_id <= (select upto from old))
    delete from notification_events where id <= (select upto from old)`);
}
