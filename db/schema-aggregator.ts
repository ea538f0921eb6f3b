import { pgTable, text, timestamp } from "drizzle-orm/pg-core";

const at = (name: string) => timestamp(name, { withTimezone: true });

/**
 * The last look at each followed municipality (the national instance checks
 * them now and then): one that cannot be reached is shown as such, its
 * projects kept; one that answers 410 Gone is dropped and has no row.
 */
export const peerStatus = pgTable("peer_status", {
  actorUrl: text("actor_url").primaryKey(),
  /** Since when every check has failed; null while it answers. */
  unreachableSince: at("unreachable_since"),
  lastCheckedAt: at("last_checked_at").notNull().defaultNow(),
  lastError: text("last_error").notNull().default(""),
});

export type PeerStatus = typeof peerStatus.$inferSelect;
