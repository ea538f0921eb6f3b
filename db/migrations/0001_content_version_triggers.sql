-- Every statement that changes what public pages and statistics are derived
-- from advances the content_version sequence. Statement-level, so a bulk
-- insert of thousands of rows costs one step; a sequence, so it takes no lock.
CREATE OR REPLACE FUNCTION kominn_bump_content_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM nextval('content_version');
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER projects_content_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "projects"
  FOR EACH STATEMENT EXECUTE FUNCTION kominn_bump_content_version();
--> statement-breakpoint
CREATE TRIGGER imitation_links_content_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "imitation_links"
  FOR EACH STATEMENT EXECUTE FUNCTION kominn_bump_content_version();
--> statement-breakpoint
CREATE TRIGGER municipalities_content_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "municipalities"
  FOR EACH STATEMENT EXECUTE FUNCTION kominn_bump_content_version();
