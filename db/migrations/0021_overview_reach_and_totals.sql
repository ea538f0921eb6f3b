-- The overview after a change read every counter row (14,147 at 10,000 projects, more rows than projects)
-- and grouped every imitation link for "Mest imiterte": 25 ms against a 6.5 ms count(*) floor. Two
-- roll-ups, kept by triggers so that every write path keeps them exact (links are also written by the
-- inbox, outside the journal, and a removed municipality's counters go by cascade):
--
-- overview_totals: the national sum of overview_counts per key, moved by the difference of each
-- statement on overview_counts. The national figures read a few hundred rows from here, plus the
-- municipalities' "t" rows for the count per county.
CREATE TABLE "overview_totals" (
	"key" text PRIMARY KEY NOT NULL,
	"n" integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX "overview_counts_key_idx" ON "overview_counts" USING btree ("key");
--> statement-breakpoint
CREATE FUNCTION kominn_overview_totals() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- In key order, so two writers take the rows' locks in the same order.
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    INSERT INTO overview_totals AS t (key, n)
    SELECT key, sum(n)::int FROM new_counts GROUP BY key HAVING sum(n) <> 0 ORDER BY key
    ON CONFLICT (key) DO UPDATE SET n = t.n + excluded.n;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    INSERT INTO overview_totals AS t (key, n)
    SELECT key, -sum(n)::int FROM old_counts GROUP BY key HAVING sum(n) <> 0 ORDER BY key
    ON CONFLICT (key) DO UPDATE SET n = t.n + excluded.n;
  END IF;
  DELETE FROM overview_totals WHERE n = 0;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER overview_counts_totals_insert AFTER INSERT ON "overview_counts"
  REFERENCING NEW TABLE AS new_counts FOR EACH STATEMENT EXECUTE FUNCTION kominn_overview_totals();
--> statement-breakpoint
CREATE TRIGGER overview_counts_totals_update AFTER UPDATE ON "overview_counts"
  REFERENCING OLD TABLE AS old_counts NEW TABLE AS new_counts FOR EACH STATEMENT EXECUTE FUNCTION kominn_overview_totals();
--> statement-breakpoint
CREATE TRIGGER overview_counts_totals_delete AFTER DELETE ON "overview_counts"
  REFERENCING OLD TABLE AS old_counts FOR EACH STATEMENT EXECUTE FUNCTION kominn_overview_totals();
--> statement-breakpoint
INSERT INTO "overview_totals" ("key", "n") SELECT key, sum(n)::int FROM "overview_counts" GROUP BY key HAVING sum(n) <> 0;
--> statement-breakpoint
-- imitation_reach: per imitated original, what "Mest imiterte" ranks by (distinct municipalities and
-- counties among its copies) and the first imitation, recomputed from the original's links whenever
-- one of them changes. The overview reads the top rows from the index instead of grouping every link.
CREATE TABLE "imitation_reach" (
	"original_url" text PRIMARY KEY NOT NULL,
	"municipalities" integer NOT NULL,
	"fylker" integer NOT NULL,
	"first_imitated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "imitation_reach_rank_idx" ON "imitation_reach" USING btree ("municipalities" DESC, "fylker" DESC);
--> statement-breakpoint
CREATE FUNCTION kominn_imitation_reach() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  changed text[];
  locked_url text;
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT array_agg(DISTINCT original_url) INTO changed FROM new_links;
  ELSIF TG_OP = 'DELETE' THEN
    SELECT array_agg(DISTINCT original_url) INTO changed FROM old_links;
  ELSE
    SELECT array_agg(DISTINCT u) INTO changed
    FROM (SELECT original_url AS u FROM old_links UNION SELECT original_url FROM new_links) c;
  END IF;
  IF changed IS NULL THEN RETURN NULL; END IF;
  -- One writer per original at a time (in a fixed order), and each count below sees what the one
  -- before it committed: two copies of one original linked at once both count.
  FOR locked_url IN SELECT u FROM unnest(changed) AS u ORDER BY u LOOP
    PERFORM pg_advisory_xact_lock(1801, hashtext(locked_url));
  END LOOP;
  DELETE FROM imitation_reach WHERE original_url = ANY (changed);
  INSERT INTO imitation_reach (original_url, municipalities, fylker, first_imitated_at)
  SELECT original_url, count(DISTINCT copy_municipality_actor_url)::int,
         count(DISTINCT coalesce(copy_fylke, copy_municipality_actor_url))::int, min(created_at)
  FROM imitation_links WHERE original_url = ANY (changed) GROUP BY original_url;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER imitation_links_reach_insert AFTER INSERT ON "imitation_links"
  REFERENCING NEW TABLE AS new_links FOR EACH STATEMENT EXECUTE FUNCTION kominn_imitation_reach();
--> statement-breakpoint
CREATE TRIGGER imitation_links_reach_update AFTER UPDATE ON "imitation_links"
  REFERENCING OLD TABLE AS old_links NEW TABLE AS new_links FOR EACH STATEMENT EXECUTE FUNCTION kominn_imitation_reach();
--> statement-breakpoint
CREATE TRIGGER imitation_links_reach_delete AFTER DELETE ON "imitation_links"
  REFERENCING OLD TABLE AS old_links FOR EACH STATEMENT EXECUTE FUNCTION kominn_imitation_reach();
--> statement-breakpoint
INSERT INTO "imitation_reach" ("original_url", "municipalities", "fylker", "first_imitated_at")
SELECT original_url, count(DISTINCT copy_municipality_actor_url)::int,
       count(DISTINCT coalesce(copy_fylke, copy_municipality_actor_url))::int, min(created_at)
FROM "imitation_links" GROUP BY original_url;
