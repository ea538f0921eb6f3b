-- Idea competitions other municipalities opened to others (db/schema-remote-challenges.ts).
CREATE TABLE IF NOT EXISTS "remote_challenges" (
	"id" text PRIMARY KEY NOT NULL,
	"url" text NOT NULL,
	"actor_url" text NOT NULL,
	"municipality_name" text NOT NULL,
	"title" text NOT NULL,
	"problem" text NOT NULL,
	"eligibility" text DEFAULT '' NOT NULL,
	"prizes" text DEFAULT '' NOT NULL,
	"criteria" jsonb NOT NULL,
	"opens_at" timestamp with time zone NOT NULL,
	"closes_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "remote_challenges_url_unique" UNIQUE("url")
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "remote_challenges_closes_idx" ON "remote_challenges" USING btree ("closes_at");
