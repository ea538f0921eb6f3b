import type { Context } from "@fedify/fedify";
import { isActor } from "@fedify/vocab";
import { markBackfilled } from "../db/follows.ts";
import { getMunicipalityByActorUrl } from "../db/municipalities.ts";
import type { FollowRow } from "../db/schema-federation.ts";
import type { FederationDeps } from "./deps.ts";
import { rememberActor } from "./actor.ts";
import { eachLimited } from "./each-limited.ts";
import { fetchActivityJson } from "./fetch-guard.ts";
import { lookupByUrl } from "./loaders.ts";
import { fetchAndStoreProject, storeProjectDocument } from "./remote-projects.ts";
import { getFederationSettings } from "../db/federation-settings.ts";
import { idOf } from "./json-id.ts";

const concurrency = 8;
const maxPages = 100;
const running = new Set<Promise<unknown>>();

export interface BackfillResult {
  seen: number;
  stored: number;
  failed: number;
}

type Json = Record<string, unknown>;

/**
 * After a follow is accepted: walk the followed actor's outbox (newest first,
 * up to the configured bound) and cache each project. Pages come straight from
 * the actor's host; a KOMINN peer embeds the full Articles (one request per 50
 * projects), anything else is fetched one by one. Projects are keyed by URL,
 * so running it twice, or alongside live deliveries, never duplicates.
 */
export async function backfill(ctx: Context<FederationDeps>, follow: FollowRow, limit?: number): Promise<BackfillResult> {
  const app = ctx.data;
  const bound = limit ?? (await getFederationSettings(app.db)).backfillLimit;
  const result: BackfillResult = { seen: 0, stored: 0, failed: 0 };
  if (bound <= 0) return result;
  const actor = await lookupByUrl(ctx, follow.targetActorUrl);
  if (!actor || !isActor(actor) || !actor.outboxId) return result;
  const municipality = (await getMunicipalityByActorUrl(app.db, follow.targetActorUrl)) ?? (await rememberActor(app.db, actor));
  const origin = new URL(follow.targetActorUrl).origin;

  const embedded: { json: Json; context: unknown }[] = [];
  const byReference: string[] = [];
  const seen = new Set<string>();
  const root = (await fetchActivityJson(actor.outboxId, { network: app.config })).json as Json | null;
  let pageRef: unknown = root?.first ?? (Array.isArray(root?.orderedItems) ? root : undefined);
  for (let n = 0; pageRef && n < maxPages && seen.size < bound; n++) {
    const page = (typeof pageRef === "string" ? (await fetchActivityJson(pageRef, { network: app.config })).json : pageRef) as Json | null;
    if (!page) break;
    const pageId = idOf(page);
    if (pageId && new URL(pageId).origin !== origin) break; // pages must come from the actor's own host
    const items = (page.orderedItems ?? page.items ?? []) as unknown[];
    for (const item of Array.isArray(items) ? items : []) {
      if (seen.size >= bound) break;
      const activity = item as Json;
      if (activity?.type !== "Create" || idOf(activity.actor) !== follow.targetActorUrl) continue;
      const objectId = idOf(activity.object);
      if (!objectId || seen.has(objectId)) continue;
      seen.add(objectId);
      if (typeof activity.object === "object") embedded.push({ json: activity.object as Json, context: page["@context"] });
      else byReference.push(objectId);
    }
    pageRef = page.next;
  }
  result.seen = seen.size;

  const tally = (outcome: string) => {
    if (outcome === "stored") result.stored++;
  };
  for (const { json, context } of embedded) {
    try {
      // An embedded object without our terms (not a KOMINN peer) is fetched instead.
      tally(await storeProjectDocument(app, municipality, { "@context": context, ...json }));
    } catch {
      byReference.push(json.id as string);
    }
  }
  await eachLimited(byReference, concurrency, async (url) => {
    try {
      tally(await fetchAndStoreProject(app, municipality, new URL(url)));
    } catch (error) {
      result.failed++;
      app.logger.warn(`backfill: could not fetch ${url}`, error instanceof Error ? error.message : error);
    }
  });
  await markBackfilled(app.db, follow.id);
  app.logger.info(`backfill of ${follow.targetHandle}: ${result.stored} of ${result.seen} projects stored`);
  return result;
}

/** Runs a backfill in the background so the Accept is answered at once. */
export function startBackfill(ctx: Context<FederationDeps>, follow: FollowRow): void {
  const run = backfill(ctx, follow).catch((error) => ctx.data.logger.warn(`backfill of ${follow.targetHandle} failed`, error));
  running.add(run);
  void run.finally(() => running.delete(run));
}

/** Resolves when every background backfill has finished (shutdown, tests). */
export async function backfillsSettled(): Promise<void> {
  while (running.size > 0) await Promise.allSettled([...running]);
}
