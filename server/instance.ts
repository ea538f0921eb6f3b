import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import type express from "express";
import { openDatabase, type Database } from "../db/client.ts";
import { newSecret } from "../db/ids.ts";
import { getOrInitSetting } from "../db/settings.ts";
import { createApp } from "./app.ts";
import type { Config } from "../core/config.ts";
import type { AppContext } from "./context.ts";
import { EventJournal } from "../db/journal.ts";
import { createLoginLimits } from "./http/rate-limit.ts";
import { createLogger, type Logger } from "../core/logger.ts";
import { ProjectService } from "../services/projects.ts";
import { ImitationService } from "../services/imitations.ts";
import { CollaborationService } from "../services/collaboration.ts";
import { ProfileService } from "../services/profile.ts";
import { FederationSettingsService } from "../services/federation-settings.ts";
import { OverviewService } from "../services/overview.ts";
import { MediaService, resolveMediaDir } from "../services/media.ts";
import { loadSecretKey, secretBox } from "./secret-box.ts";
import type { FederationDeps } from "../federation/deps.ts";
import { buildFederation, startFederation, type FederationTuning, type KominnFederation } from "../federation/index.ts";
import type { SearchDeps } from "../search/deps.ts";
import { startSearch, type Search } from "../search/index.ts";
import { startOidc } from "./auth/oidc/start.ts";
import { startSubscribers } from "./subscribers.ts";
import { startIdeaRetention } from "./routes/ideas-retention.ts";
import { IdeaService } from "../services/ideas.ts";
import { notificationServices } from "./notifications-search.ts";
import { NotificationDigests } from "./notification-digests.ts";
import type { DispatcherOptions, EventDispatcher } from "./event-dispatcher.ts";

export interface BuildOptions {
  logger?: Logger;
  /** Overrides the clock of the login rate limits (tests). */
  now?: () => number;
  /** Delivery retries, circuit breaker and queue workers (tests use short delays). */
  federation?: FederationTuning;
  /** How the journal's subscribers poll and retry (tests use short delays). */
  journal?: Omit<DispatcherOptions, "logger">;
}

/** Without federation (the CLI), no project is fetched from another instance. */
const noRemoteProjects = async (): Promise<undefined> => undefined;

/** Opens the database and builds everything a request needs; no network yet, and no remote projects (startInstance adds federation's). */
export async function buildContext(config: Config, options: BuildOptions = {}): Promise<{ ctx: AppContext; database: Database }> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    onConnectionError: (error) => logger.warn(`PostgreSQL closed an idle connection: ${error.message}`),
  });
  const events = new EventJournal(database.db);
  const secret = await getOrInitSetting(database.db, "secret", newSecret);
  const projects = new ProjectService(database.db, events, { origin: config.origin, role: config.role });
  const ctx: AppContext = {
    config,
    db: database.db,
    events,
    logger,
    projects,
    imitations: new ImitationService(database.db, projects, logger),
    collaboration: new CollaborationService(database.db, events, projects),
    profile: new ProfileService(database.db, events, { origin: config.origin, role: config.role }),
    federationSettings: new FederationSettingsService(database.db, events),
    overview: new OverviewService(database.db),
    media: new MediaService(database.db, events, { ...resolveMediaDir(config), logger }),
    secrets: secretBox(() => loadSecretKey({ secretKey: config.secretKey, dataDir: config.dataDir })),
    secret,
    loginLimits: createLoginLimits(options.now),
    resolveRemoteProject: noRemoteProjects,
    ...notificationServices(database.db, secret),
  };
  return { ctx, database };
}

export interface Instance {
  ctx: AppContext;
  app: express.Express;
  server: Server;
  /** Where it listens, e.g. http://127.0.0.1:41234 */
  url: string;
  federation: KominnFederation;
  search: Search;
  /** Hands the journal's events to federation, search, imitation bookkeeping and caches (server/subscribers.ts). */
  subscribers: EventDispatcher;
  /** Queues notification e-mail and digests when they are due (server/notification-digests.ts). */
  notificationDigests: NotificationDigests;
  close(): Promise<void>;
}

/** Starts a whole instance: database, app and HTTP server. */
export async function startInstance(config: Config, options: BuildOptions = {}): Promise<Instance> {
  const { ctx: base, database } = await buildContext(config, options);
  // Media files a crash left without a row are removed before anything is served.
  await base.media.start();
  const { db, events, logger, imitations, collaboration } = base;
  const federationDeps: FederationDeps = { config, db, logger, events, imitations, collaboration };
  const federation = buildFederation(federationDeps, options.federation);
  const stopFederation = startFederation(federationDeps, federation);
  const ctx: AppContext = {
    ...base,
    resolveRemoteProject: federation.resolveRemoteProject,
    // Following another municipality's project follows that municipality on the staff member's behalf.
    ...notificationServices(db, base.secret, {
      resolveProject: federation.resolveRemoteProject,
      followMunicipality: async (actorUrl) => void (await federation.following.follow(actorUrl)),
    }),
  };
  const searchDeps: SearchDeps = { config, db, logger };
  const search = await startSearch(searchDeps);
  const oidc = startOidc(ctx);
  const app = createApp(ctx, { federation, search: search.service, oidc });
  // Replays what the journal holds beyond each subscriber's position, then follows it.
  const subscribers = startSubscribers(events, { imitations, search: search.indexer, federation, pages: ctx, mail: { config, db, logger }, notifications: ctx.notifications }, { logger, ...options.journal });
  // Personal data of ideas past the retention period the administrator set is erased hourly.
  const stopIdeaRetention = startIdeaRetention(new IdeaService(db, events, ctx.projects, { origin: config.origin }), logger);
  // Notification e-mail at once and digests at their hour (Europe/Oslo), through the mail outbox.
  const notificationDigests = new NotificationDigests(events, ctx.notifications, { origin: config.origin, logger });
  notificationDigests.start();
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(config.port, config.host, (error?: Error) => (error ? reject(error) : resolve(s)));
  });
  server.keepAliveTimeout = 65_000;
  const { port } = server.address() as AddressInfo;
  const host = config.host === "0.0.0.0" ? "127.0.0.1" : config.host;
  return {
    ctx,
    app,
    server,
    url: `http://${host}:${port}`,
    federation,
    search,
    subscribers,
    notificationDigests,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await ctx.events.settled();
      stopIdeaRetention();
      await subscribers.stop();
      await notificationDigests.stop();
      await stopFederation();
      await search.close();
      await database.close();
      await ctx.media.close();
    },
  };
}
