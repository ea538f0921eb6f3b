CREATE EXTENSION IF NOT EXISTS pg_trgm;
--> statement-breakpoint
CREATE TABLE "search_documents" (
	"id" text PRIMARY KEY NOT NULL,
	"url" text NOT NULL,
	"title" text NOT NULL,
	"summary" text NOT NULL,
	"floke" text NOT NULL,
	"behov" text NOT NULL,
	"description" text NOT NULL,
	"lessons" text NOT NULL,
	"municipality_name" text NOT NULL,
	"municipality_handle" text NOT NULL,
	"kommunenummer" text,
	"municipality_key" text NOT NULL,
	"fylke" text,
	"regions" text[] DEFAULT '{}'::text[] NOT NULL,
	"phase" text NOT NULL,
	"innovation_types" text[] DEFAULT '{}'::text[] NOT NULL,
	"scale" text,
	"n3_stage" text,
	"service_areas" text[] DEFAULT '{}'::text[] NOT NULL,
	"methods" text[] DEFAULT '{}'::text[] NOT NULL,
	"seeking_partners" boolean NOT NULL,
	"imitation_count" integer DEFAULT 0 NOT NULL,
	"has_realised_benefits" boolean NOT NULL,
	"practice_score" real NOT NULL,
	"local" boolean NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"indexed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"tsv" "tsvector" NOT NULL
);
--> statement-breakpoint
CREATE TABLE "search_queue" (
	"project_id" text PRIMARY KEY NOT NULL,
	"queued_at" timestamp with time zone DEFAULT now() NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_error" text
);
--> statement-breakpoint
CREATE TABLE "search_terms" (
	"word" text PRIMARY KEY NOT NULL,
	"display" text NOT NULL,
	"doc_count" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE INDEX "search_documents_tsv_idx" ON "search_documents" USING gin ("tsv");--> statement-breakpoint
CREATE INDEX "search_documents_practice_idx" ON "search_documents" USING btree ("practice_score" DESC NULLS LAST,"updated_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "search_documents_fylke_idx" ON "search_documents" USING btree ("fylke");--> statement-breakpoint
CREATE INDEX "search_documents_municipality_idx" ON "search_documents" USING btree ("municipality_key");--> statement-breakpoint
CREATE INDEX "search_documents_regions_idx" ON "search_documents" USING gin ("regions");--> statement-breakpoint
CREATE INDEX "search_queue_due_idx" ON "search_queue" USING btree ("next_attempt_at");--> statement-breakpoint
CREATE INDEX "search_terms_trgm_idx" ON "search_terms" USING gin ("word" gin_trgm_ops);