-- What pages show from the search index (Lignende prosjekter) changes when the
-- index does, which can be after the project row changed. Work leaves the
-- search queue once the backend has it, so that moves the content version too:
-- cached pages and fragments keyed by it are never older than the index.
CREATE TRIGGER search_queue_content_version AFTER DELETE OR TRUNCATE ON "search_queue"
  FOR EACH STATEMENT EXECUTE FUNCTION kominn_bump_content_version();
