import { sql } from "drizzle-orm";
import {
  boolean,
  check,
  index,
  pgSequence,
  jsonb,
  pgTable,
  serial,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import type { Benefit, Contact, Partner } from "../core/project.ts";
import type { StrategicArea } from "../core/municipality.ts";
import type { Role } from "../core/rules.ts";

const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();
const updatedAt = () => timestamp("updated_at", { withTimezone: true }).notNull().defaultNow();

/** Instance-wide settings as key → JSON (the cookie secret, federation choices, …). */
export const settings = pgTable("settings", {
  key: text("key").primaryKey(),
  value: jsonb("value").notNull(),
});

/**
 * Every municipality this instance knows: exactly one local row (this
 * instance's own profile) and one row per remote actor it has met.
 */
export const municipalities = pgTable(
  "municipalities",
  {
    id: text("id").primaryKey(),
    local: boolean("local").notNull().default(false),
    actorUrl: text("actor_url").notNull(),
    handle: text("handle").notNull(),
    domain: text("domain").notNull(),
    name: text("name").notNull(),
    kommunenummer: text("kommunenummer"),
    fylke: text("fylke"),
    region: text("region"),
    website: text("website"),
    logoUrl: text("logo_url"),
    description: text("description").notNull().default(""),
    strategicAreas: jsonb("strategic_areas").$type<StrategicArea[]>().notNull().default([]),
    inboxUrl: text("inbox_url"),
    sharedInboxUrl: text("shared_inbox_url"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("municipalities_actor_url_key").on(t.actorUrl),
    uniqueIndex("municipalities_one_local_key").on(t.local).where(sql`${t.local}`),
  ],
);

export const accounts = pgTable(
  "accounts",
  {
    id: text("id").primaryKey(),
    email: text("email").notNull(),
    name: text("name").notNull(),
    passwordHash: text("password_hash"),
    role: text("role").$type<Role>().notNull(),
    createdAt: createdAt(),
    lastLoginAt: timestamp("last_login_at", { withTimezone: true }),
    disabledAt: timestamp("disabled_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("accounts_email_key").on(t.email),
    check("accounts_role_check", sql`${t.role} in ('admin', 'editor')`),
  ],
);

export const sessions = pgTable(
  "sessions",
  {
    /** SHA-256 of the cookie value: a stolen database does not yield live sessions. */
    id: text("id").primaryKey(),
    accountId: text("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  },
  (t) => [index("sessions_account_idx").on(t.accountId)],
);

export const apiTokens = pgTable(
  "api_tokens",
  {
    id: text("id").primaryKey(),
    accountId: text("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    /** SHA-256 of the token; the token itself is shown once and never stored. */
    tokenHash: text("token_hash").notNull(),
    prefix: text("prefix").notNull(),
    createdAt: createdAt(),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
  },
  (t) => [uniqueIndex("api_tokens_hash_key").on(t.tokenHash)],
);

export const projects = pgTable(
  "projects",
  {
    id: text("id").primaryKey(),
    slug: text("slug").notNull(),
    /** Canonical URL and ActivityPub id; for remote projects, the peer's. */
    url: text("url").notNull(),
    local: boolean("local").notNull(),
    municipalityId: text("municipality_id")
      .notNull()
      .references(() => municipalities.id, { onDelete: "cascade" }),
    published: boolean("published").notNull().default(false),
    publishedAt: timestamp("published_at", { withTimezone: true }),

    title: text("title").notNull(),
    summary: text("summary").notNull(),
    description: text("description").notNull().default(""),
    descriptionHtml: text("description_html").notNull().default(""),
    floke: text("floke").notNull().default(""),
    behov: text("behov").notNull().default(""),
    phase: text("phase").notNull(),
    n3Stage: text("n3_stage"),
    innovationTypes: text("innovation_types").array().notNull().default(sql`'{}'::text[]`),
    scale: text("scale"),
    serviceAreas: text("service_areas").array().notNull().default(sql`'{}'::text[]`),
    strategicAreas: text("strategic_areas").array().notNull().default(sql`'{}'::text[]`),
    municipalRoles: text("municipal_roles").array().notNull().default(sql`'{}'::text[]`),
    plannedBenefits: jsonb("planned_benefits").$type<Benefit[]>().notNull().default([]),
    realisedBenefits: jsonb("realised_benefits").$type<Benefit[]>().notNull().default([]),
    partners: jsonb("partners").$type<Partner[]>().notNull().default([]),
    funding: text("funding").array().notNull().default(sql`'{}'::text[]`),
    methods: text("methods").array().notNull().default(sql`'{}'::text[]`),
    contacts: jsonb("contacts").$type<Contact[]>().notNull().default([]),
    lessons: text("lessons").notNull().default(""),
    lessonsFailed: text("lessons_failed").notNull().default(""),
    risk: text("risk").notNull().default(""),
    cost: text("cost").notNull().default(""),
    seekingPartners: boolean("seeking_partners").notNull().default(false),
    startDate: text("start_date"),
    endDate: text("end_date"),
    /** The URL (ActivityPub id) of the project this one imitates. */
    imitationOf: text("imitation_of"),
    /** What the imitating municipality changed, and why. */
    adaptation: text("adaptation").notNull().default(""),

    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("projects_url_key").on(t.url),
    uniqueIndex("projects_local_slug_key").on(t.slug).where(sql`${t.local}`),
    // Public lists read these in order and stop after one page; they match the
    // ORDER BY of db/projects.ts exactly, tie-breaker included.
    index("projects_public_updated_idx").on(t.updatedAt.desc(), t.id.desc()).where(sql`${t.published}`),
    index("projects_public_newest_idx").on(t.publishedAt.desc().nullsLast(), t.id.desc()).where(sql`${t.published}`),
    index("projects_all_updated_idx").on(t.updatedAt.desc(), t.id.desc()),
    index("projects_municipality_idx").on(t.municipalityId),
    index("projects_phase_idx").on(t.phase),
    index("projects_service_areas_idx").using("gin", t.serviceAreas),
    index("projects_strategic_areas_idx").using("gin", t.strategicAreas),
    index("projects_imitation_of_idx").on(t.imitationOf),
  ],
);

/**
 * Every imitation this instance knows of, local or learned from peers: one
 * row per published copy, carrying what the original's page shows about it.
 */
export const imitationLinks = pgTable(
  "imitation_links",
  {
    copyUrl: text("copy_url").primaryKey(),
    originalUrl: text("original_url").notNull(),
    copyTitle: text("copy_title").notNull(),
    copyPhase: text("copy_phase").notNull(),
    copyMunicipalityActorUrl: text("copy_municipality_actor_url").notNull(),
    copyMunicipalityName: text("copy_municipality_name").notNull(),
    copyKommunenummer: text("copy_kommunenummer"),
    copyFylke: text("copy_fylke"),
    copyRealisedBenefits: jsonb("copy_realised_benefits").$type<Benefit[]>().notNull().default([]),
    copyLessons: text("copy_lessons").notNull().default(""),
    copyLessonsFailed: text("copy_lessons_failed").notNull().default(""),
    copyAdaptation: text("copy_adaptation").notNull().default(""),
    originalTitle: text("original_title").notNull().default(""),
    originalMunicipalityName: text("original_municipality_name").notNull().default(""),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("imitation_links_original_idx").on(t.originalUrl),
    check("imitation_links_not_self", sql`${t.copyUrl} <> ${t.originalUrl}`),
  ],
);

/** Who changed what and when: the history shown on a project's page. */
export const projectRevisions = pgTable(
  "project_revisions",
  {
    id: serial("id").primaryKey(),
    projectId: text("project_id")
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    accountId: text("account_id").references(() => accounts.id, { onDelete: "set null" }),
    actorName: text("actor_name").notNull(),
    action: text("action").notNull(),
    changedFields: text("changed_fields").array().notNull().default(sql`'{}'::text[]`),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("project_revisions_project_idx").on(t.projectId, t.at.desc())],
);

/**
 * Advanced by every statement that changes projects, imitation links or
 * municipalities (statement-level triggers, see the content_version
 * migration). Caches of derived figures compare against it, so they are
 * right in every process without hand-kept counters. A sequence, not a row:
 * it takes no lock, so concurrent writers never wait on each other for it.
 */
export const contentVersion = pgSequence("content_version");

/** A municipality's request to join a project that seeks partners. */
export const collaborationRequests = pgTable(
  "collaboration_requests",
  {
    id: text("id").primaryKey(),
    projectId: text("project_id")
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    /** The ActivityPub id of the request when it came from a peer; deduplicates redelivery. */
    activityId: text("activity_id"),
    fromActorUrl: text("from_actor_url").notNull(),
    fromMunicipalityName: text("from_municipality_name").notNull(),
    message: text("message").notNull(),
    contactName: text("contact_name").notNull(),
    contactEmail: text("contact_email").notNull(),
    status: text("status").$type<"pending" | "accepted" | "declined">().notNull().default("pending"),
    decidedBy: text("decided_by"),
    createdAt: createdAt(),
    decidedAt: timestamp("decided_at", { withTimezone: true }),
  },
  (t) => [
    index("collaboration_requests_project_idx").on(t.projectId, t.createdAt.desc()),
    uniqueIndex("collaboration_requests_activity_key").on(t.activityId),
    check("collaboration_requests_status_check", sql`${t.status} in ('pending', 'accepted', 'declined')`),
  ],
);

export type Municipality = typeof municipalities.$inferSelect;
export type NewMunicipality = typeof municipalities.$inferInsert;
export type Account = typeof accounts.$inferSelect;
export type NewAccount = typeof accounts.$inferInsert;
export type ProjectRow = typeof projects.$inferSelect;
export type NewProjectRow = typeof projects.$inferInsert;
export type ProjectRevision = typeof projectRevisions.$inferSelect;
export type ImitationLink = typeof imitationLinks.$inferSelect;
export type CollaborationRequest = typeof collaborationRequests.$inferSelect;
export type NewCollaborationRequest = typeof collaborationRequests.$inferInsert;
export type NewImitationLink = typeof imitationLinks.$inferInsert;
export type ApiToken = typeof apiTokens.$inferSelect;
export type Session = typeof sessions.$inferSelect;
