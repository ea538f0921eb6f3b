// Every subscriber of the journal of domain events, in one table: who listens
// to what, and in which order. A service appends its event in the transaction
// of its change (db/journal.ts); the dispatcher (event-dispatcher.ts) hands
// each event to each subscriber here exactly once, from the subscriber's last
// acknowledged position, at start and as events are appended.
import type { EventName } from "../core/events.ts";
import type { EventHandler } from "../db/journal.ts";
import type { ImitationService } from "../services/imitations.ts";
import type { SearchIndexer } from "../search/indexer.ts";
import type { KominnFederation } from "../federation/index.ts";
import type { AppContext } from "./context.ts";
import { overviewCountsHandler, overviewEvents, overviewSubscriber } from "../db/overview-counters.ts";
import { profileCacheHandler } from "./routes/page-helpers.ts";
import { EventDispatcher, type DispatcherOptions, type Subscriber } from "./event-dispatcher.ts";
import { notificationEvents, type NotificationService } from "../services/notifications.ts";
import { mailSender, type MailSenderDeps } from "./mail-sender.ts";
import { IdeaService } from "../services/ideas.ts";

/** The parts of an instance that subscribe; a part left out (a test, a tool) leaves its subscriber out. */
export interface SubscriberParts {
  imitations?: ImitationService;
  search?: SearchIndexer;
  federation?: Pick<KominnFederation, "handlers">;
  /** The request context whose profile cache `profile.updated` clears. */
  pages?: AppContext;
  /** Sends queued e-mail when SMTP_URL is set (server/mail-sender.ts). */
  mail?: MailSenderDeps;
  /** Tells staff what moved in what they follow (services/notifications.ts). */
  notifications?: NotificationService;
}

const projectEvents = ["project.published", "project.updated", "project.unpublished", "project.deleted"] as const;
const remoteProjectEvents = ["remote.project.upserted", "remote.project.removed"] as const;

interface Row {
  name: string;
  events: readonly EventName[];
  after?: readonly string[];
  handler: (parts: SubscriberParts) => EventHandler | undefined;
}

/**
 * The table, in the order the subscribers need. Names are positions in the
 * database: renaming one replays the whole journal to it.
 */
const table: readonly Row[] = [
  {
    // The lineage of imitations: what search counts and federation addresses.
    name: "imitations",
    events: [...projectEvents, ...remoteProjectEvents],
    handler: (p) => p.imitations?.handler(),
  },
  {
    // Documents carry imitation counts, so the links are written first.
    name: "search",
    events: [...projectEvents, ...remoteProjectEvents, "profile.updated"],
    after: ["imitations"],
    handler: (p) => p.search?.handler(),
  },
  {
    // Create/Update/Delete to followers and to the owners of an imitation's originals (found through the links).
    name: "federation.outbox",
    events: [...projectEvents, "profile.updated", "federation.settings.updated"],
    after: ["imitations"],
    handler: (p) => p.federation?.handlers.outbox,
  },
  {
    name: "federation.collaboration",
    events: ["collaboration.requested", "collaboration.decided"],
    handler: (p) => p.federation?.handlers.collaboration,
  },
  {
    // Idea competitions opened to other municipalities, to our followers; our staff's ideas to their owners (federation/challenge-object.ts).
    name: "federation.challenges",
    events: ["challenge.opened", "challenge.updated", "idea.sent"],
    handler: (p) => p.federation?.handlers.challenges,
  },
  {
    // The overview's counters (db/overview-counters.ts): after the links, so its content version is the newest.
    name: overviewSubscriber,
    events: overviewEvents,
    after: ["imitations"],
    handler: (p) => (p.pages ? overviewCountsHandler() : undefined),
  },
  {
    // An idea that became a project is put to use when the project reaches Drift or N3 "nyttiggjort" (services/ideas.ts).
    name: "ideas",
    events: ["project.published", "project.updated", "remote.project.upserted"],
    handler: (p) => (p.pages ? new IdeaService(p.pages.db, p.pages.events, p.pages.projects, { origin: p.pages.config.origin, secret: p.pages.secret }).projectHandler() : undefined),
  },
  {
    // E-mail from the outbox (services/mail.ts), through SMTP_URL; without it, mail stays in the outbox.
    name: "mail",
    events: ["mail.queued"],
    handler: (p) => (p.mail ? mailSender(p.mail) : undefined),
  },
  {
    // A deleted project's attachment rows went with it: its files are removed (services/media.ts).
    name: "media.files",
    events: ["project.deleted"],
    handler: (p) => p.pages?.media.handler(),
  },
  {
    // What moved in what staff follow (services/notifications.ts): after the links, so "imitated" filters see them.
    name: "notifications",
    events: notificationEvents,
    after: ["imitations"],
    handler: (p) => p.notifications?.handler(),
  },
  {
    name: "profile-cache",
    events: ["profile.updated"],
    handler: (p) => (p.pages ? profileCacheHandler(p.pages) : undefined),
  },
];

/** Who listens to what, and after whom, without the handlers (the journal benchmark gives each a no-op). */
export const subscriberTable: readonly Omit<Row, "handler">[] = table.map(({ name, events, after }) => ({ name, events, after }));

/** The subscribers for these parts, in table order. */
export function subscribers(parts: SubscriberParts): Subscriber[] {
  const list: Subscriber[] = [];
  for (const row of table) {
    const handler = row.handler(parts);
    if (handler) list.push({ name: row.name, events: row.events, after: row.after, handler });
  }
  return list;
}

/** Starts handing the journal's events to the subscribers of these parts; `stop()` before the database closes. */
export function startSubscribers(
  journal: AppContext["events"],
  parts: SubscriberParts,
  options: DispatcherOptions,
): EventDispatcher {
  const dispatcher = new EventDispatcher(journal, subscribers(parts), options);
  dispatcher.start();
  return dispatcher;
}
