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
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "project_revisions" ADD CONSTRAINT "project_revisions_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "project_revisions" ADD CONSTRAINT "project_revisions_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "projects" ADD CONSTRAINT "projects_municipality_id_municipalities_id_fk" FOREIGN KEY ("municipality_id") REFERENCES "public"."municipalities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "accounts_email_key" ON "accounts" USING btree ("email");--> statement-breakpoint
CREATE UNIQUE INDEX "api_tokens_hash_key" ON "api_tokens" USING btree ("token_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "municipalities_actor_url_key" ON "municipalities" USING btree ("actor_url");--> statement-breakpoint
CREATE UNIQUE INDEX "municipalities_one_local_key" ON "municipalities" USING btree ("local") WHERE "municipalities"."local";--> statement-breakpoint
CREATE INDEX "project_revisions_project_idx" ON "project_revisions" USING btree ("project_id","at" DESC NULLS LAST);--> statement-breakpoint
CREATE UNIQUE INDEX "projects_url_key" ON "projects" USING btree ("url");--> statement-breakpoint
CREATE UNIQUE INDEX "projects_local_slug_key" ON "projects" USING btree ("slug") WHERE "projects"."local";--> statement-breakpoint
CREATE INDEX "projects_listing_idx" ON "projects" USING btree ("published","updated_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "projects_published_at_idx" ON "projects" USING btree ("published","published_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "projects_municipality_idx" ON "projects" USING btree ("municipality_id");--> statement-breakpoint
CREATE INDEX "projects_phase_idx" ON "projects" USING btree ("phase");--> statement-breakpoint
CREATE INDEX "projects_service_areas_idx" ON "projects" USING gin ("service_areas");--> statement-breakpoint
CREATE INDEX "projects_strategic_areas_idx" ON "projects" USING gin ("strategic_areas");--> statement-breakpoint
CREATE INDEX "sessions_account_idx" ON "sessions" USING btree ("account_id");