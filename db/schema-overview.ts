import { index, integer, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";
import { municipalities } from "./schema.ts";

/**
 * The overview's counters (db/overview-counters.ts), kept current by the
 * journal's `overview` subscriber: per municipality, how many published
 * projects count under each key ("t" all, "i" imitations, "s" seeking
 * partners, "p:<phase>", "a:<service area>", "y:<innovation type>",
 * "q:<quarter>" and "qi:<quarter>"). Keyed by municipality so a county or
 * region filter, and a municipality's new county, are a join away; a
 * municipality's removal takes its counters with it.
 */
export const overviewCounts = pgTable(
  "overview_counts",
  {
    municipalityId: text("municipality_id")
      .notNull()
      .references(() => municipalities.id, { onDelete: "cascade" }),
    key: text("key").notNull(),
    n: integer("n").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.municipalityId, t.key] }),
    // The national figures read every municipality's "t" row (migration 0021).
    index("overview_counts_key_idx").on(t.key),
  ],
);

/**
 * The national sum of `overview_counts` per key, moved by a trigger on every
 * statement that changes those (migration 0021), a municipality's removal
 * included: the national figures read a few hundred rows instead of every
 * municipality's counters.
 */
export const overviewTotals = pgTable("overview_totals", {
  key: text("key").primaryKey(),
  n: integer("n").notNull(),
});

/**
 * Per imitated original, what "Mest imiterte" ranks by: how many distinct
 * municipalities and counties (a copy without a county counts as its own)
 * imitated it, and when first. Recomputed from the original's links by a
 * trigger on every change to `imitation_links` (migration 0021), whoever
 * writes them (the journal's imitation bookkeeping or the inbox), so it is
 * always what grouping the links would give.
 */
export const imitationReach = pgTable(
  "imitation_reach",
  {
    originalUrl: text("original_url").primaryKey(),
    municipalities: integer("municipalities").notNull(),
    fylker: integer("fylker").notNull(),
    firstImitatedAt: timestamp("first_imitated_at", { withTimezone: true }).notNull(),
  },
  (t) => [index("imitation_reach_rank_idx").on(t.municipalities.desc(), t.fylker.desc())],
);

/** The keys each published project counts under, so a change subtracts exactly what was added. */
export const overviewContributions = pgTable("overview_contributions", {
  projectId: text("project_id").primaryKey(),
  municipalityId: text("municipality_id")
    .notNull()
    .references(() => municipalities.id, { onDelete: "cascade" }),
  keys: text("keys").array().notNull(),
});
