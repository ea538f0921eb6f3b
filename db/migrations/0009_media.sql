-- Project attachments, the actor's icon and header (db/schema-media.ts), and
-- the projects pinned to the actor's featured collection.
CREATE TABLE IF NOT EXISTS "media" (
	"id" text PRIMARY KEY NOT NULL,
	"project_id" text REFERENCES "projects"("id") ON DELETE CASCADE,
	"slot" text,
	"kind" text NOT NULL,
	"file_name" text,
	"media_type" text,
	"width" integer,
	"height" integer,
	"byte_size" integer,
	"name" text DEFAULT '' NOT NULL,
	"href" text,
	"position" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "media_kind_check" CHECK ("kind" in ('image', 'document', 'link')),
	CONSTRAINT "media_file_check" CHECK (("kind" = 'link') = ("file_name" is null)),
	CONSTRAINT "media_owner_check" CHECK (("project_id" is null) <> ("slot" is null))
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "media_project_idx" ON "media" USING btree ("project_id", "position");
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "media_file_name_idx" ON "media" USING btree ("file_name");
--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS "media_slot_key" ON "media" USING btree ("slot") WHERE "slot" is not null;
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "featured_projects" (
	"project_id" text PRIMARY KEY NOT NULL REFERENCES "projects"("id") ON DELETE CASCADE,
	"position" integer DEFAULT 0 NOT NULL,
	"pinned_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
-- Pictures and pins show on public pages: a change moves the content version (0001).
CREATE OR REPLACE TRIGGER media_content_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "media"
  FOR EACH STATEMENT EXECUTE FUNCTION kominn_bump_content_version();
--> statement-breakpoint
CREATE OR REPLACE TRIGGER featured_projects_content_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "featured_projects"
  FOR EACH STATEMENT EXECUTE FUNCTION kominn_bump_content_version();
