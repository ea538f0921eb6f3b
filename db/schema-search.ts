import { sql } from "drizzle-orm";
import {
  boolean,
  customType,
  index,
  integer,
  pgTable,
  real,
  text,
  timestamp,
} from "drizzle-orm/pg-core";

const tsvector = customType<{ data: string }>({ dataType: () => "tsvector" });

/**
 * The PostgreSQL search index: one row per public project the instance knows
 * (local and remote). Filled only by search/indexer.ts; `tsv` holds the folded,
 * decompounded text stemmed with the `norwegian` configuration. Kept narrow
 * (the long texts stay in `projects`) so a broad match reads few pages.
 */
export const searchDocuments = pgTable(
  "search_documents",
  {
    id: text("id").primaryKey(),
    url: text("url").notNull(),
    title: text("title").notNull(),
    municipalityName: text("municipality_name").notNull(),
    municipalityHandle: text("municipality_handle").notNull(),
    kommunenummer: text("kommunenummer"),
    /** Facet value of the municipality: its kommunenummer, else its handle. */
    municipalityKey: text("municipality_key").notNull(),
    fylke: text("fylke"),
    regions: text("regions").array().notNull().default(sql`'{}'::text[]`),
    phase: text("phase").notNull(),
    innovationTypes: text("innovation_types").array().notNull().default(sql`'{}'::text[]`),
    scale: text("scale"),
    n3Stage: text("n3_stage"),
    serviceAreas: text("service_areas").array().notNull().default(sql`'{}'::text[]`),
    methods: text("methods").array().notNull().default(sql`'{}'::text[]`),
    seekingPartners: boolean("seeking_partners").notNull(),
    imitationCount: integer("imitation_count").notNull().default(0),
    hasRealisedBenefits: boolean("has_realised_benefits").notNull(),
    practiceScore: real("practice_score").notNull(),
    local: boolean("local").notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
    indexedAt: timestamp("indexed_at", { withTimezone: true }).notNull().defaultNow(),
    tsv: tsvector("tsv").notNull(),
  },
  (t) => [
    index("search_documents_tsv_idx").using("gin", t.tsv),
    // Exactly the browse order (`desc` is nulls first; id breaks ties), so a page without words reads only its own rows.
    index("search_documents_practice_idx").on(t.practiceScore.desc().nullsFirst(), t.updatedAt.desc().nullsFirst(), t.id),
    index("search_documents_fylke_idx").on(t.fylke),
    index("search_documents_municipality_idx").on(t.municipalityKey),
    index("search_documents_regions_idx").using("gin", t.regions),
    // The filtered facets, so a filter and the words are intersected in the indexes before any row is read (migration 0025).
    index("search_documents_service_areas_idx").using("gin", t.serviceAreas),
    index("search_documents_methods_idx").using("gin", t.methods),
    index("search_documents_innovation_types_idx").using("gin", t.innovationTypes),
    index("search_documents_phase_idx").on(t.phase),
  ],
);

/**
 * Words seen in indexed documents, for "Mente du …?" suggestions by trigram
 * similarity. `word` is folded; `display` keeps the spelling people wrote.
 */
export const searchTerms = pgTable(
  "search_terms",
  {
    word: text("word").primaryKey(),
    display: text("display").notNull(),
    docCount: integer("doc_count").notNull().default(0),
  },
  (t) => [index("search_terms_trgm_idx").using("gin", t.word.op("gin_trgm_ops"))],
);

/**
 * Index work not yet done: a project id whose current state must reach the
 * search backend. Written on every change, removed once the backend has it;
 * a backend that is down leaves the row for a later attempt.
 */
export const searchQueue = pgTable(
  "search_queue",
  {
    projectId: text("project_id").primaryKey(),
    queuedAt: timestamp("queued_at", { withTimezone: true }).notNull().defaultNow(),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }).notNull().defaultNow(),
    lastError: text("last_error"),
  },
  (t) => [index("search_queue_due_idx").on(t.nextAttemptAt)],
);

export type SearchDocumentRow = typeof searchDocuments.$inferSelect;
