import { index, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/**
 * Projects of this instance that were deleted after being published: their
 * URL (also their ActivityPub id) answers 410 Gone with a Tombstone, and a
 * page that says so, rather than 404. Unpublished projects are not here: they
 * may come back.
 */
export const goneProjects = pgTable(
  "gone_projects",
  {
    url: text("url").primaryKey(),
    slug: text("slug").notNull(),
    title: text("title").notNull(),
    deletedAt: timestamp("deleted_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("gone_projects_slug_idx").on(t.slug)],
);

export type GoneProject = typeof goneProjects.$inferSelect;
