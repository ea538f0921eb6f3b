import { createExponentialBackoffPolicy, createFederation, type Federation } from "@fedify/fedify";
import { clearDeliveryFailure, forgetProcessedBefore, recordDeliveryFailure, setCircuitState } from "../db/delivery-state.ts";
import { removeFollowersByUrls } from "../db/followers.ts";
import type { AppContext } from "../server/context.ts";
import { registerActor } from "./actor.ts";
import { backfillsSettled } from "./backfill.ts";
import { registerCollections } from "./collections.ts";
import { installFetchGuard, runWithNetwork } from "./fetch-guard.ts";
import { federationLoaders } from "./loaders.ts";
import { FollowService } from "./follow-service.ts";
import { registerInbox } from "./inbox/index.ts";
import { DrizzleKvStore } from "./kv.ts";
import { federationMiddleware } from "./middleware.ts";
import { subscribeCollaboration } from "./collaboration.ts";
import { subscribeOutbox } from "./outbox.ts";
import { DrizzleMessageQueue } from "./queue.ts";

export interface FederationTuning {
  /** Concurrent deliveries; one slow inbox holds one worker, never the rest. */
  deliveryWorkers?: number;
  /** First retry delay and the number of attempts for a failing inbox. */
  retryInitialDelayMs?: number;
  retryMaxAttempts?: number;
  /** Circuit breaker per receiving host: failures within the window open it for `breakerRecoveryMs`. */
  breakerFailures?: number;
  breakerWindowMs?: number;
  breakerRecoveryMs?: number;
  /** Deadline for every outgoing HTTP request. */
  requestTimeoutMs?: number;
  queuePollMs?: number;
}

const defaults: Required<FederationTuning> = {
  deliveryWorkers: 64,
  retryInitialDelayMs: 30_000,
  retryMaxAttempts: 10,
  breakerFailures: 5,
  breakerWindowMs: 10 * 60_000,
  breakerRecoveryMs: 10 * 60_000,
  requestTimeoutMs: 10_000,
  queuePollMs: 250,
};

export interface KominnFederation {
  federation: Federation<AppContext>;
  follows: FollowService;
  queue: DrizzleMessageQueue;
  kv: DrizzleKvStore;
  /** Sends what a crash held back from our followers and peers (see outbox.ts, collaboration.ts). */
  catchUp(): Promise<void>;
}

/** Builds the Fedify federation for one instance: our kv and queue, actor, collections and inbox. */
export function buildFederation(app: AppContext, tuning: FederationTuning = {}): KominnFederation {
  const t = { ...defaults, ...tuning };
  installFetchGuard(app.config, t.requestTimeoutMs);
  const kv = new DrizzleKvStore(app.db);
  const queue = new DrizzleMessageQueue(app.db, {
    workers: t.deliveryWorkers,
    pollMs: t.queuePollMs,
    releaseLeasesOnStart: true,
    logger: app.logger,
  });
  const federation = createFederation<AppContext>({
    kv,
    // Inbound activities are handled in the request (so a refusal is immediate);
    // outbound deliveries and fan-out go through the database-backed queue.
    queue: { outbox: queue, fanout: queue },
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
      maxDelay: { hours: 12 },
    }),
    circuitBreaker: {
      failureThreshold: t.breakerFailures,
      failureWindow: { milliseconds: t.breakerWindowMs },
      recoveryDelay: { milliseconds: t.breakerRecoveryMs },
      onStateChange: async (host, _previous, next) => {
        const retryAt = next === "open" ? new Date(Date.now() + t.breakerRecoveryMs) : null;
        await setCircuitState(app.db, host, next, retryAt).catch(() => {});
      },
    },
    onOutboxError: async (error, activity) => {
      const inbox = (error as { inbox?: URL }).inbox;
      const host = inbox?.host ?? "ukjent";
      const retryAt = new Date(Date.now() + t.retryInitialDelayMs);
      app.logger.debug(`delivery of ${activity?.id?.href ?? "?"} to ${inbox?.href ?? "?"} failed: ${error.message}`);
      await recordDeliveryFailure(app.db, host, error.message.slice(0, 500), retryAt).catch(() => {});
    },
    signatureTimeWindow: { minutes: 5 },
  });
  federation.setOutboxPermanentFailureHandler(async (_ctx, failure) => {
    const removed = await removeFollowersByUrls(app.db, [failure.inbox.href, ...failure.actorIds.map((u) => u.href)]);
    app.logger.info(`inbox ${failure.inbox.href} answered ${failure.statusCode}: ${removed} follower(s) removed`);
    await clearDeliveryFailure(app.db, failure.inbox.host).catch(() => {});
  });
  registerActor(federation);
  registerCollections(federation);
  registerInbox(federation);
  const outbox = subscribeOutbox(app, federation);
  const collaboration = subscribeCollaboration(app, federation);
  const catchUp = async () => {
    await outbox.catchUp();
    await collaboration.catchUp();
  };
  return { federation, follows: new FollowService(app, federation), queue, kv, catchUp };
}

/** Starts the delivery queue; returns a stop function that waits for the workers and backfills. */
export function startFederationQueue(app: AppContext, kf: KominnFederation): () => Promise<void> {
  const controller = new AbortController();
  // The workers deliver with Fedify's global fetch: inside runWithNetwork it goes through our network.
  const running = runWithNetwork(app.config, () => kf.federation.startQueue(app, { signal: controller.signal })).catch((error) => app.logger.error("federation queue stopped", error));
  const caughtUp = kf.catchUp().catch((error) => app.logger.warn("federation: could not send what a restart held back", error));
  // Housekeeping: expired cache entries, and activity ids old enough that no sender still retries them.
  const sweep = setInterval(() => {
    void kf.kv.sweep().catch(() => {});
    void forgetProcessedBefore(app.db, new Date(Date.now() - 30 * 24 * 60 * 60 * 1000)).catch(() => {});
  }, 10 * 60_000);
  sweep.unref();
  return async () => {
    clearInterval(sweep);
    await caughtUp;
    controller.abort();
    await running;
    await backfillsSettled();
  };
}

export { federationMiddleware };
