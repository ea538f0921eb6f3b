-- Follows, notifications and digests (db/schema-notifications.ts, issue 18).
CREATE TABLE IF NOT EXISTS "subscriptions" (
	"id" text PRIMARY KEY NOT NULL,
	"account_id" text NOT NULL REFERENCES "accounts"("id") ON DELETE cascade,
	"kind" text NOT NULL,
	"target" text NOT NULL,
	"label" text NOT NULL,
	"search" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "subscriptions_kind_check" CHECK ("kind" in ('service-area', 'project', 'municipality', 'search'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS "subscriptions_account_target_key" ON "subscriptions" USING btree ("account_id", "kind", "target");
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "subscription_keys" (
	"key" text NOT NULL,
	"subscription_id" text NOT NULL REFERENCES "subscriptions"("id") ON DELETE cascade,
	CONSTRAINT "subscription_keys_key_subscription_id_pk" PRIMARY KEY("key", "subscription_id")
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "subscription_keys_subscription_idx" ON "subscription_keys" USING btree ("subscription_id");
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "follows_on_behalf" (
	"actor_url" text PRIMARY KEY NOT NULL,
	"subscription_id" text REFERENCES "subscriptions"("id") ON DELETE set null,
	"account_name" text NOT NULL,
	"project_title" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "notification_prefs" (
	"account_id" text PRIMARY KEY NOT NULL REFERENCES "accounts"("id") ON DELETE cascade,
	"delivery" text DEFAULT 'daily' NOT NULL,
	"muted_kinds" text[] DEFAULT '{}'::text[] NOT NULL,
	"digest_hour" integer DEFAULT 7 NOT NULL,
	"digest_weekday" integer DEFAULT 1 NOT NULL,
	"unsubscribe_generation" integer DEFAULT 0 NOT NULL,
	"mailed_through" bigint DEFAULT 0 NOT NULL,
	"read_through" bigint DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "notification_prefs_delivery_check" CHECK ("delivery" in ('none', 'immediate', 'daily', 'weekly')),
	CONSTRAINT "notification_prefs_hour_check" CHECK ("digest_hour" between 0 and 23),
	CONSTRAINT "notification_prefs_weekday_check" CHECK ("digest_weekday" between 1 and 7)
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "notifications" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"account_id" text NOT NULL REFERENCES "accounts"("id") ON DELETE cascade,
	"kind" text NOT NULL,
	"subscription_id" text REFERENCES "subscriptions"("id") ON DELETE set null,
	"group_label" text NOT NULL,
	"title" text NOT NULL,
	"reason" text NOT NULL,
	"link" text NOT NULL,
	"dedupe_key" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"read_at" timestamp with time zone
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "notifications_account_idx" ON "notifications" USING btree ("account_id", "id" DESC);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "notification_digests" (
	"account_id" text NOT NULL REFERENCES "accounts"("id") ON DELETE cascade,
	"period" text NOT NULL,
	"items" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "notification_digests_account_id_period_pk" PRIMARY KEY("account_id", "period")
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "notification_digests_created_idx" ON "notification_digests" USING btree ("account_id", "created_at" DESC);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "notification_project_state" (
	"url" text PRIMARY KEY NOT NULL,
	"phase" text NOT NULL,
	"n3_stage" text,
	"realised_benefits" integer NOT NULL,
	"seeking_partners" boolean NOT NULL,
	"imitation_of" text
);
--> statement-breakpoint
-- What the subscriber would have seen of the projects already stored: a later change of one is a change, not news.
INSERT INTO "notification_project_state" ("url", "phase", "n3_stage", "realised_benefits", "seeking_partners", "imitation_of")
SELECT p.url, p.phase, p.n3_stage, jsonb_array_length(p.realised_benefits), p.seeking_partners, p.imitation_of
FROM "projects" p WHERE p.published
ON CONFLICT ("url") DO NOTHING;
--> statement-breakpoint
-- The notifications subscriber starts at the journal's head: nobody follows anything yet, and history is not news.
INSERT INTO "event_positions" ("subscriber", "position") SELECT 'notifications', coalesce(max(id), 0) FROM "domain_events"
ON CONFLICT ("subscriber") DO UPDATE SET "position" = excluded."position";
