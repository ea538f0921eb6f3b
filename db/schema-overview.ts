import { integer, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
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
  (t) => [primaryKey({ columns: [t.municipalityId, t.key] })],
);

/** The keys each published project counts under, so a change subtracts exactly what was added. */
export const overviewContributions = pgTable("overview_contributions", {
  projectId: text("project_id").primaryKey(),
  municipalityId: text("municipality_id")
    .notNull()
    .references(() => municipalities.id, { onDelete: "cascade" }),
  keys: text("keys").array().notNull(),
});
