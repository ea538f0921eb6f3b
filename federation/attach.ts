import type { AppExtensions } from "../server/app.ts";
import type { AppContext } from "../server/context.ts";
import { apiFollowRoutes } from "../server/routes/api-follows.ts";
import { federationAdminRoutes } from "../server/routes/federation-admin.ts";
import { resolveRemoteProject } from "./imitations.ts";
import { buildFederation, federationMiddleware, startFederationQueue, type FederationTuning, type KominnFederation } from "./index.ts";

export interface AttachedFederation extends KominnFederation {
  stop(): Promise<void>;
}

/** Plugs federation into an app being built: Fedify in front, the follows API, the admin page, and the queue. */
export function attachFederation(ctx: AppContext, extensions: AppExtensions, tuning?: FederationTuning): AttachedFederation {
  const kf = buildFederation(ctx, tuning);
  (extensions.before ??= []).push(federationMiddleware(kf.federation, ctx));
  (extensions.api ??= []).push(apiFollowRoutes(ctx, kf.follows));
  (extensions.pages ??= []).push(federationAdminRoutes(ctx, kf));
  ctx.resolveRemoteProject = (url) =>
    resolveRemoteProject(kf.federation.createContext(new URL(ctx.config.origin), ctx), url).catch((error) => {
      ctx.logger.warn(`could not fetch the project ${url}`, error);
      return undefined;
    });
  const stopQueue = startFederationQueue(ctx, kf);
  // The national instance looks in on the municipalities it follows: one that has gone (410) leaves the overview.
  const peerCheck =
    ctx.config.role === "aggregator"
      ? setInterval(() => void kf.follows.checkFollowed().catch((e) => ctx.logger.warn("peer check failed", e)), 6 * 60 * 60_000)
      : undefined;
  peerCheck?.unref();
  const stop = async () => {
    clearInterval(peerCheck);
    await stopQueue();
  };
  return { ...kf, stop };
}
