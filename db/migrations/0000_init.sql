-- pg_trgm backs the "Mente du …?" suggestions (search_terms_trgm_idx); PGlite loads it through db/client.ts.
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
CREATE SEQUENCE "public"."content_version" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
CREATE TABLE "peer_status" (
	"actor_url" text PRIMARY KEY NOT NULL,
	"unreachable_since" timestamp with time zone,
	"last_checked_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_error" text DEFAULT '' NOT NULL
);
--> statement-breakpoint
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
CREATE TABLE "account_identities" (
	"issuer" text NOT NULL,
	"subject" text NOT NULL,
	"account_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_sign_in_at" timestamp with time zone,
	CONSTRAINT "account_identities_issuer_subject_pk" PRIMARY KEY("issuer","subject")
);
--> statement-breakpoint
CREATE TABLE "search_documents" (
	"id" text PRIMARY KEY NOT NULL,
	"url" text NOT NULL,
	"title" text NOT NULL,
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
CREATE TABLE "accounts" (
	"id" text PRIMARY KEY NOT NULL,
	"email" text NOT NULL,
	"name" text NOT NULL,
	"password_hash" text,
	"role" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_login_at" timestamp with time zone,
	"disabled_at" timestamp with time zone,
	CONSTRAINT "accounts_role_check" CHECK ("accounts"."role" in ('admin', 'editor'))
);
--> statement-breakpoint
CREATE TABLE "api_tokens" (
	"id" text PRIMARY KEY NOT NULL,
	"account_id" text NOT NULL,
	"name" text NOT NULL,
	"token_hash" text NOT NULL,
	"prefix" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "collaboration_requests" (
	"id" text PRIMARY KEY NOT NULL,
	"project_id" text NOT NULL,
	"activity_id" text,
	"from_actor_url" text NOT NULL,
	"from_municipality_name" text NOT NULL,
	"message" text NOT NULL,
	"contact_name" text NOT NULL,
	"contact_email" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"decided_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decided_at" timestamp with time zone,
	CONSTRAINT "collaboration_requests_status_check" CHECK ("collaboration_requests"."status" in ('pending', 'accepted', 'declined'))
);
--> statement-breakpoint
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
CREATE TABLE "municipalities" (
	"id" text PRIMARY KEY NOT NULL,
	"local" boolean DEFAULT false NOT NULL,
	"actor_url" text NOT NULL,
	"handle" text NOT NULL,
	"domain" text NOT NULL,
	"name" text NOT NULL,
	"kommunenummer" text,
	"fylke" text,
	"region" text,
	"website" text,
	"logo_url" text,
	"description" text DEFAULT '' NOT NULL,
	"strategic_areas" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"inbox_url" text,
	"shared_inbox_url" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "project_revisions" (
	"id" serial PRIMARY KEY NOT NULL,
	"project_id" text NOT NULL,
	"account_id" text,
	"actor_name" text NOT NULL,
	"action" text NOT NULL,
	"changed_fields" text[] DEFAULT '{}'::text[] NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "projects" (
	"id" text PRIMARY KEY NOT NULL,
	"slug" text NOT NULL,
	"url" text NOT NULL,
	"local" boolean NOT NULL,
	"municipality_id" text NOT NULL,
	"published" boolean DEFAULT false NOT NULL,
	"published_at" timestamp with time zone,
	"title" text NOT NULL,
	"summary" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"description_html" text DEFAULT '' NOT NULL,
	"floke" text DEFAULT '' NOT NULL,
	"behov" text DEFAULT '' NOT NULL,
	"phase" text NOT NULL,
	"n3_stage" text,
	"innovation_types" text[] DEFAULT '{}'::text[] NOT NULL,
	"scale" text,
	"service_areas" text[] DEFAULT '{}'::text[] NOT NULL,
	"strategic_areas" text[] DEFAULT '{}'::text[] NOT NULL,
	"municipal_roles" text[] DEFAULT '{}'::text[] NOT NULL,
	"planned_benefits" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"realised_benefits" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"partners" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"funding" text[] DEFAULT '{}'::text[] NOT NULL,
	"methods" text[] DEFAULT '{}'::text[] NOT NULL,
	"contacts" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"lessons" text DEFAULT '' NOT NULL,
	"lessons_failed" text DEFAULT '' NOT NULL,
	"risk" text DEFAULT '' NOT NULL,
	"cost" text DEFAULT '' NOT NULL,
	"seeking_partners" boolean DEFAULT false NOT NULL,
	"start_date" text,
	"end_date" text,
	"imitation_of" text,
	"adaptation" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"id" text PRIMARY KEY NOT NULL,
	"account_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "settings" (
	"key" text PRIMARY KEY NOT NULL,
	"value" jsonb NOT NULL
);
--> statement-breakpoint
ALTER TABLE "account_identities" ADD CONSTRAINT "account_identities_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "collaboration_requests" ADD CONSTRAINT "collaboration_requests_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "project_revisions" ADD CONSTRAINT "project_revisions_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "project_revisions" ADD CONSTRAINT "project_revisions_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "projects" ADD CONSTRAINT "projects_municipality_id_municipalities_id_fk" FOREIGN KEY ("municipality_id") REFERENCES "public"."municipalities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "fedify_kv_expires_idx" ON "fedify_kv" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "fedify_queue_ready_idx" ON "fedify_queue" USING btree ("run_at","id");--> statement-breakpoint
CREATE INDEX "fedify_queue_ordering_idx" ON "fedify_queue" USING btree ("ordering_key","id");--> statement-breakpoint
CREATE UNIQUE INDEX "followers_actor_key" ON "followers" USING btree ("actor_url");--> statement-breakpoint
CREATE UNIQUE INDEX "follows_target_key" ON "follows" USING btree ("target_actor_url");--> statement-breakpoint
CREATE UNIQUE INDEX "follows_activity_key" ON "follows" USING btree ("follow_activity_id");--> statement-breakpoint
CREATE INDEX "processed_activities_at_idx" ON "processed_activities" USING btree ("processed_at");--> statement-breakpoint
CREATE INDEX "account_identities_account_idx" ON "account_identities" USING btree ("account_id");--> statement-breakpoint
CREATE INDEX "search_documents_tsv_idx" ON "search_documents" USING gin ("tsv");--> statement-breakpoint
CREATE INDEX "search_documents_practice_idx" ON "search_documents" USING btree ("practice_score" DESC NULLS LAST,"updated_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "search_documents_fylke_idx" ON "search_documents" USING btree ("fylke");--> statement-breakpoint
CREATE INDEX "search_documents_municipality_idx" ON "search_documents" USING btree ("municipality_key");--> statement-breakpoint
CREATE INDEX "search_documents_regions_idx" ON "search_documents" USING gin ("regions");--> statement-breakpoint
CREATE INDEX "search_queue_due_idx" ON "search_queue" USING btree ("next_attempt_at");--> statement-breakpoint
CREATE INDEX "search_terms_trgm_idx" ON "search_terms" USING gin ("word" gin_trgm_ops);--> statement-breakpoint
CREATE UNIQUE INDEX "accounts_email_key" ON "accounts" USING btree ("email");--> statement-breakpoint
CREATE UNIQUE INDEX "api_tokens_hash_key" ON "api_tokens" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "collaboration_requests_project_idx" ON "collaboration_requests" USING btree ("project_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE UNIQUE INDEX "collaboration_requests_activity_key" ON "collaboration_requests" USING btree ("activity_id");--> statement-breakpoint
CREATE INDEX "imitation_links_original_idx" ON "imitation_links" USING btree ("original_url");--> statement-breakpoint
CREATE UNIQUE INDEX "municipalities_actor_url_key" ON "municipalities" USING btree ("actor_url");--> statement-breakpoint
CREATE UNIQUE INDEX "municipalities_one_local_key" ON "municipalities" USING btree ("local") WHERE "municipalities"."local";--> statement-breakpoint
CREATE INDEX "project_revisions_project_idx" ON "project_revisions" USING btree ("project_id","at" DESC NULLS LAST);--> statement-breakpoint
CREATE UNIQUE INDEX "projects_url_key" ON "projects" USING btree ("url");--> statement-breakpoint
CREATE UNIQUE INDEX "projects_local_slug_key" ON "projects" USING btree ("slug") WHERE "projects"."local";--> statement-breakpoint
CREATE INDEX "projects_public_updated_idx" ON "projects" USING btree ("updated_at" DESC NULLS LAST,"id" DESC NULLS LAST) WHERE "projects"."published";--> statement-breakpoint
CREATE INDEX "projects_public_newest_idx" ON "projects" USING btree ("published_at" DESC NULLS LAST,"id" DESC NULLS LAST) WHERE "projects"."published";--> statement-breakpoint
CREATE INDEX "projects_all_updated_idx" ON "projects" USING btree ("updated_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "projects_municipality_idx" ON "projects" USING btree ("municipality_id");--> statement-breakpoint
CREATE INDEX "projects_phase_idx" ON "projects" USING btree ("phase");--> statement-breakpoint
CREATE INDEX "projects_service_areas_idx" ON "projects" USING gin ("service_areas");--> statement-breakpoint
CREATE INDEX "projects_strategic_areas_idx" ON "projects" USING gin ("strategic_areas");--> statement-breakpoint
CREATE INDEX "projects_imitation_of_idx" ON "projects" USING btree ("imitation_of");--> statement-breakpoint
CREATE INDEX "sessions_account_idx" ON "sessions" USING btree ("account_id");