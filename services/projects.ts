import type { Db } from "../db/client.ts";
import type { Municipality } from "../db/schema.ts";
import {
  createLocalProject,
  deleteProject as deleteProjectRow,
  isSlugTaken,
  updateLocalProject,
  type CreateLocalProject,
} from "../db/projects.ts";
import { newId } from "../db/ids.ts";
import { recordGoneProject } from "../db/gone-projects.ts";
import {
  contentFields,
  emptyContent,
  type Project,
  type ProjectContent,
  type ProjectCreate,
  type ProjectPatch,
} from "../core/project.ts";
import { slugify } from "../core/rules.ts";
import { missingAdaptation } from "../core/imitation.ts";
import type { EventJournal } from "../db/journal.ts";
import type { InstanceRole } from "../core/municipality.ts";
import { markdownTooComplex, maxMarkdownNesting, renderMarkdown } from "../core/markdown.ts";

export interface Actor {
  accountId: string | null;
  name: string;
}

/** A rule broken by otherwise well-formed input; routes turn it into a 422 naming the field. */
export class ValidationError extends Error {
  readonly issues: { field: string; message: string }[];
  constructor(issues: { field: string; message: string }[]) {
    super(issues.map((i) => `${i.field}: ${i.message}`).join("; "));
    this.issues = issues;
  }
}

/**
 * The aggregator (the national instance) follows municipalities and publishes
 * no projects of its own: creating or changing one there is refused. Routes
 * answer 409.
 */
export class AggregatorPublishesNoProjectsError extends Error {
  constructor() {
    super("an aggregator publishes no projects of its own");
  }
}

function checkAdaptation(p: Pick<Project, "imitationOf" | "adaptation">, publishing: boolean): void {
  if (missingAdaptation(p, publishing)) {
    throw new ValidationError([
      { field: "adaptation", message: "fortell hva dere har tilpasset før imitasjonen publiseres" },
    ]);
  }
}

function checkStrategicAreas(municipality: Municipality, slugs: string[] | undefined): void {
  if (!slugs) return;
  const known = new Set(municipality.strategicAreas.map((a) => a.slug));
  const unknown = slugs.filter((s) => !known.has(s));
  if (unknown.length > 0) {
    throw new ValidationError([
      { field: "strategicAreas", message: `ukjent strategisk område: ${unknown.join(", ")}` },
    ]);
  }
}

/**
 * Refuses a description whose Markdown is too complex to render in bounded
 * time (nested very deep, or thousands of unmatched * and _): a peer's would
 * be shown as plain text, but staff can still simplify theirs.
 */
function checkMarkdown(description: string): void {
  if (markdownTooComplex(description)) {
    throw new ValidationError([{
      field: "description",
      message: `er for kompleks til å vises: høyst ${maxMarkdownNesting} nivåer med sitater og lister inni hverandre, og ikke tusenvis av *, _ eller [ uten par`,
    }]);
  }
}

/** Tries this many times with the next free slug before adding a random suffix. */
const plainSlugAttempts = 3;
const maxCreateAttempts = 8;

/**
 * Creates the project under a free slug, even when several creates with one
 * title run at once: the loser of a race for a slug tries the next free one,
 * and after a few lost races a random suffix makes the slug its own.
 */
async function createWithFreeSlug(db: Db, input: CreateLocalProject): Promise<Project> {
  for (let attempt = 1; ; attempt++) {
    const slugBase = attempt <= plainSlugAttempts ? input.slugBase : `${input.slugBase}-${newId(6)}`;
    try {
      return await createLocalProject(db, { ...input, slugBase });
    } catch (error) {
      if (!isSlugTaken(error) || attempt >= maxCreateAttempts) throw error;
    }
  }
}

/** The project service: the one way local projects are written, by forms, API and scripts alike. */
export class ProjectService {
  readonly #db: Db;
  readonly #events: EventJournal;
  readonly #origin: string;
  readonly #role: InstanceRole;

  constructor(db: Db, events: EventJournal, options: { origin: string; role: InstanceRole }) {
    this.#db = db;
    this.#events = events;
    this.#origin = options.origin;
    this.#role = options.role;
  }

  /** Whether this instance keeps projects of its own (a municipality does; the aggregator does not). */
  get publishesProjects(): boolean {
    return this.#role !== "aggregator";
  }

  /** Throws `AggregatorPublishesNoProjectsError` on the aggregator: the one place that rule lives. */
  checkPublishesProjects(): void {
    if (!this.publishesProjects) throw new AggregatorPublishesNoProjectsError();
  }

  async create(
    municipality: Municipality,
    input: ProjectCreate,
    actor: Actor,
    /** `within`: more of the same action, written in the project's transaction (it throws: no project). */
    options: { imitationOf?: string; within?: (tx: Db, project: Project) => Promise<void> } = {},
  ): Promise<Project> {
    this.checkPublishesProjects();
    checkStrategicAreas(municipality, input.strategicAreas);
    const { published = false, ...fields } = withUnixLineEndings(input);
    const content: ProjectContent = { ...emptyContent(fields), ...stripUndefined(fields) };
    checkAdaptation({ imitationOf: options.imitationOf ?? null, adaptation: content.adaptation }, published);
    // An imitation starts from the original's text, shown like the original's even when it is plain text.
    if (!options.imitationOf) checkMarkdown(content.description);
    const descriptionHtml = renderMarkdown(content.description);
    return this.#events.transaction(async (tx) => {
      const project = await createWithFreeSlug(tx, {
        municipality,
        origin: this.#origin,
        slugBase: slugify(content.title),
        content,
        descriptionHtml,
        published,
        imitationOf: options.imitationOf ?? null,
        actor,
      });
      if (project.published) await this.#events.append(tx, "project.published", { project });
      await options.within?.(tx, project);
      return project;
    });
  }

  async update(municipality: Municipality, current: Project, input: ProjectPatch, actor: Actor): Promise<Project> {
    this.checkPublishesProjects();
    const patch = withUnixLineEndings(input);
    checkStrategicAreas(municipality, patch.strategicAreas);
    // Only a changed text is checked, so other fields of an older project stay editable.
    if (patch.description !== undefined && patch.description !== current.description) checkMarkdown(patch.description);
    const startDate = patch.startDate !== undefined ? patch.startDate : current.startDate;
    const endDate = patch.endDate !== undefined ? patch.endDate : current.endDate;
    if (startDate && endDate && startDate > endDate) {
      throw new ValidationError([{ field: "endDate", message: "sluttdato kan ikke være før startdato" }]);
    }
    const { published, ...fields } = patch;
    const content = stripUndefined(fields) as Partial<ProjectContent>;
    checkAdaptation(
      { imitationOf: current.imitationOf, adaptation: content.adaptation ?? current.adaptation },
      published ?? current.published,
    );
    const changedFields = contentFields.filter(
      (f) => f in content && JSON.stringify(content[f]) !== JSON.stringify(current[f]),
    );
    const publishChange = published !== undefined && published !== current.published;
    if (changedFields.length === 0 && !publishChange) return current;

    const action = publishChange ? (published ? "publisert" : "avpublisert") : "endret";
    return this.#events.transaction(async (tx) => {
      const project = await updateLocalProject(tx, current, municipality, {
        content,
        descriptionHtml: "description" in content ? renderMarkdown(content.description ?? "") : undefined,
        published,
        changedFields,
        action: publishChange && changedFields.length > 0 ? `endret og ${action}` : action,
        actor,
      });
      if (publishChange && project.published) await this.#events.append(tx, "project.published", { project });
      else if (publishChange && !project.published) await this.#events.append(tx, "project.unpublished", { project });
      else if (project.published) await this.#events.append(tx, "project.updated", { project });
      return project;
    });
  }

  async delete(project: Project): Promise<void> {
    await this.#events.transaction(async (tx) => {
      await deleteProjectRow(tx, project.id);
      // A project that was ever public answers 410 Gone from now on, and its slug is never reused.
      if (project.local && project.publishedAt) {
        await recordGoneProject(tx, { url: project.url, slug: project.slug, title: project.title, deletedAt: new Date() });
      }
      await this.#events.append(tx, "project.deleted", { project });
    });
  }
}

/**
 * Every text of the input with \n line endings: browsers send \r\n from a
 * textarea, and an API client may send either. One place for forms, API and
 * scripts, so what is stored (and served and federated) is the same.
 */
function withUnixLineEndings<T>(value: T): T {
  if (typeof value === "string") return value.replace(/\r\n?/g, "\n") as T;
  if (Array.isArray(value)) return value.map((v) => withUnixLineEndings(v)) as T;
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withUnixLineEndings(v)])) as T;
  }
  return value;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
