import type { Db } from "../db/client.ts";
import type { Municipality, NewImitationLink } from "../db/schema.ts";
import {
  ancestorsOf,
  descendantsOf,
  getImitationLink,
  type DescendantRow,
  removeImitationLink,
  upsertImitationLink,
} from "../db/imitations.ts";
import { getProjectByUrl, projectRefsByUrls, type ProjectRef } from "../db/projects.ts";
import {
  closesCycle,
  imitationStartingPoint,
  type AdopterReport,
  type Lineage,
  type LineageNode,
} from "../core/imitation.ts";
import type { Project } from "../core/project.ts";
import type { EventHandler, JournalEffect } from "../db/journal.ts";
import type { Logger } from "../core/logger.ts";
import { projectPath } from "../core/urls.ts";
import { ValidationError, type Actor, type ProjectService } from "./projects.ts";

/** The write that forgets the copy at `copyUrl`. */
function untrack(copyUrl: string): JournalEffect {
  return async (tx) => void (await removeImitationLink(tx, copyUrl));
}

function hrefOf(url: string, ref: ProjectRef | undefined): string {
  if (!ref || !ref.published) return url;
  return projectPath(ref);
}

export class ImitationService {
  readonly #db: Db;
  readonly #projects: ProjectService;
  readonly #logger: Logger;

  constructor(db: Db, projects: ProjectService, logger: Logger) {
    this.#db = db;
    this.#projects = projects;
    this.#logger = logger;
  }

  /**
   * The journal's imitation bookkeeping (server/subscribers.ts): the lineage
   * follows published copies, local ones from our own events, remote ones as
   * their cached copies arrive. Each link is written in the transaction that
   * acknowledges its event.
   */
  handler(): EventHandler {
    return {
      handle: async (event) => {
        switch (event.name) {
          case "project.published":
          case "project.updated":
          case "remote.project.upserted":
            return this.#track(event.payload.project);
          case "project.unpublished":
          case "project.deleted":
            return untrack(event.payload.project.url);
          case "remote.project.removed":
            return untrack(event.payload.url);
        }
      },
    };
  }

  /** Starts a draft in our municipality from another project, naming it as the original. */
  async imitate(municipality: Municipality, original: Project, actor: Actor): Promise<Project> {
    if (!original.published) {
      throw new ValidationError([{ field: "original", message: "et utkast kan ikke imiteres" }]);
    }
    return this.#projects.create(
      municipality,
      { ...imitationStartingPoint(original), published: false },
      actor,
      { imitationOf: original.url },
    );
  }

  /**
   * Records that `link.copyUrl` imitates `link.originalUrl`, unless that would
   * make the lineage a loop. Returns false when refused.
   */
  async record(link: NewImitationLink): Promise<boolean> {
    return this.#record(this.#db, link);
  }

  /** Records `link` through `db` (reading there too), unless it would close a loop. */
  async #record(db: Db, link: NewImitationLink): Promise<boolean> {
    const ancestors = await ancestorsOf(db, link.originalUrl);
    if (closesCycle(link.copyUrl, link.originalUrl, ancestors.map((a) => a.url))) {
      this.#logger.warn(`refused imitation link ${link.copyUrl} → ${link.originalUrl}: it would close a loop`);
      return false;
    }
    await upsertImitationLink(db, link);
    return true;
  }

  /**
   * The write that records a published copy's link. It reads through the
   * acknowledging transaction, so it sees the links of the events before it.
   */
  #track(copy: Project): JournalEffect | undefined {
    const originalUrl = copy.imitationOf;
    if (!originalUrl) return undefined;
    if (!copy.published) return untrack(copy.url);
    return async (tx) => {
      const original = await getProjectByUrl(tx, originalUrl);
      const known = original ? undefined : await getImitationLink(tx, copy.url);
      await this.#record(tx, {
        copyUrl: copy.url,
        originalUrl,
        copyTitle: copy.title,
        copyPhase: copy.phase,
        copyMunicipalityActorUrl: copy.municipality.actorUrl,
        copyMunicipalityName: copy.municipality.name,
        copyKommunenummer: copy.municipality.kommunenummer,
        copyFylke: copy.municipality.fylke,
        copyRealisedBenefits: copy.realisedBenefits,
        copyLessons: copy.lessons,
        copyLessonsFailed: copy.lessonsFailed,
        copyAdaptation: copy.adaptation,
        originalTitle: original?.title ?? known?.originalTitle ?? "",
        originalMunicipalityName: original?.municipality.name ?? known?.originalMunicipalityName ?? "",
      });
    };
  }

  /** The projects this one descends from, nearest first (no links resolved). */
  async ancestors(project: Pick<Project, "url" | "imitationOf">): Promise<Omit<LineageNode, "href">[]> {
    if (!project.imitationOf) return [];
    // A draft has no link yet: its parent comes from the project itself.
    const own = await getImitationLink(this.#db, project.url);
    const parent = own ? undefined : await getProjectByUrl(this.#db, project.imitationOf);
    const nodes: Omit<LineageNode, "href">[] = [
      {
        url: project.imitationOf,
        title: own?.originalTitle || parent?.title || "",
        municipalityName: own?.originalMunicipalityName || parent?.municipality.name || "",
        phase: parent?.phase ?? null,
        depth: 1,
      },
    ];
    for (const a of await ancestorsOf(this.#db, project.imitationOf)) {
      nodes.push({ url: a.url, title: a.title, municipalityName: a.municipalityName, phase: null, depth: a.depth + 1 });
    }
    return nodes;
  }

  /**
   * Everything a project's page shows about imitation, from one read of the
   * links below it: who imitated it and what they report back, and the
   * lineage both ways. `read`: the links below, when read with the project.
   */
  async view(project: Pick<Project, "url" | "imitationOf">, read?: DescendantRow[]): Promise<{ adopters: AdopterReport[]; lineage: Lineage }> {
    const [ancestors, below] = await Promise.all([this.ancestors(project), read ?? descendantsOf(this.#db, project.url)]);
    const refs = await projectRefsByUrls(this.#db, [...ancestors.map((n) => n.url), ...below.map((d) => d.copyUrl)]);
    const descendants = below.map((d) => ({
      url: d.copyUrl,
      title: d.copyTitle,
      municipalityName: d.copyMunicipalityName,
      phase: d.copyPhase,
      depth: d.depth,
    }));
    const withHref = (n: Omit<LineageNode, "href">): LineageNode => ({ ...n, href: hrefOf(n.url, refs.get(n.url)) });
    const adopters = below
      .filter((d) => d.depth === 1)
      .map((l) => ({
        url: l.copyUrl,
        title: l.copyTitle,
        phase: l.copyPhase,
        href: hrefOf(l.copyUrl, refs.get(l.copyUrl)),
        municipality: {
          name: l.copyMunicipalityName,
          kommunenummer: l.copyKommunenummer,
          fylke: l.copyFylke,
          actorUrl: l.copyMunicipalityActorUrl,
        },
        realisedBenefits: l.copyRealisedBenefits,
        lessons: l.copyLessons,
        lessonsFailed: l.copyLessonsFailed,
        adaptation: l.copyAdaptation,
      }));
    return {
      adopters,
      lineage: { ancestors: [...ancestors].reverse().map(withHref), descendants: descendants.map(withHref) },
    };
  }

  async lineage(project: Pick<Project, "url" | "imitationOf">): Promise<Lineage> {
    return (await this.view(project)).lineage;
  }
}
