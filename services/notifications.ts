// Notifications: the journal's "notifications" subscriber (server/subscribers.ts)
// tells staff what moved in what they follow, and the portal lists them. What
// moved is found by comparing each published project with what this
// subscriber last saw of it (notification_project_state); who hears of it is
// found by looking the project's keys up in the inverted index of follows
// (db/notifications.ts subscriptionsUnder): the cost grows with the number of
// follows that could match, not with the number of follows.
import { createHmac, timingSafeEqual } from "node:crypto";
import { eq } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import type { JournalEvent } from "../core/events.ts";
import type { Project } from "../core/project.ts";
import { projectPath } from "../core/urls.ts";
import { ideaStateLabels } from "../core/ideas.ts";
import { serviceAreaLabel, oneLine, ownIdeasLabel, reasons, notificationKindSlugs, subscriptionKindLabels, type Delivery, type NotificationKind } from "../core/notifications.ts";
import type { EventHandler, JournalEffect } from "../db/journal.ts";
import {
  countUnread,
  getPrefs,
  getProjectState,
  insertNotifications,
  listNotifications,
  markRead,
  readThrough,
  savePrefs,
  saveProjectState,
  subscriptionsUnder,
  unsubscribeIfCurrent,
  type NotificationRow,
  type ProjectState,
  type Subscription,
} from "../db/notifications.ts";
import type { NewNotification } from "../db/schema-notifications.ts";
import { getCollaborationRequest } from "../db/collaboration-requests.ts";
import { getProjectByUrl } from "../db/projects.ts";
import { accounts, imitationLinks, projects } from "../db/schema.ts";
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
  "idea.answered",
] as const;

type Matched = Subscription & { mutedKinds: string[] };

/** Which follow explains an item best, when one person follows it several ways. */
const priority: Record<Subscription["kind"], number> = { project: 0, search: 1, "service-area": 2, municipality: 3 };

interface Item {
  kind: NotificationKind;
  subscription: Matched;
  reason: string;
}

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
      case "idea.answered": {
        const { ideaId, title, state, reason, submitterAccountId } = event.payload;
        if (!submitterAccountId) return undefined;
        return async (tx) => {
          // An account removed since is told nothing.
          const [account] = await tx.select({ id: accounts.id }).from(accounts).where(eq(accounts.id, submitterAccountId));
          if (!account) return;
          const prefs = await getPrefs(tx, submitterAccountId);
          if (prefs.mutedKinds.includes("idea")) return;
          await insertNotifications(tx, [{
            accountId: submitterAccountId,
            kind: "idea",
            subscriptionId: null,
            groupLabel: ownIdeasLabel,
            title: oneLine(title),
            reason: oneLine(reasons.idea((ideaStateLabels[state] ?? state).toLowerCase(), reason), 400),
            link: `/ideer/${ideaId}`,
            dedupeKey: `${event.id}:idea`,
          }]);
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
    const followers = await subscriptionsUnder(tx, [`p:${projectUrl}`]);
    await this.#store(tx, eventId, project, followers.filter((s) => s.kind === "project").map((subscription) => ({ kind, subscription, reason })));
  }

  async #onProject(tx: Db, eventId: number, project: Project): Promise<void> {
    const before = await getProjectState(tx, project.url);
    const now = stateOf(project);
    await saveProjectState(tx, project.url, now);
    const items: Item[] = [];
    const imitatedNow = project.imitationOf && project.imitationOf !== before?.imitationOf ? project.imitationOf : undefined;
    if (!before) {
      const imitated = (await tx.select({ u: imitationLinks.copyUrl }).from(imitationLinks).where(eq(imitationLinks.originalUrl, project.url)).limit(1)).length > 0;
      const terms = this.#matching.projectTerms(project);
      const facets = projectFacets(project, this.#matching.regions, imitated);
      const candidates = await subscriptionsUnder(tx, projectKeys(project, terms, facets));
      const municipality = oneLine(project.municipality.name);
      for (const s of candidates) {
        if (s.kind === "project") continue;
        if (s.kind === "search" && !searchMatches(s.search as SavedSearch, terms, facets)) continue;
        const reason =
          s.kind === "service-area" ? reasons.newInArea(serviceAreaLabel(s.target).toLowerCase(), municipality)
          : s.kind === "municipality" ? reasons.newFromMunicipality(municipality)
          : reasons.newForSearch(s.label);
        items.push({ kind: "new-project", subscription: s, reason });
      }
    } else {
      const followers = (await subscriptionsUnder(tx, [`p:${project.url}`])).filter((s) => s.kind === "project");
      const changes: { kind: NotificationKind; reason: string }[] = [];
      if (before.phase !== now.phase) changes.push({ kind: "phase", reason: reasons.phase(before.phase, now.phase) });
      if (before.n3Stage !== now.n3Stage) changes.push({ kind: "phase", reason: reasons.n3(before.n3Stage, now.n3Stage) });
      if (now.realisedBenefits > before.realisedBenefits) changes.push({ kind: "benefits", reason: reasons.benefits(now.realisedBenefits) });
      if (now.seekingPartners && !before.seekingPartners) changes.push({ kind: "seeking-partners", reason: reasons.seekingPartners() });
      for (const s of followers) for (const c of changes) items.push({ ...c, subscription: s });
    }
    await this.#store(tx, eventId, project, items);
    if (imitatedNow) {
      const original = await getProjectByUrl(tx, imitatedNow);
      const followers = (await subscriptionsUnder(tx, [`p:${imitatedNow}`])).filter((s) => s.kind === "project");
      if (original) {
        const reason = reasons.imitated(oneLine(project.municipality.name), oneLine(project.title));
        await this.#store(tx, eventId, original, followers.map((subscription) => ({ kind: "imitated" as const, subscription, reason })));
      }
    }
  }

  /** One notification per person, event and kind, explained by their closest follow; switched-off kinds left out. */
  async #store(tx: Db, eventId: number, project: Project, items: readonly Item[]): Promise<void> {
    const best = new Map<string, Item>();
    for (const item of items) {
      if (item.subscription.mutedKinds.includes(item.kind)) continue;
      const key = `${item.subscription.accountId}|${item.kind}`;
      const held = best.get(key);
      if (!held || priority[item.subscription.kind] < priority[held.subscription.kind]) best.set(key, item);
    }
    if (best.size === 0) return;
    const title = oneLine(project.title);
    const link = projectPath(project);
    const rows: NewNotification[] = [...best.values()].map((item) => ({
      accountId: item.subscription.accountId,
      kind: item.kind,
      subscriptionId: item.subscription.id,
      groupLabel: `${subscriptionKindLabels[item.subscription.kind]}: ${item.subscription.label}`,
      title,
      reason: item.reason,
      link,
      dedupeKey: `${eventId}:${item.kind}`,
    }));
    await insertNotifications(tx, rows);
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
    return createHmac("sha256", this.#secret).update(`unsubscribe:${accountId}:${generation}`).digest("base64url");
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
    const expected = Buffer.from(this.#mac(accountId, Number(gen)));
    const given = Buffer.from(mac);
    return expected.length === given.length && timingSafeEqual(expected, given) ? { accountId, generation: Number(gen) } : undefined;
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
