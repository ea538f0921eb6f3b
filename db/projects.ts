import { and, arrayContains, count, desc, eq, inArray, isNotNull, isNull, max, sql, type Placeholder, type SQL } from "drizzle-orm";
import type { Db } from "./client.ts";
import { newId } from "./ids.ts";
import { preparedFor } from "./prepared.ts";
import { municipalityRef } from "./municipalities.ts";
import {
  imitationLinks,
  municipalities,
  projectRevisions,
  projects,
  type Municipality,
  type NewProjectRow,
  type ProjectRevision,
  type ProjectRow,
} from "./schema.ts";
import { goneProjects } from "./schema-gone.ts";
import type { Project, ProjectContent } from "../core/project.ts";
import { projectUrl } from "../core/urls.ts";

export function toProject(row: ProjectRow, municipality: Municipality): Project {
  return {
    id: row.id,
    slug: row.slug,
    url: row.url,
    local: row.local,
    published: row.published,
    title: row.title,
    summary: row.summary,
    description: row.description,
    descriptionHtml: row.descriptionHtml,
    floke: row.floke,
    behov: row.behov,
    phase: row.phase as Project["phase"],
    n3Stage: row.n3Stage as Project["n3Stage"],
    innovationTypes: row.innovationTypes as Project["innovationTypes"],
    scale: row.scale as Project["scale"],
    serviceAreas: row.serviceAreas as Project["serviceAreas"],
    strategicAreas: row.strategicAreas,
    municipalRoles: row.municipalRoles as Project["municipalRoles"],
    plannedBenefits: row.plannedBenefits,
    realisedBenefits: row.realisedBenefits,
    partners: row.partners,
    funding: row.funding as Project["funding"],
    methods: row.methods as Project["methods"],
    contacts: row.contacts,
    lessons: row.lessons,
    lessonsFailed: row.lessonsFailed,
    risk: row.risk,
    cost: row.cost,
    seekingPartners: row.seekingPartners,
    startDate: row.startDate,
    endDate: row.endDate,
    adaptation: row.adaptation,
    imitationOf: row.imitationOf,
    municipality: municipalityRef(municipality),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    publishedAt: row.publishedAt,
  };
}

function contentColumns(content: Partial<ProjectContent>): Partial<NewProjectRow> {
  // The domain's content fields and the table's columns share their names.
  return { ...content };
}

const selection = { project: projects, municipality: municipalities };

/** A project with its municipality, by one column: each page and API read of one project. */
function projectBy(where: (value: Placeholder) => SQL | undefined, name: string) {
  return preparedFor((db) =>
    db
      .select(selection)
      .from(projects)
      .innerJoin(municipalities, eq(projects.municipalityId, municipalities.id))
      .where(where(sql.placeholder("value")))
      .prepare(name),
  );
}

const projectById = projectBy((id) => eq(projects.id, id), "kominn_project_by_id");
const localProjectBySlug = projectBy((slug) => and(eq(projects.slug, slug), eq(projects.local, true)), "kominn_local_project_by_slug");

export async function getProject(db: Db, id: string): Promise<Project | undefined> {
  const [row] = await projectById(db).execute({ value: id });
  return row && toProject(row.project, row.municipality);
}

export async function getLocalProjectBySlug(db: Db, slug: string): Promise<Project | undefined> {
  const [row] = await localProjectBySlug(db).execute({ value: slug });
  return row && toProject(row.project, row.municipality);
}

export async function getProjectByUrl(db: Db, url: string): Promise<Project | undefined> {
  const [row] = await db
    .select(selection)
    .from(projects)
    .innerJoin(municipalities, eq(projects.municipalityId, municipalities.id))
    .where(eq(projects.url, url));
  return row && toProject(row.project, row.municipality);
}

/**
 * A slug no other local project has, nor a deleted one (its URL answers 410,
 * and Mastodon refuses a new object under a deleted id): "fallsensorer", then
 * "fallsensorer-2", …
 */
async function freeSlug(db: Db, base: string): Promise<string> {
  const pattern = `^${base}(-[0-9]+)?$`;
  // One after the other: inside a transaction, queries share one connection.
  const taken = await db.select({ slug: projects.slug }).from(projects).where(and(eq(projects.local, true), sql`${projects.slug} ~ ${pattern}`));
  const gone = await db.select({ slug: goneProjects.slug }).from(goneProjects).where(sql`${goneProjects.slug} ~ ${pattern}`);
  const used = new Set([...taken, ...gone].map((t) => t.slug));
  if (!used.has(base)) return base;
  for (let n = 2; ; n++) if (!used.has(`${base}-${n}`)) return `${base}-${n}`;
}

export interface CreateLocalProject {
  municipality: Municipality;
  origin: string;
  slugBase: string;
  content: ProjectContent;
  descriptionHtml: string;
  published: boolean;
  imitationOf?: string | null;
  actor: { accountId: string | null; name: string };
}

/**
 * True when an insert lost a race for a slug: another create took the same
 * free slug between our look-up and our insert (PostgreSQL runs creates side
 * by side; the unique indexes on url and local slug then refuse the second).
 */
export function isSlugTaken(error: unknown): boolean {
  for (let e = error as { code?: string; constraint?: string; cause?: unknown } | undefined; e; e = e.cause as typeof e) {
    if (e.code === "23505") return e.constraint === "projects_url_key" || e.constraint === "projects_local_slug_key";
  }
  return false;
}

/** Creates a local project under the first free slug from `slugBase`; see `isSlugTaken` for a lost race. */
export async function createLocalProject(db: Db, input: CreateLocalProject): Promise<Project> {
  return db.transaction(async (tx) => {
    const slug = await freeSlug(tx as unknown as Db, input.slugBase);
    const now = new Date();
    const [row] = await tx
      .insert(projects)
      .values({
        id: newId(),
        slug,
        url: projectUrl(input.origin, slug),
        local: true,
        municipalityId: input.municipality.id,
        ...contentColumns(input.content),
        descriptionHtml: input.descriptionHtml,
        imitationOf: input.imitationOf ?? null,
        published: input.published,
        publishedAt: input.published ? now : null,
        createdAt: now,
        updatedAt: now,
      } as NewProjectRow)
      .returning();
    await tx.insert(projectRevisions).values({
      projectId: row.id,
      accountId: input.actor.accountId,
      actorName: input.actor.name,
      action: input.imitationOf
        ? "opprettet som imitasjon"
        : input.published
          ? "opprettet og publisert"
          : "opprettet som utkast",
      changedFields: [],
    });
    return toProject(row, input.municipality);
  });
}

export interface UpdateLocalProject {
  content: Partial<ProjectContent>;
  descriptionHtml?: string;
  published?: boolean;
  changedFields: string[];
  action: string;
  actor: { accountId: string | null; name: string };
}

export async function updateLocalProject(
  db: Db,
  current: Project,
  municipality: Municipality,
  input: UpdateLocalProject,
): Promise<Project> {
  return db.transaction(async (tx) => {
    const now = new Date();
    const firstPublish = input.published === true && !current.publishedAt;
    const [row] = await tx
      .update(projects)
      .set({
        ...contentColumns(input.content),
        ...(input.descriptionHtml !== undefined ? { descriptionHtml: input.descriptionHtml } : {}),
        ...(input.published !== undefined ? { published: input.published } : {}),
        ...(firstPublish ? { publishedAt: now } : {}),
        updatedAt: now,
      })
      .where(eq(projects.id, current.id))
      .returning();
    await tx.insert(projectRevisions).values({
      projectId: current.id,
      accountId: input.actor.accountId,
      actorName: input.actor.name,
      action: input.action,
      changedFields: input.changedFields,
    });
    return toProject(row, municipality);
  });
}

export async function deleteProject(db: Db, id: string): Promise<boolean> {
  const deleted = await db.delete(projects).where(eq(projects.id, id)).returning({ id: projects.id });
  return deleted.length > 0;
}

export async function listRevisions(db: Db, projectId: string, limit = 50): Promise<ProjectRevision[]> {
  return db
    .select()
    .from(projectRevisions)
    .where(eq(projectRevisions.projectId, projectId))
    .orderBy(desc(projectRevisions.at), desc(projectRevisions.id))
    .limit(limit);
}

export interface ProjectFilter {
  phase?: string;
  serviceArea?: string;
  strategicArea?: string;
  seekingPartners?: boolean;
  /** true: imitated by others; false: not (yet) imitated. */
  imitated?: boolean;
  /** true: an imitation of another project; false: an original. */
  isImitation?: boolean;
  origin?: "local" | "remote" | "all";
  municipalityId?: string;
  /** Staff see drafts of their own instance; the public never does. */
  includeDrafts?: boolean;
}

export type ProjectOrder = "updated" | "newest" | "imitations";

const isImitated = sql`exists (select 1 from ${imitationLinks} where ${imitationLinks.originalUrl} = ${projects.url})`;
const imitationCount = sql`(select count(distinct ${imitationLinks.copyMunicipalityActorUrl}) from ${imitationLinks} where ${imitationLinks.originalUrl} = ${projects.url})`;

export interface ProjectPage {
  items: Project[];
  /** Matching projects in all pages; -1 when the caller asked not to count. */
  total: number;
  page: number;
  perPage: number;
}

/**
 * The filter's conditions, its values as placeholders (`filterValues`): one
 * prepared statement serves every filter of the same shape.
 */
function whereOf(filter: ProjectFilter): SQL | undefined {
  const conditions: (SQL | undefined)[] = [
    filter.includeDrafts ? undefined : eq(projects.published, true),
    filter.phase ? eq(projects.phase, sql.placeholder("phase")) : undefined,
    filter.serviceArea ? arrayContains(projects.serviceAreas, sql.placeholder("serviceAreas")) : undefined,
    filter.strategicArea ? arrayContains(projects.strategicAreas, sql.placeholder("strategicAreas")) : undefined,
    filter.seekingPartners ? eq(projects.seekingPartners, true) : undefined,
    filter.imitated === undefined ? undefined : filter.imitated ? isImitated : sql`not ${isImitated}`,
    filter.isImitation === undefined ? undefined : filter.isImitation ? isNotNull(projects.imitationOf) : isNull(projects.imitationOf),
    filter.origin === "local" ? eq(projects.local, true) : undefined,
    filter.origin === "remote" ? eq(projects.local, false) : undefined,
    filter.municipalityId ? eq(projects.municipalityId, sql.placeholder("municipalityId")) : undefined,
  ];
  return and(...conditions.filter((c): c is SQL => c !== undefined));
}

function filterValues(filter: ProjectFilter): Record<string, unknown> {
  return {
    phase: filter.phase,
    serviceAreas: filter.serviceArea ? [filter.serviceArea] : undefined,
    strategicAreas: filter.strategicArea ? [filter.strategicArea] : undefined,
    municipalityId: filter.municipalityId,
  };
}

/** What makes two filters one statement: which conditions apply, not their values. */
function shapeOf(filter: ProjectFilter, order: ProjectOrder): string {
  const { phase, serviceArea, strategicArea, municipalityId, seekingPartners, imitated, isImitation, origin, includeDrafts } = filter;
  return [order, !!phase, !!serviceArea, !!strategicArea, !!municipalityId, !!seekingPartners, imitated, isImitation, origin ?? "all", !!includeDrafts].join();
}

// NULLS LAST everywhere, as in the indexes drizzle-kit generates: a mismatch
// in null ordering alone stops PostgreSQL from reading the index in order.
const descNullsLast = (column: SQL.Aliased | typeof projects.updatedAt | typeof projects.id | typeof projects.publishedAt) =>
  sql`${column} desc nulls last`;
const orderings: Record<ProjectOrder, SQL[]> = {
  updated: [descNullsLast(projects.updatedAt), descNullsLast(projects.id)],
  newest: [descNullsLast(projects.publishedAt), descNullsLast(projects.id)],
  imitations: [sql`${imitationCount} desc`, descNullsLast(projects.updatedAt), descNullsLast(projects.id)],
};

/** A page of projects and the count of all matches; statement names end in `n`, one per shape. */
function buildList(db: Db, filter: ProjectFilter, order: ProjectOrder, n: number) {
  const where = whereOf(filter);
  return {
    page: db
      .select()
      .from(projects)
      .where(where)
      .orderBy(...orderings[order])
      .limit(sql.placeholder("limit"))
      .offset(sql.placeholder("offset"))
      .prepare(`kominn_projects_${n}`),
    total: db.select({ total: count() }).from(projects).where(where).prepare(`kominn_projects_count_${n}`),
  };
}

const listShapes = new Map<string, (db: Db) => ReturnType<typeof buildList>>();

/** The list's statements, prepared once per shape of filter and order. */
function listStatements(db: Db, filter: ProjectFilter, order: ProjectOrder): ReturnType<typeof buildList> {
  const shape = shapeOf(filter, order);
  let kept = listShapes.get(shape);
  if (!kept) {
    const n = listShapes.size;
    kept = preparedFor((db) => buildList(db, filter, order, n));
    listShapes.set(shape, kept);
  }
  return kept(db);
}

export async function listProjects(
  db: Db,
  filter: ProjectFilter,
  options: { page?: number; perPage?: number; order?: ProjectOrder; withTotal?: boolean } = {},
): Promise<ProjectPage> {
  const page = Math.max(1, options.page ?? 1);
  const perPage = Math.min(100, Math.max(1, options.perPage ?? 20));
  const statements = listStatements(db, filter, options.order ?? "updated");
  const values = filterValues(filter);
  // The page comes from `projects` alone so the ordered partial indexes serve
  // it; joining first makes the planner sort every row.
  const [rows, [{ total }]] = await Promise.all([
    statements.page.execute({ ...values, limit: perPage, offset: (page - 1) * perPage }),
    options.withTotal === false ? [{ total: -1 }] : statements.total.execute(values),
  ]);
  const owners = await municipalitiesByIds(db, [...new Set(rows.map((r) => r.municipalityId))]);
  return { items: rows.map((r) => toProject(r, owners.get(r.municipalityId)!)), total, page, perPage };
}

const municipalitiesWithIds = preparedFor((db) =>
  db
    .select()
    .from(municipalities)
    .where(sql`${municipalities.id} = any(${sql.placeholder("ids")})`)
    .prepare("kominn_municipalities_by_ids"),
);

async function municipalitiesByIds(db: Db, ids: string[]): Promise<Map<string, Municipality>> {
  if (ids.length === 0) return new Map();
  const rows = await municipalitiesWithIds(db).execute({ ids });
  return new Map(rows.map((m) => [m.id, m]));
}

export interface ProjectRef {
  id: string;
  slug: string;
  url: string;
  local: boolean;
  published: boolean;
}

/** Which of these URLs this instance holds as a project (its own or a cached copy), for linking. */
export async function projectRefsByUrls(db: Db, urls: string[]): Promise<Map<string, ProjectRef>> {
  if (urls.length === 0) return new Map();
  const rows = await db
    .select({ id: projects.id, slug: projects.slug, url: projects.url, local: projects.local, published: projects.published })
    .from(projects)
    .where(inArray(projects.url, urls));
  return new Map(rows.map((r) => [r.url, r]));
}

/** Every published project, local and remote, in batches by id: for exports that must not hold all in memory. */
export async function* publishedProjectBatches(db: Db, batchSize = 500): AsyncGenerator<Project[]> {
  let after = "";
  for (;;) {
    const rows = await db
      .select()
      .from(projects)
      .where(and(eq(projects.published, true), sql`${projects.id} > ${after}`))
      .orderBy(projects.id)
      .limit(batchSize);
    if (rows.length === 0) return;
    const owners = await municipalitiesByIds(db, [...new Set(rows.map((r) => r.municipalityId))]);
    yield rows.map((r) => toProject(r, owners.get(r.municipalityId)!));
    after = rows[rows.length - 1].id;
  }
}

/** When any project here last changed (the catalogue's `modified`); null with no projects. */
export async function lastProjectChange(db: Db): Promise<Date | null> {
  const [{ modified }] = await db.select({ modified: max(projects.updatedAt) }).from(projects);
  return modified;
}
