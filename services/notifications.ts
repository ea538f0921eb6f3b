// Notifications: the journal's "notifications" subscriber (server/subscribers.ts)
// tells staff what moved in what they follow, and the portal lists them. What
// moved is found by comparing each published project with what this
// subscriber last saw of it (notification_project_state); who hears of it is
// found by looking the project's keys up in the inverted index of follows,
// and an event's notifications are written by one statement in the database
// (db/notifications.ts fanOut): the cost grows with the number of follows
// that could match, not with the number of follows.
import { eq } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import type { JournalEvent } from "../core/events.ts";
import { sameToken, signToken } from "../core/signed-token.ts";
import type { Project } from "../core/project.ts";
import { projectPath } from "../core/urls.ts";
import { ideaStateLabels } from "../core/ideas.ts";
import { serviceAreaLabel, oneLine, ownIdeasLabel, ownRequestsLabel, reasons, notificationKindSlugs, subscriptionKindLabels, type Delivery, type NotificationKind } from "../core/notifications.ts";
import type { EventHandler, JournalEffect } from "../db/journal.ts";
import {
  accountTakes,
  accountToTellDirectly,
  countUnread,
  getPrefs,
  fanOut,
  insertNotification,
  listNotifications,
  markRead,
  readThrough,
  savePrefs,
  searchesUnder,
  swapProjectState,
  unsubscribeIfCurrent,
  type FanOut,
  type NotificationRow,
  type ProjectState,
  type Subscription,
} from "../db/notifications.ts";
import { getCollaborationRequest } from "../db/collaboration-requests.ts";
import { getProjectByUrl } from "../db/projects.ts";
import { projects } from "../db/schema.ts";
import { projectFacets, projectKeys, searchMatches, type SavedSearch, type SearchMatching } from "./subscriptions.ts";
import { ValidationError } from "./projects.ts";

/** The events the subscriber reads (server/subscribers.ts). */
export const notificationEvents = [
  "project.published",
  "project.updated",
  "remote.project.upserted",
  "collaboration.requested",
  "collaboration.decided",
  "collaboration.received",
  "collaboration.answered",
  "idea.answered",
] as const;

/** Which follow explains an item best, when one person follows it several ways. */
const priority: Record<Subscription["kind"], number> = { project: 0, search: 1, "service-area": 2, municipality: 3 };

function stateOf(p: Project): ProjectState {
  return {
    phase: p.phase,
    n3Stage: p.n3Stage,
    realisedBenefits: p.realisedBenefits.length,
    seekingPartners: p.seekingPartners,
    imitationOf: p.imitationOf,
  };
}

export interface NotificationPrefs {
  delivery: Delivery;
  mutedKinds: NotificationKind[];
  digestHour: number;
  digestWeekday: number;
}

export class NotificationService {
  readonly #db: Db;
  readonly #matching: SearchMatching;
  readonly #secret: string;

  constructor(db: Db, options: { matching: SearchMatching; secret: string }) {
    this.#db = db;
    this.#matching = options.matching;
    this.#secret = options.secret;
  }

  /**
   * The journal's notifications subscriber. Everything it reads and writes
   * goes through the acknowledging transaction, so an event's notifications
   * are stored exactly once, and it sees what the events before it wrote.
   */
  handler(): EventHandler {
    return {
      handle: async (event) => this.#effectOf(event),
    };
  }

  #effectOf(event: JournalEvent): JournalEffect | undefined {
    switch (event.name) {
      case "project.published":
      case "project.updated":
      case "remote.project.upserted": {
        const project = event.payload.project;
        if (!project.published) return undefined;
        return (tx) => this.#onProject(tx, event.id, project);
      }
      case "collaboration.decided": {
        const { request, projectUrl } = event.payload;
        return async (tx) => {
          const stored = await getCollaborationRequest(tx, request.id);
          const from = oneLine(stored?.fromMunicipalityName ?? request.fromActorUrl);
          await this.#toProjectFollowers(tx, event.id, projectUrl, "collaboration", reasons.collaborationDecided(from, request.status === "accepted"));
        };
      }
      case "collaboration.received": {
        const { requestId, projectUrl } = event.payload;
        return async (tx) => {
          const request = await getCollaborationRequest(tx, requestId);
          if (request) await this.#toProjectFollowers(tx, event.id, projectUrl, "collaboration", reasons.collaborationReceived(oneLine(request.fromMunicipalityName)));
        };
      }
      case "collaboration.answered": {
        const { requestId, projectUrl, accepted } = event.payload;
        return async (tx) => {
          const request = await getCollaborationRequest(tx, requestId);
          const project = request && (await getProjectByUrl(tx, projectUrl));
          if (!request || !project) return;
          const reason = reasons.collaborationAnswered(oneLine(project.municipality.name), accepted);
          await this.#store(tx, event.id, project, { keys: [`p:${projectUrl}`], kinds: ["project"], items: [{ kind: "collaboration", reason }] });
          // Whoever sent it (the staff account with the request's contact address) hears of it even without following the project.
          const sender = await accountToTellDirectly(tx, request.contactEmail, "collaboration", projectUrl);
          if (sender) {
            await insertNotification(tx, {
              kind: "collaboration",
              title: oneLine(project.title),
              link: projectPath(project),
              whys: [[ownRequestsLabel, reason]],
              dedupeKey: `${event.id}:collaboration:sender`,
              recipients: [{ accountId: sender, why: 0 }],
            });
          }
        };
      }
      case "idea.answered": {
        const { ideaId, title, state, reason, submitterAccountId } = event.payload;
        if (!submitterAccountId) return undefined;
        return async (tx) => {
          // An account removed or disabled since, or one that switched news of its ideas off, is told nothing.
          if (!(await accountTakes(tx, submitterAccountId, "idea"))) return;
          await insertNotification(tx, {
            kind: "idea",
            title: oneLine(title),
            link: `/ideer/${ideaId}`,
            whys: [[ownIdeasLabel, oneLine(reasons.idea((ideaStateLabels[state] ?? state).toLowerCase(), reason), 400)]],
            dedupeKey: `${event.id}:idea`,
            recipients: [{ accountId: submitterAccountId, why: 0 }],
          });
        };
      }
      case "collaboration.requested":
        return async (tx) => {
          const request = await getCollaborationRequest(tx, event.payload.requestId);
          const project = request && (await this.#projectById(tx, request.projectId));
          if (request && project) {
            await this.#toProjectFollowers(tx, event.id, project.url, "collaboration", reasons.collaborationRequested(oneLine(request.fromMunicipalityName)));
          }
        };
      default:
        return undefined;
    }
  }

  async #projectById(tx: Db, id: string): Promise<{ url: string } | undefined> {
    const [row] = await tx.select({ url: projects.url }).from(projects).where(eq(projects.id, id));
    return row;
  }

  async #toProjectFollowers(tx: Db, eventId: number, projectUrl: string, kind: NotificationKind, reason: string): Promise<void> {
    const project = await getProjectByUrl(tx, projectUrl);
    if (!project) return;
    await this.#store(tx, eventId, project, { keys: [`p:${projectUrl}`], kinds: ["project"], items: [{ kind, reason }] });
  }

  /**
   * A project's event: what moved since the subscriber last saw it, told in
   * one statement per event (db/notifications.ts fanOut). A new project's
   * follows of its areas and municipality are found in the index by the
   * database; only the saved searches filed under its keys come here, to be
   * checked in full.
   */
  async #onProject(tx: Db, eventId: number, project: Project): Promise<void> {
    const now = stateOf(project);
    const { before, imitated } = await swapProjectState(tx, project.url, now);
    const imitatedNow = project.imitationOf && project.imitationOf !== before?.imitationOf ? project.imitationOf : undefined;
    if (!before) {
      const terms = this.#matching.projectTerms(project);
      const facets = projectFacets(project, this.#matching.regions, imitated);
      const keys = projectKeys(project, terms, facets);
      const searches = (await searchesUnder(tx, keys)).filter((s) => searchMatches(s.search as SavedSearch, terms, facets));
      const municipality = oneLine(project.municipality.name);
      const why: Record<string, string> = { [`municipality:${project.municipality.actorUrl}`]: reasons.newFromMunicipality(municipality) };
      for (const area of project.serviceAreas) why[`service-area:${area}`] = reasons.newInArea(serviceAreaLabel(area).toLowerCase(), municipality);
      for (const s of searches) why[s.id] = reasons.newForSearch(s.label);
      await this.#store(tx, eventId, project, {
        keys: [`m:${project.municipality.actorUrl}`, ...project.serviceAreas.map((a) => `a:${a}`)],
        kinds: ["service-area", "municipality"],
        ids: searches.map((s) => s.id),
        items: [{ kind: "new-project", reason: null }],
        reasons: why,
      });
    } else {
      const changes: { kind: NotificationKind; reason: string }[] = [];
      if (before.phase !== now.phase) changes.push({ kind: "phase", reason: reasons.phase(before.phase, now.phase) });
      if (before.n3Stage !== now.n3Stage) changes.push({ kind: "phase", reason: reasons.n3(before.n3Stage, now.n3Stage) });
      if (now.realisedBenefits > before.realisedBenefits) changes.push({ kind: "benefits", reason: reasons.benefits(now.realisedBenefits) });
      if (now.seekingPartners && !before.seekingPartners) changes.push({ kind: "seeking-partners", reason: reasons.seekingPartners() });
      // One notification per person, event and kind: the first change of a kind tells it.
      const items = changes.filter((c, i) => changes.findIndex((d) => d.kind === c.kind) === i);
      await this.#store(tx, eventId, project, { keys: [`p:${project.url}`], kinds: ["project"], items });
    }
    if (imitatedNow) {
      const original = await getProjectByUrl(tx, imitatedNow);
      if (original) {
        const reason = reasons.imitated(oneLine(project.municipality.name), oneLine(project.title));
        await this.#store(tx, eventId, original, { keys: [`p:${imitatedNow}`], kinds: ["project"], items: [{ kind: "imitated", reason }] });
      }
    }
  }

  /** One notification per person, event and kind, explained by their closest follow; switched-off kinds left out. */
  async #store(
    tx: Db,
    eventId: number,
    project: Project,
    what: Pick<FanOut, "keys" | "kinds" | "items"> & Partial<Pick<FanOut, "ids" | "reasons">>,
  ): Promise<void> {
    await fanOut(tx, {
      ids: [],
      reasons: {},
      ...what,
      groupLabels: subscriptionKindLabels,
      priority,
      title: oneLine(project.title),
      link: projectPath(project),
      eventId,
    });
  }

  // ---- the portal

  /** Newest first, each with whether it is unread (neither read on its own nor before the person's "all read"). */
  async list(accountId: string, options: { limit?: number; before?: number } = {}): Promise<(NotificationRow & { unread: boolean })[]> {
    const [rows, through] = await Promise.all([
      listNotifications(this.#db, accountId, { limit: options.limit ?? 50, before: options.before }),
      readThrough(this.#db, accountId),
    ]);
    return rows.map((r) => ({ ...r, unread: r.readAt === null && r.id > through }));
  }

  unreadCount(accountId: string): Promise<number> {
    return countUnread(this.#db, accountId);
  }

  markRead(accountId: string, id?: number): Promise<void> {
    return markRead(this.#db, accountId, id);
  }

  async prefs(accountId: string): Promise<NotificationPrefs> {
    const p = await getPrefs(this.#db, accountId);
    return {
      delivery: p.delivery,
      mutedKinds: p.mutedKinds.filter((k): k is NotificationKind => (notificationKindSlugs as string[]).includes(k)),
      digestHour: p.digestHour,
      digestWeekday: p.digestWeekday,
    };
  }

  async savePrefs(accountId: string, prefs: NotificationPrefs): Promise<void> {
    const issues: { field: string; message: string }[] = [];
    if (!Number.isInteger(prefs.digestHour) || prefs.digestHour < 0 || prefs.digestHour > 23) issues.push({ field: "digestHour", message: "må være en time fra 0 til 23" });
    if (!Number.isInteger(prefs.digestWeekday) || prefs.digestWeekday < 1 || prefs.digestWeekday > 7) issues.push({ field: "digestWeekday", message: "må være en ukedag" });
    if (issues.length > 0) throw new ValidationError(issues);
    await savePrefs(this.#db, accountId, { ...prefs, mutedKinds: [...new Set(prefs.mutedKinds)] });
  }

  // ---- one-click unsubscribe

  #mac(accountId: string, generation: number): string {
    return signToken(this.#secret, "unsubscribe", `${accountId}:${generation}`);
  }

  /** The token of the unsubscribe link in each e-mail: who, which generation, signed with the instance's key. */
  unsubscribeToken(accountId: string, generation: number): string {
    return `${accountId}.${generation}.${this.#mac(accountId, generation)}`;
  }

  /** Whose token this is, if it is ours and unaltered (it may still be used up). */
  readToken(token: string): { accountId: string; generation: number } | undefined {
    const m = /^([a-z0-9]{6,40})\.(\d{1,9})\.([A-Za-z0-9_-]{43})$/.exec(token);
    if (!m) return undefined;
    const [, accountId, gen, mac] = m;
    return sameToken(this.#mac(accountId, Number(gen)), mac) ? { accountId, generation: Number(gen) } : undefined;
  }

  /**
   * Stops e-mail for the token's owner. "invalid" for a token that is not
   * ours or was altered, "used" for one already used (every use makes the
   * links sent before it void, so a replayed link changes nothing).
   */
  async unsubscribe(token: string): Promise<"done" | "used" | "invalid"> {
    const who = this.readToken(token);
    if (!who) return "invalid";
    return (await unsubscribeIfCurrent(this.#db, who.accountId, who.generation)) ? "done" : "used";
  }
}
