import { sql } from "drizzle-orm";
import { boolean, check, index, integer, jsonb, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";
import type { IdeaOrigin, IdeaState, ModerationState, ChallengeCriterion } from "../core/ideas.ts";

const at = (name: string) => timestamp(name, { withTimezone: true });

/**
 * Improvement proposals from staff and the public, followed up to a decision
 * (services/ideas.ts). Personal data is the three `submitter_*` columns and
 * nothing else; it is never federated, shown only with `show_name`, and
 * erased on request or after the retention period (`personal_erased_at`).
 */
export const ideas = pgTable(
  "ideas",
  {
    id: text("id").primaryKey(),
    title: text("title").notNull(),
    problem: text("problem").notNull(),
    proposal: text("proposal").notNull(),
    serviceArea: text("service_area"),
    origin: text("origin").$type<IdeaOrigin>().notNull(),
    moderation: text("moderation").$type<ModerationState>().notNull(),
    state: text("state").$type<IdeaState>().notNull().default("mottatt"),
    challengeId: text("challenge_id"),
    projectId: text("project_id"),
    /** A duplicate merged into another idea points to it. */
    mergedInto: text("merged_into"),
    submitterName: text("submitter_name"),
    submitterEmail: text("submitter_email"),
    showName: boolean("show_name").notNull().default(false),
    submitterAccountId: text("submitter_account_id"),
    /** For a submission from another municipality's staff: that municipality (never a person). */
    fromMunicipality: text("from_municipality"),
    activityId: text("activity_id"),
    createdAt: at("created_at").notNull().defaultNow(),
    /** First answer (any state after mottatt), became a project, put to use. */
    answeredAt: at("answered_at"),
    projectAt: at("project_at"),
    inUseAt: at("in_use_at"),
    personalErasedAt: at("personal_erased_at"),
  },
  (t) => [
    index("ideas_created_idx").on(t.createdAt),
    index("ideas_challenge_idx").on(t.challengeId),
    index("ideas_project_idx").on(t.projectId),
    index("ideas_activity_idx").on(t.activityId),
  ],
);

/** Each answer staff gave an idea, with its public reason: the history on the idea's page. */
export const ideaStateChanges = pgTable(
  "idea_state_changes",
  {
    id: text("id").primaryKey(),
    ideaId: text("idea_id").notNull().references(() => ideas.id, { onDelete: "cascade" }),
    state: text("state").$type<IdeaState>().notNull(),
    reason: text("reason").notNull(),
    projectId: text("project_id"),
    changedBy: text("changed_by").notNull(),
    changedAt: at("changed_at").notNull().defaultNow(),
  },
  (t) => [index("idea_state_changes_idea_idx").on(t.ideaId, t.changedAt)],
);

/** Idea competitions: a problem, who may take part, a period, criteria and prizes. */
export const challenges = pgTable(
  "challenges",
  {
    id: text("id").primaryKey(),
    title: text("title").notNull(),
    problem: text("problem").notNull(),
    eligibility: text("eligibility").notNull(),
    opensAt: at("opens_at").notNull(),
    closesAt: at("closes_at").notNull(),
    criteria: jsonb("criteria").$type<ChallengeCriterion[]>().notNull(),
    prizes: text("prizes").notNull().default(""),
    /** Jury scores are whole numbers from 1 to this. */
    scaleMax: integer("scale_max").notNull().default(5),
    /** Published to followers over ActivityPub, and open to their staff. */
    openToOthers: boolean("open_to_others").notNull().default(false),
    winnersAnnouncedAt: at("winners_announced_at"),
    winnersNote: text("winners_note"),
    createdBy: text("created_by").notNull(),
    createdAt: at("created_at").notNull().defaultNow(),
  },
  (t) => [
    check("challenges_period", sql`${t.closesAt} > ${t.opensAt}`),
    check("challenges_scale", sql`${t.scaleMax} between 2 and 10`),
  ],
);

export const challengeJury = pgTable(
  "challenge_jury",
  {
    challengeId: text("challenge_id").notNull().references(() => challenges.id, { onDelete: "cascade" }),
    accountId: text("account_id").notNull(),
  },
  (t) => [primaryKey({ columns: [t.challengeId, t.accountId] })],
);

/** One juror's score of one idea on one criterion (by its index in `criteria`). */
export const challengeScores = pgTable(
  "challenge_scores",
  {
    challengeId: text("challenge_id").notNull().references(() => challenges.id, { onDelete: "cascade" }),
    ideaId: text("idea_id").notNull().references(() => ideas.id, { onDelete: "cascade" }),
    accountId: text("account_id").notNull(),
    criterion: integer("criterion").notNull(),
    score: integer("score").notNull(),
    scoredAt: at("scored_at").notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.ideaId, t.accountId, t.criterion] }),
    check("challenge_scores_positive", sql`${t.score} >= 1`),
  ],
);

export const challengeWinners = pgTable(
  "challenge_winners",
  {
    challengeId: text("challenge_id").notNull().references(() => challenges.id, { onDelete: "cascade" }),
    ideaId: text("idea_id").notNull().references(() => ideas.id, { onDelete: "cascade" }),
    rank: integer("rank").notNull(),
  },
  (t) => [primaryKey({ columns: [t.challengeId, t.ideaId] })],
);

export type IdeaRow = typeof ideas.$inferSelect;
export type NewIdeaRow = typeof ideas.$inferInsert;
export type IdeaStateChangeRow = typeof ideaStateChanges.$inferSelect;
export type ChallengeRow = typeof challenges.$inferSelect;
