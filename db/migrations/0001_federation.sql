CREATE TABLE "delivery_failures" (
	"host" text PRIMARY KEY NOT NULL,
	"failures" integer DEFAULT 0 NOT NULL,
	"last_error" text DEFAULT '' NOT NULL,
	"last_failure_at" timestamp with time zone DEFAULT now() NOT NULL,
	"circuit" text DEFAULT 'closed' NOT NULL,
	"next_retry_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "domain_blocks" (
	"domain" text PRIMARY KEY NOT NULL,
	"reason" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "fedify_kv" (
	"key" text PRIMARY KEY NOT NULL,
	"value" jsonb NOT NULL,
	"expires_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "fedify_queue" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"message" jsonb NOT NULL,
	"ordering_key" text,
	"run_at" timestamp with time zone DEFAULT now() NOT NULL,
	"locked_until" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "followers" (
	"id" text PRIMARY KEY NOT NULL,
	"actor_url" text NOT NULL,
	"handle" text NOT NULL,
	"name" text,
	"inbox_url" text NOT NULL,
	"shared_inbox_url" text,
	"follow_activity_id" text NOT NULL,
	"status" text DEFAULT 'accepted' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "followers_status_check" CHECK ("followers"."status" in ('pending', 'accepted'))
);
--> statement-breakpoint
CREATE TABLE "follows" (
	"id" text PRIMARY KEY NOT NULL,
	"target_actor_url" text NOT NULL,
	"target_handle" text NOT NULL,
	"target_name" text,
	"target_inbox" text NOT NULL,
	"follow_activity_id" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"accepted_at" timestamp with time zone,
	"backfilled_at" timestamp with time zone,
	CONSTRAINT "follows_status_check" CHECK ("follows"."status" in ('pending', 'accepted', 'rejected'))
);
--> statement-breakpoint
CREATE TABLE "processed_activities" (
	"activity_id" text PRIMARY KEY NOT NULL,
	"processed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "fedify_kv_expires_idx" ON "fedify_kv" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "fedify_queue_ready_idx" ON "fedify_queue" USING btree ("run_at","id");--> statement-breakpoint
CREATE INDEX "fedify_queue_ordering_idx" ON "fedify_queue" USING btree ("ordering_key","id");--> statement-breakpoint
CREATE UNIQUE INDEX "followers_actor_key" ON "followers" USING btree ("actor_url");--> statement-breakpoint
CREATE UNIQUE INDEX "follows_target_key" ON "follows" USING btree ("target_actor_url");--> statement-breakpoint
CREATE UNIQUE INDEX "follows_activity_key" ON "follows" USING btree ("follow_activity_id");--> statement-breakpoint
CREATE INDEX "processed_activities_at_idx" ON "processed_activities" USING btree ("processed_at");