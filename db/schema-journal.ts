import { bigint, bigserial, index, jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";

const at = (name: string) => timestamp(name, { withTimezone: true });

/**
 * The journal of domain events (db/journal.ts): each appended in the
 * transaction of the change it records, in commit order, and read by the
 * subscribers in server/subscribers.ts.
 */
export const domainEvents = pgTable(
  "domain_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    name: text("name").notNull(),
    payload: jsonb("payload").notNull(),
    createdAt: at("created_at").notNull().defaultNow(),
  },
  (t) => [index("domain_events_created_idx").on(t.createdAt)],
);

/** Each subscriber's last acknowledged event: it has seen every event up to and including `position`. */
export const eventPositions = pgTable("event_positions", {
  subscriber: text("subscriber").primaryKey(),
  position: bigint("position", { mode: "number" }).notNull().default(0),
  updatedAt: at("updated_at").notNull().defaultNow(),
});
