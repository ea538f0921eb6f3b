-- Search ranking reads every match's tsvector several times (ts_rank and the per-word tests), and each
-- read of a compressed value decompresses it again: at 100,000 projects about half the time of a broad
-- search. A row of the search index now stays uncompressed in its page up to the largest row a page
-- holds; a longer one is compressed with lz4 where the server has it (PostgreSQL built with lz4; PGlite
-- keeps pglz). Rows written before this keep their old form until `kominn reindex` rewrites them.
ALTER TABLE "search_documents" SET (toast_tuple_target = 8160);--> statement-breakpoint
DO $$
BEGIN
  ALTER TABLE "search_documents" ALTER COLUMN "tsv" SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported OR invalid_parameter_value THEN
  NULL;
END
$$;
