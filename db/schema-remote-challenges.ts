import { index, jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import type { ChallengeCriterion } from "../core/ideas.ts";

const at = (name: string) => timestamp(name, { withTimezone: true });

/**
 * Idea competitions another municipality opened to others, as received from
 * the municipalities we follow (federation/inbox/challenge-received.ts). Our
 * staff send ideas to them; the owner keeps the ideas, we keep nothing of them.
 */
export const remoteChallenges = pgTable(
  "remote_challenges",
  {
    id: text("id").primaryKey(),
    /** The challenge's ActivityPub id (its page at the owner). */
    url: text("url").notNull().unique(),
    actorUrl: text("actor_url").notNull(),
    municipalityName: text("municipality_name").notNull(),
    title: text("title").notNull(),
    /** Markdown, rendered here (never the owner's HTML). */
    problem: text("problem").notNull(),
    eligibility: text("eligibility").notNull().default(""),
    prizes: text("prizes").notNull().default(""),
    criteria: jsonb("criteria").$type<ChallengeCriterion[]>().notNull(),
    opensAt: at("opens_at").notNull(),
    closesAt: at("closes_at").notNull(),
    updatedAt: at("updated_at").notNull(),
  },
  (t) => [index("remote_challenges_closes_idx").on(t.closesAt)],
);

export type RemoteChallengeRow = typeof remoteChallenges.$inferSelect;
