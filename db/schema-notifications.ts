import { sql } from "drizzle-orm";
import { bigint, bigserial, boolean, check, index, integer, jsonb, pgTable, primaryKey, smallint, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { accounts } from "./schema.ts";

const at = (name: string) => timestamp(name, { withTimezone: true });

/**
 * What a staff member follows: a service area, a project (local or remote),
 * a municipality, or a saved search (its parameters as the search page takes
 * them). `target` is the thing itself: a service area's slug, a project's or
 * a municipality's URL, a saved search's canonical query string.
 */
export const subscriptions = pgTable(
  "subscriptions",
  {
    id: text("id").primaryKey(),
    accountId: text("account_id").notNull().references(() => accounts.id, { onDelete: "cascade" }),
    kind: text("kind").$type<"service-area" | "project" | "municipality" | "search">().notNull(),
    target: text("target").notNull(),
    /** What the person sees: "Helse og omsorg", a project's title, "søk: velferdsteknologi". */
    label: text("label").notNull(),
    /** A saved search's parsed parameters (search/params.ts), checked again on every match. */
    search: jsonb("search"),
    createdAt: at("created_at").notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("subscriptions_account_target_key").on(t.accountId, t.kind, t.target),
    check("subscriptions_kind_check", sql`${t.kind} in ('service-area', 'project', 'municipality', 'search')`),
  ],
);

/**
 * The inverted index of subscriptions: each subscription under the keys a
 * project must carry to match it (`a:<area>`, `m:<actor URL>`, `p:<project
 * URL>`; a saved search under one required condition: `t:<stem>` for a word,
 * `f:<facet>:<value>` for a filter, `*` for a search without either). A
 * project's event looks up its own keys here: no scan of all subscriptions.
 */
export const subscriptionKeys = pgTable(
  "subscription_keys",
  {
    key: text("key").notNull(),
    subscriptionId: text("subscription_id").notNull().references(() => subscriptions.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.key, t.subscriptionId] }), index("subscription_keys_subscription_idx").on(t.subscriptionId)],
);

/** Municipalities this instance follows because a staff member follows one of their projects: why we follow them. */
export const followsOnBehalf = pgTable("follows_on_behalf", {
  actorUrl: text("actor_url").primaryKey(),
  subscriptionId: text("subscription_id").references(() => subscriptions.id, { onDelete: "set null" }),
  accountName: text("account_name").notNull(),
  projectTitle: text("project_title").notNull(),
  createdAt: at("created_at").notNull().defaultNow(),
});

/** How each staff member wants to hear: the kinds switched off, and e-mail at once, daily, weekly or never. */
export const notificationPrefs = pgTable(
  "notification_prefs",
  {
    accountId: text("account_id").primaryKey().references(() => accounts.id, { onDelete: "cascade" }),
    delivery: text("delivery").$type<"none" | "immediate" | "daily" | "weekly">().notNull().default("daily"),
    mutedKinds: text("muted_kinds").array().notNull().default(sql`'{}'::text[]`),
    /** Hour of the day (Europe/Oslo) for digests. */
    digestHour: integer("digest_hour").notNull().default(7),
    /** ISO weekday (1 = Monday) for weekly digests. */
    digestWeekday: integer("digest_weekday").notNull().default(1),
    /** Bumped by every unsubscribe: a link signed for an older generation no longer works (no replay). */
    unsubscribeGeneration: integer("unsubscribe_generation").notNull().default(0),
    /** Every notification up to this id has gone into an e-mail (or waits for none): one row written per mail, not one per item. */
    mailedThrough: bigint("mailed_through", { mode: "number" }).notNull().default(0),
    /** "Merk alle som lest": every notification up to this id is read (single ones have `read_at`). */
    readThrough: bigint("read_through", { mode: "number" }).notNull().default(0),
    updatedAt: at("updated_at").notNull().defaultNow(),
  },
  (t) => [
    check("notification_prefs_delivery_check", sql`${t.delivery} in ('none', 'immediate', 'daily', 'weekly')`),
    check("notification_prefs_hour_check", sql`${t.digestHour} between 0 and 23`),
    check("notification_prefs_weekday_check", sql`${t.digestWeekday} between 1 and 7`),
  ],
);

/**
 * One thing that moved, shared by everyone who hears of it: one row per
 * journal event and kind (a new project, a phase change, …), with every line
 * that says why someone sees it. `whys` holds each distinct [group label,
 * reason] pair once ("Tjenesteområde: Helse og omsorg", "Nytt prosjekt innen
 * …"); a recipient names its pair by position.
 */
export const notificationEvents = pgTable(
  "notification_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    kind: text("kind").notNull(),
    title: text("title").notNull(),
    link: text("link").notNull(),
    whys: jsonb("whys").$type<[groupLabel: string, reason: string][]>().notNull(),
    /** The journal event and kind it came from (the subscriber writes each once: db/journal.ts). */
    dedupeKey: text("dedupe_key").notNull(),
    createdAt: at("created_at").notNull().defaultNow(),
  },
);

/**
 * Who hears of a notification: one narrow row per person, with which of its
 * lines says why, and whether it was read one by one ("all read" is the
 * person's `read_through`, "mailed" their `mailed_through`). No foreign keys:
 * the subscriber writes hundreds of these per event from rows it has just
 * joined, and a check per row costs more than the row; an account's rows go
 * with it by a trigger on accounts, a notification's with it when pruned.
 */
export const notificationRecipients = pgTable(
  "notification_recipients",
  {
    accountId: text("account_id").notNull(),
    notificationId: bigint("notification_id", { mode: "number" }).notNull(),
    why: smallint("why").notNull(),
    readAt: at("read_at"),
  },
  (t) => [
    primaryKey({ columns: [t.accountId, t.notificationId] }),
    // Rows arrive in id order: a block range index costs next to nothing to keep and finds old ones to prune.
    index("notification_recipients_notification_idx").using("brin", t.notificationId),
  ],
);

/** One e-mail of notifications per person and period (`d:2026-12-01`, `w:2026-11-30`, `i:<minute>`): created in the transaction that queues it. */
export const notificationDigests = pgTable(
  "notification_digests",
  {
    accountId: text("account_id").notNull().references(() => accounts.id, { onDelete: "cascade" }),
    period: text("period").notNull(),
    items: integer("items").notNull(),
    createdAt: at("created_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.period] }), index("notification_digests_created_idx").on(t.accountId, t.createdAt.desc())],
);

/** What the notifications subscriber last saw of each project, to tell what moved. */
export const notificationProjectState = pgTable("notification_project_state", {
  url: text("url").primaryKey(),
  phase: text("phase").notNull(),
  n3Stage: text("n3_stage"),
  realisedBenefits: integer("realised_benefits").notNull(),
  seekingPartners: boolean("seeking_partners").notNull(),
  imitationOf: text("imitation_of"),
});

export type Subscription = typeof subscriptions.$inferSelect;
export type NotificationPrefsRow = typeof notificationPrefs.$inferSelect;
