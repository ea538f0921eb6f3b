CREATE TABLE "gone_projects" (
	"url" text PRIMARY KEY NOT NULL,
	"slug" text NOT NULL,
	"title" text NOT NULL,
	"deleted_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "overview_contributions" (
	"project_id" text PRIMARY KEY NOT NULL,
	"municipality_id" text NOT NULL,
	"keys" text[] NOT NULL
);
--> statement-breakpoint
CREATE TABLE "overview_counts" (
	"municipality_id" text NOT NULL,
	"key" text NOT NULL,
	"n" integer NOT NULL,
	CONSTRAINT "overview_counts_municipality_id_key_pk" PRIMARY KEY("municipality_id","key")
);
--> statement-breakpoint
ALTER TABLE "overview_contributions" ADD CONSTRAINT "overview_contributions_municipality_id_municipalities_id_fk" FOREIGN KEY ("municipality_id") REFERENCES "public"."municipalities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "overview_counts" ADD CONSTRAINT "overview_counts_municipality_id_municipalities_id_fk" FOREIGN KEY ("municipality_id") REFERENCES "public"."municipalities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "gone_projects_slug_idx" ON "gone_projects" USING btree ("slug");--> statement-breakpoint
-- Fill the counters from the projects already stored (db/overview-counters.ts
-- keeps them current from here on; `kominn reindex` rebuilds them).
INSERT INTO "overview_contributions" ("project_id", "municipality_id", "keys")
SELECT p.id, p.municipality_id, array_remove(
    array['t', 'p:' || p.phase,
          CASE WHEN p.imitation_of IS NOT NULL THEN 'i' END,
          CASE WHEN p.seeking_partners THEN 's' END,
          'q:' || to_char(date_trunc('quarter', p.published_at), 'YYYY-"K"Q'),
          CASE WHEN p.imitation_of IS NOT NULL THEN 'qi:' || to_char(date_trunc('quarter', p.published_at), 'YYYY-"K"Q') END]
    || array(SELECT 'a:' || a FROM unnest(p.service_areas) a)
    || array(SELECT 'y:' || t FROM unnest(p.innovation_types) t),
    NULL)
FROM "projects" p JOIN "municipalities" m ON m.id = p.municipality_id
WHERE p.published;
--> statement-breakpoint
INSERT INTO "overview_counts" ("municipality_id", "key", "n")
SELECT c.municipality_id, k, count(*)::int FROM "overview_contributions" c CROSS JOIN LATERAL unnest(c.keys) k GROUP BY 1, 2;
--> statement-breakpoint
INSERT INTO "event_positions" ("subscriber", "position") SELECT 'overview', coalesce(max(id), 0) FROM "domain_events"
ON CONFLICT ("subscriber") DO UPDATE SET "position" = excluded."position";
