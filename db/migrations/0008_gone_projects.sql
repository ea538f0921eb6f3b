-- Deleted projects whose URL answers 410 Gone (db/schema-gone.ts). IF NOT
-- EXISTS: a migration generated beside this one may already create the table.
CREATE TABLE IF NOT EXISTS "gone_projects" (
	"url" text PRIMARY KEY NOT NULL,
	"slug" text NOT NULL,
	"title" text NOT NULL,
	"deleted_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "gone_projects_slug_idx" ON "gone_projects" USING btree ("slug");
