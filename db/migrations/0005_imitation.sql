CREATE TABLE "imitation_links" (
	"copy_url" text PRIMARY KEY NOT NULL,
	"original_url" text NOT NULL,
	"copy_title" text NOT NULL,
	"copy_phase" text NOT NULL,
	"copy_municipality_actor_url" text NOT NULL,
	"copy_municipality_name" text NOT NULL,
	"copy_kommunenummer" text,
	"copy_fylke" text,
	"copy_realised_benefits" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"copy_lessons" text DEFAULT '' NOT NULL,
	"copy_lessons_failed" text DEFAULT '' NOT NULL,
	"copy_adaptation" text DEFAULT '' NOT NULL,
	"original_title" text DEFAULT '' NOT NULL,
	"original_municipality_name" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "imitation_links_not_self" CHECK ("imitation_links"."copy_url" <> "imitation_links"."original_url")
);
--> statement-breakpoint
ALTER TABLE "projects" ADD COLUMN "imitation_of" text;--> statement-breakpoint
ALTER TABLE "projects" ADD COLUMN "adaptation" text DEFAULT '' NOT NULL;--> statement-breakpoint
CREATE INDEX "imitation_links_original_idx" ON "imitation_links" USING btree ("original_url");--> statement-breakpoint
CREATE INDEX "projects_imitation_of_idx" ON "projects" USING btree ("imitation_of");