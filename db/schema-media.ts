import { sql } from "drizzle-orm";
import { check, index, integer, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { projects } from "./schema.ts";

export const mediaKinds = ["image", "document", "link"] as const;
export type MediaKind = (typeof mediaKinds)[number];

/** The instance actor's own pictures: its icon (logo, coat of arms) and its header. */
export const profileSlots = ["icon", "header"] as const;
export type ProfileSlot = (typeof profileSlots)[number];

/**
 * Pictures, documents and video links: a project's attachments, or one of the
 * instance actor's pictures (`slot`). A file lives in the media directory
 * under a content-hashed name; a row is written only after its file, and a
 * file is removed only after its last row (services/media.ts), so no row ever
 * names a missing file.
 */
export const media = pgTable(
  "media",
  {
    id: text("id").primaryKey(),
    projectId: text("project_id").references(() => projects.id, { onDelete: "cascade" }),
    slot: text("slot").$type<ProfileSlot>(),
    kind: text("kind").$type<MediaKind>().notNull(),
    /** `<sha256>.<ext>` in the media directory; null for a link. */
    fileName: text("file_name"),
    mediaType: text("media_type"),
    width: integer("width"),
    height: integer("height"),
    byteSize: integer("byte_size"),
    /** Alt text of an image; title of a document or a link. */
    name: text("name").notNull().default(""),
    /** A link's target (a video of the practice). */
    href: text("href"),
    position: integer("position").notNull().default(0),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("media_project_idx").on(t.projectId, t.position),
    index("media_file_name_idx").on(t.fileName),
    uniqueIndex("media_slot_key").on(t.slot).where(sql`${t.slot} is not null`),
    check("media_kind_check", sql`${t.kind} in ('image', 'document', 'link')`),
    check("media_file_check", sql`(${t.kind} = 'link') = (${t.fileName} is null)`),
    check("media_owner_check", sql`(${t.projectId} is null) <> (${t.slot} is null)`),
  ],
);

export type MediaRow = typeof media.$inferSelect;
export type NewMediaRow = typeof media.$inferInsert;

/** Projects an administrator pins to the actor's `featured` collection, in order. */
export const featuredProjects = pgTable("featured_projects", {
  projectId: text("project_id")
    .primaryKey()
    .references(() => projects.id, { onDelete: "cascade" }),
  position: integer("position").notNull().default(0),
  pinnedAt: timestamp("pinned_at", { withTimezone: true }).notNull().defaultNow(),
});
