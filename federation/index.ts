import { createExponentialBackoffPolicy, createFederation, type Context, type Federation } from "@fedify/fedify";
import type { RequestHandler } from "express";
import type { Project } from "../core/project.ts";
import { forgetProcessedBefore } from "../db/delivery-state.ts";
import type { FederationDeps } from "./deps.ts";
import { registerActor } from "./actor.ts";
import { backfillsSettled } from "./backfill.ts";
import { registerCollections } from "./collections.ts";
import { deliveryObservers } from "./delivery-health.ts";
import { installFetchGuard, runWithNetwork } from "./fetch-guard.ts";
import { federationLoaders } from "./loaders.ts";
import { DomainBlocks } from "./domain-blocks.ts";
import { Followers } from "./followers.ts";
import { Following } from "./following.ts";
import { checkPeers, type PeerCheck } from "./peer-check.ts";
import { resolveRemoteProject } from "./imitations.ts";
import { registerInbox } from "./inbox/index.ts";
import { httpSignatureSeen, stampSigner } from "./inbox/sender.ts";
import { InboxLoad } from "./inbox/inbound-request.ts";
import { kvStoreOf, publicKeyPrefix, type DrizzleKvStore } from "./kv.ts";
import { signatureTimeWindow } from "./keys.ts";
import { HotKeysKvStore } from "./hot-kv.ts";
import { federationMiddleware } from "./middleware.ts";
import { acceptSignedActivity } from "./inbox/accept.ts";
import { collaborationHandler } from "./collaboration.ts";
import { challengeHandler, registerChallengeObject } from "./challenge-object.ts";
import { outboxHandler } from "./outbox.ts";
import type { EventHandler } from "../db/journal.ts";
import { DrizzleMessageQueue } from "./queue.ts";

export interface FederationTuning {
  /** Concurrent deliveries; one slow inbox holds one worker, never the rest. */
  deliveryWorkers?: number;
  /**
   * Accepted inbound activities handled at once while the inbox is quiet
   * (none while it is answering requests: inbox/inbound-request.ts). Most of
   * their time is the database and the journal's subscribers, which a few
   * keep busy; more only wait for each other.
   */
  inboundWorkers?: number;
  /**
   * Retries of a failing inbox: the first delay, doubling (with jitter) up to
   * the cap, for at most `retryMaxAttempts` failed attempts. Time held by an
   * open circuit costs no attempt.
   */
  retryInitialDelayMs?: number;
  retryMaxDelayMs?: number;
  retryMaxAttempts?: number;
  /**
   * Circuit breaker per receiving host: `breakerFailures` failures within the
   * window open it. While open, the host's deliveries wait and one probe goes
   * every `breakerRecoveryMs`; once a probe gets through, everything held
   * follows at once, in order. A delivery held longer than `heldDeliveryTtlMs`
   * is given up.
   */
  breakerFailures?: number;
  breakerWindowMs?: number;
  breakerRecoveryMs?: number;
  heldDeliveryTtlMs?: number;
  /** Deadline for every outgoing HTTP request. */
  requestTimeoutMs?: number;
  queuePollMs?: number;
}

const defaults: Required<FederationTuning> = {
  deliveryWorkers: 64,
  inboundWorkers: 8,
  // A follower that was away gets what it missed within about a minute of
  // coming back: a retry is never more than a minute off, a probe 30 s.
  retryInitialDelayMs: 5_000,
  retryMaxDelayMs: 60_000,
  retryMaxAttempts: 10,
  breakerFailures: 5,
  breakerWindowMs: 10 * 60_000,
  breakerRecoveryMs: 30_000,
  heldDeliveryTtlMs: 7 * 24 * 60 * 60_000,
  requestTimeoutMs: 10_000,
  queuePollMs: 250,
};

export interface KominnFederation {
  federation: Federation<FederationDeps>;
  /** A context outside any request, for work started here (following, backfills). */
  context(): Context<FederationDeps>;
  /** The municipalities we follow. */
  following: Following;
  /** Those who follow us. */
  followers: Followers;
  domainBlocks: DomainBlocks;
  /** Asks every followed municipality whether it is still there (peer-check.ts). */
  checkPeers(): Promise<PeerCheck[]>;
  queue: DrizzleMessageQueue;
  kv: DrizzleKvStore;
  /** The journal's subscribers that turn events into activities (server/subscribers.ts lists them). */
  handlers: { outbox: EventHandler; collaboration: EventHandler; challenges: EventHandler };
  /** Express middleware in front of the app: Fedify answers ActivityPub requests and passes the rest on. */
  middleware: RequestHandler;
  /** Finds a project by its URL, fetching it (and its originals) from its own host when we do not hold it; undefined when it cannot be had. */
  resolveRemoteProject(url: string): Promise<Project | undefined>;
}

/** Builds the Fedify federation for one instance: our kv and queue, actor, collections and inbox. */
export function buildFederation(app: FederationDeps, tuning: FederationTuning = {}): KominnFederation {
  const t = { ...defaults, ...tuning };
  const observe = deliveryObservers(app, t);
  installFetchGuard(app.config, t.requestTimeoutMs);
  const kv = kvStoreOf(app.db);
  // Set below; the queue's hook needs a context only once messages flow.
  let context = (): Context<FederationDeps> => {
    throw new Error("federation not built yet");
  };
  // While the inbox is answering, accepted activities wait (inbound-request.ts).
  const load = new InboxLoad(() => queue.wake());
  const queue = new DrizzleMessageQueue(app.db, {
    workers: t.deliveryWorkers,
    pollMs: t.queuePollMs,
    releaseLeasesOnStart: true,
    logger: app.logger,
    prepare: (message) => stampSigner(message, () => context()),
    inboundLimit: () => (load.busy ? 0 : t.inboundWorkers),
  });
  const federation = createFederation<FederationDeps>({
    // Per-host delivery state (circuit breaker, signature spec) read from memory: hot-kv.ts.
    kv: new HotKeysKvStore(kv, app.db),
    // One database-backed queue for everything. An inbound activity is
    // accepted once Fedify has verified its signature and that its actor owns
    // the key, written to the queue with who signed it (inbox/sender.ts), and
    // answered 202; our handlers run from the queue (docs/adr/0009-inbound-queue.md).
    queue: { inbox: queue, outbox: queue, fanout: queue },
    manuallyStartQueue: true,
    origin: app.config.origin,
    // One loader pipeline in every mode (loaders.ts): preloaded contexts, our kv
    // cache, then the guarded fetch. The address policy is ours, checked at each
    // connection (fetch-guard.ts); Fedify takes no userAgent beside custom
    // loaders, so our fetches and the fetch guard set the User-Agent.
    ...federationLoaders(app.config, kv, app.logger),
    outboxRetryPolicy: createExponentialBackoffPolicy({
      initialDelay: { milliseconds: t.retryInitialDelayMs },
      maxAttempts: t.retryMaxAttempts,
      maxDelay: { milliseconds: t.retryMaxDelayMs },
    }),
    circuitBreaker: {
      failureThreshold: t.breakerFailures,
      failureWindow: { milliseconds: t.breakerWindowMs },
      recoveryDelay: { milliseconds: t.breakerRecoveryMs },
      heldActivityTtl: { milliseconds: t.heldDeliveryTtlMs },
      onStateChange: observe.onStateChange,
    },
    onOutboxError: observe.onOutboxError,
    // An inbound activity whose handling failed (not refused: e.g. its object's
    // host did not answer) is tried again from the queue, in its lane.
    inboxRetryPolicy: createExponentialBackoffPolicy({
      initialDelay: { milliseconds: t.retryInitialDelayMs },
      maxAttempts: t.retryMaxAttempts,
      maxDelay: { milliseconds: t.retryMaxDelayMs },
    }),
    signatureTimeWindow,
    // Fedify's report of the key whose HTTP signature it verified, so the inbox's sender check does not verify it again (inbox/sender.ts).
    tracerProvider: httpSignatureSeen,
    kvPrefixes: { publicKey: [...publicKeyPrefix] },
  });
  federation.setOutboxPermanentFailureHandler(observe.onPermanentFailure);
  registerActor(federation);
  registerCollections(federation);
  registerInbox(federation);
  registerChallengeObject(federation);
  const handlers = {
    outbox: outboxHandler(app, federation, queue),
    collaboration: collaborationHandler(app, federation, queue),
    challenges: challengeHandler(app, federation, queue),
  };
  context = () => federation.createContext(new URL(app.config.origin), app);
  const resolve = (url: string) =>
    resolveRemoteProject(context(), url).catch((error) => {
      app.logger.warn(`could not fetch the project ${url}`, error);
      return undefined;
    });
  return {
    federation,
    context,
    following: new Following(context),
    followers: new Followers(context),
    domainBlocks: new DomainBlocks(app),
    checkPeers: () => checkPeers(app),
    queue,
    kv,
    handlers,
    middleware: federationMiddleware(federation, app, load, (request, activity) => acceptSignedActivity(app, context, queue, request, activity)),
    resolveRemoteProject: resolve,
  };
}

/**
 * Starts the delivery queue, and on the
 * national instance the periodic peer check; returns a stop function that
 * waits for the workers and backfills.
 */
export function startFederation(app: FederationDeps, kf: KominnFederation): () => Promise<void> {
  const controller = new AbortController();
  // The workers deliver with Fedify's global fetch: inside runWithNetwork it goes through our network.
  const running = runWithNetwork(app.config, () => kf.federation.startQueue(app, { signal: controller.signal })).catch((error) => app.logger.error("federation queue stopped", error));
  // Housekeeping: expired cache entries, and activity ids old enough that no sender still retries them.
  const sweep = setInterval(() => {
    void kf.kv.sweep().catch(() => {});
    void forgetProcessedBefore(app.db, new Date(Date.now() - 30 * 24 * 60 * 60 * 1000)).catch(() => {});
  }, 10 * 60_000);
  sweep.unref();
  // The national instance looks in on the municipalities it follows: one that has gone (410) leaves the overview.
  const peerCheck =
    app.config.role === "aggregator"
      ? setInterval(() => void kf.checkPeers().catch((e) => app.logger.warn("peer check failed", e)), 6 * 60 * 60_000)
      : undefined;
  peerCheck?.unref();
  return async () => {
    clearInterval(peerCheck);
    clearInterval(sweep);
    controller.abort();
    await running;
    await backfillsSettled();
  };
}
