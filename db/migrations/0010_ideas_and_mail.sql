-- E-mail outbox (db/schema-mail.ts) and ideas with idea competitions
-- (db/schema-ideas.ts). Written by hand: IF NOT EXISTS throughout.
CREATE TABLE IF NOT EXISTS "mail_outbox" (
	"id" text PRIMARY KEY NOT NULL,
	"dedupe_key" text NOT NULL,
	"to_address" text NOT NULL,
	"to_name" text,
	"subject" text NOT NULL,
	"text_body" text NOT NULL,
	"html_body" text,
	"headers" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone,
	"message_id" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"failed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS "mail_outbox_dedupe_key" ON "mail_outbox" USING btree ("dedupe_key");
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "mail_outbox_created_idx" ON "mail_outbox" USING btree ("created_at");
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "ideas" (
	"id" text PRIMARY KEY NOT NULL,
	"title" text NOT NULL,
	"problem" text NOT NULL,
	"proposal" text NOT NULL,
	"service_area" text,
	"origin" text NOT NULL,
	"moderation" text NOT NULL,
	"state" text DEFAULT 'mottatt' NOT NULL,
	"challenge_id" text,
	"project_id" text,
	"merged_into" text,
	"submitter_name" text,
	"submitter_email" text,
	"show_name" boolean DEFAULT false NOT NULL,
	"submitter_account_id" text,
	"from_municipality" text,
	"activity_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"answered_at" timestamp with time zone,
	"project_at" timestamp with time zone,
	"in_use_at" timestamp with time zone,
	"personal_erased_at" timestamp with time zone
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "ideas_created_idx" ON "ideas" USING btree ("created_at");
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "ideas_challenge_idx" ON "ideas" USING btree ("challenge_id");
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "ideas_project_idx" ON "ideas" USING btree ("project_id");
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "ideas_activity_idx" ON "ideas" USING btree ("activity_id");
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "idea_state_changes" (
	"id" text PRIMARY KEY NOT NULL,
	"idea_id" text NOT NULL REFERENCES "ideas"("id") ON DELETE cascade,
	"state" text NOT NULL,
	"reason" text NOT NULL,
	"project_id" text,
	"changed_by" text NOT NULL,
	"changed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "idea_state_changes_idea_idx" ON "idea_state_changes" USING btree ("idea_id", "changed_at");
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "challenges" (
	"id" text PRIMARY KEY NOT NULL,
	"title" text NOT NULL,
	"problem" text NOT NULL,
	"eligibility" text NOT NULL,
	"opens_at" timestamp with time zone NOT NULL,
	"closes_at" timestamp with time zone NOT NULL,
	"criteria" jsonb NOT NULL,
	"prizes" text DEFAULT '' NOT NULL,
	"scale_max" integer DEFAULT 5 NOT NULL,
	"open_to_others" boolean DEFAULT false NOT NULL,
	"winners_announced_at" timestamp with time zone,
	"winners_note" text,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "challenges_period" CHECK ("closes_at" > "opens_at"),
	CONSTRAINT "challenges_scale" CHECK ("scale_max" between 2 and 10)
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "challenge_jury" (
	"challenge_id" text NOT NULL REFERENCES "challenges"("id") ON DELETE cascade,
	"account_id" text NOT NULL,
	CONSTRAINT "challenge_jury_pk" PRIMARY KEY ("challenge_id", "account_id")
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "challenge_scores" (
	"challenge_id" text NOT NULL REFERENCES "challenges"("id") ON DELETE cascade,
	"idea_id" text NOT NULL REFERENCES "ideas"("id") ON DELETE cascade,
	"account_id" text NOT NULL,
	"criterion" integer NOT NULL,
	"score" integer NOT NULL,
	"scored_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "challenge_scores_pk" PRIMARY KEY ("idea_id", "account_id", "criterion"),
	CONSTRAINT "challenge_scores_positive" CHECK ("score" >= 1)
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "challenge_winners" (
	"challenge_id" text NOT NULL REFERENCES "challenges"("id") ON DELETE cascade,
	"idea_id" text NOT NULL REFERENCES "ideas"("id") ON DELETE cascade,
	"rank" integer NOT NULL,
	CONSTRAINT "challenge_winners_pk" PRIMARY KEY ("challenge_id", "idea_id")
);
