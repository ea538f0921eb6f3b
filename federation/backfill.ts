import type { Context } from "@fedify/fedify";
import { Create, isActor } from "@fedify/vocab";
import { markBackfilled } from "../db/follows.ts";
import { getMunicipalityByActorUrl } from "../db/municipalities.ts";
import type { FollowRow } from "../db/schema-federation.ts";
import type { AppContext } from "../server/context.ts";
import { rememberActor } from "./actor.ts";
import { fetchAndStoreProject } from "./remote-projects.ts";
import { getFederationSettings } from "./settings.ts";

const concurrency = 8;
const running = new Set<Promise<unknown>>();

export interface BackfillResult {
  seen: number;
  stored: number;
  failed: number;
}

/**
 * After a follow is accepted: walk the followed actor's outbox (newest first,
 * up to the configured bound) and cache each project. Projects are keyed by
 * URL, so running it twice, or alongside live deliveries, never duplicates.
 */
export async function backfill(ctx: Context<AppContext>, follow: FollowRow, limit?: number): Promise<BackfillResult> {
  const app = ctx.data;
  const bound = limit ?? (await getFederationSettings(app.db)).backfillLimit;
  const result: BackfillResult = { seen: 0, stored: 0, failed: 0 };
  const actor = await ctx.lookupObject(follow.targetActorUrl);
  if (!actor || !isActor(actor)) return result;
  const municipality = (await getMunicipalityByActorUrl(app.db, follow.targetActorUrl)) ?? (await rememberActor(app.db, actor));
  const outbox = await actor.getOutbox();
  if (!outbox) return result;

  const urls = new Set<string>();
  for await (const item of ctx.traverseCollection(outbox, { suppressError: true })) {
    if (urls.size >= bound) break;
    if (item instanceof Create && item.objectId && item.actorId?.href === follow.targetActorUrl) urls.add(item.objectId.href);
  }
  const queue = [...urls];
  result.seen = queue.length;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let url = queue.shift(); url; url = queue.shift()) {
        try {
          if ((await fetchAndStoreProject(app, municipality, new URL(url))) === "stored") result.stored++;
        } catch (error) {
          result.failed++;
          app.logger.warn(`backfill: could not fetch ${url}`, error instanceof Error ? error.message : error);
        }
      }
    }),
  );
  await markBackfilled(app.db, follow.id);
  app.logger.info(`backfill of ${follow.targetHandle}: ${result.stored} of ${result.seen} projects stored`);
  return result;
}

/** Runs a backfill in the background so the Accept is answered at once. */
export function startBackfill(ctx: Context<AppContext>, follow: FollowRow): void {
  const run = backfill(ctx, follow).catch((error) => ctx.data.logger.warn(`backfill of ${follow.targetHandle} failed`, error));
  running.add(run);
  void run.finally(() => running.delete(run));
}

/** Resolves when every background backfill has finished (shutdown, tests). */
export async function backfillsSettled(): Promise<void> {
  while (running.size > 0) await Promise.allSettled([...running]);
}
