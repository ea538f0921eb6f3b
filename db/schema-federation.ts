import { sql } from "drizzle-orm";
import { bigint, bigserial, check, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";

const at = (name: string) => timestamp(name, { withTimezone: true });

/** Fedify's key–value store (caches, inbox idempotence, circuit breaker state). Key = JSON array. */
export const fedifyKv = pgTable(
  "fedify_kv",
  {
    key: text("key").primaryKey(),
    value: jsonb("value").notNull(),
    expiresAt: at("expires_at"),
  },
  (t) => [index("fedify_kv_expires_idx").on(t.expiresAt)],
);

/** Fedify's message queue: outgoing deliveries, fan-out and inbox work survive a restart. */
export const fedifyQueue = pgTable(
  "fedify_queue",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    message: jsonb("message").notNull(),
    orderingKey: text("ordering_key"),
    runAt: at("run_at").notNull().defaultNow(),
    /** A worker holds the message until then; a crashed worker's lease runs out and another takes it. */
    lockedUntil: at("locked_until"),
    createdAt: at("created_at").notNull().defaultNow(),
    /** The part this delivery shares with the others of its fan-out (the activity and the keys), kept once in fedify_queue_payloads. */
    payloadId: bigint("payload_id", { mode: "number" }),
  },
  (t) => [
    index("fedify_queue_ready_idx").on(t.runAt, t.id),
    index("fedify_queue_ordering_idx").on(t.orderingKey, t.id),
    index("fedify_queue_payload_idx").on(t.payloadId).where(sql`${t.payloadId} is not null`),
  ],
);

/** What the deliveries of one fan-out have in common, stored once for all of them (federation/queue.ts). */
export const fedifyQueuePayloads = pgTable("fedify_queue_payloads", {
  id: bigserial("id", { mode: "number" }).primaryKey(),
  body: jsonb("body").notNull(),
  createdAt: at("created_at").notNull().defaultNow(),
});

export const followStatuses = ["pending", "accepted", "rejected"] as const;
export type FollowStatus = (typeof followStatuses)[number];

/** Municipalities (or other actors) this instance follows. */
export const follows = pgTable(
  "follows",
  {
    id: text("id").primaryKey(),
    targetActorUrl: text("target_actor_url").notNull(),
    /** What the administrator typed or the actor's handle, e.g. @sarpsborg@innovasjon.sarpsborg.kommune.no */
    targetHandle: text("target_handle").notNull(),
    targetName: text("target_name"),
    targetInbox: text("target_inbox").notNull(),
    followActivityId: text("follow_activity_id").notNull(),
    status: text("status").$type<FollowStatus>().notNull().default("pending"),
    createdAt: at("created_at").notNull().defaultNow(),
    acceptedAt: at("accepted_at"),
    backfilledAt: at("backfilled_at"),
  },
  (t) => [
    uniqueIndex("follows_target_key").on(t.targetActorUrl),
    uniqueIndex("follows_activity_key").on(t.followActivityId),
    check("follows_status_check", sql`${t.status} in ('pending', 'accepted', 'rejected')`),
  ],
);

export const followerStatuses = ["pending", "accepted"] as const;
export type FollowerStatus = (typeof followerStatuses)[number];

/** Actors following this instance; accepted ones receive every public activity. */
export const followers = pgTable(
  "followers",
  {
    id: text("id").primaryKey(),
    actorUrl: text("actor_url").notNull(),
    handle: text("handle").notNull(),
    name: text("name"),
    inboxUrl: text("inbox_url").notNull(),
    sharedInboxUrl: text("shared_inbox_url"),
    followActivityId: text("follow_activity_id").notNull(),
    status: text("status").$type<FollowerStatus>().notNull().default("accepted"),
    createdAt: at("created_at").notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("followers_actor_key").on(t.actorUrl),
    check("followers_status_check", sql`${t.status} in ('pending', 'accepted')`),
  ],
);

/** Blocked domains: their activities are refused and their followers removed. */
export const domainBlocks = pgTable("domain_blocks", {
  domain: text("domain").primaryKey(),
  reason: text("reason").notNull().default(""),
  createdAt: at("created_at").notNull().defaultNow(),
});

/** Activity ids already handled: a redelivered activity changes nothing. */
export const processedActivities = pgTable(
  "processed_activities",
  {
    activityId: text("activity_id").primaryKey(),
    processedAt: at("processed_at").notNull().defaultNow(),
  },
  (t) => [index("processed_activities_at_idx").on(t.processedAt)],
);

/** Per receiving host: failing deliveries, shown on the admin federation page. */
export const deliveryFailures = pgTable("delivery_failures", {
  host: text("host").primaryKey(),
  failures: integer("failures").notNull().default(0),
  lastError: text("last_error").notNull().default(""),
  lastFailureAt: at("last_failure_at").notNull().defaultNow(),
  /** Circuit breaker state as Fedify reports it: closed, open, half-open. */
  circuit: text("circuit").notNull().default("closed"),
  nextRetryAt: at("next_retry_at"),
});

export type FollowRow = typeof follows.$inferSelect;
export type FollowerRow = typeof followers.$inferSelect;
export type DomainBlock = typeof domainBlocks.$inferSelect;
export type DeliveryFailure = typeof deliveryFailures.$inferSelect;
