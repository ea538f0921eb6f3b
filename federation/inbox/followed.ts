import type { InboxContext, KvKey } from "@fedify/fedify";
import { Temporal as Polyfill } from "@js-temporal/polyfill";
import { Accept, isActor, Organization, type Actor, type Follow } from "@fedify/vocab";
import { getFollowByTarget } from "../../db/follows.ts";
import { upsertFollower } from "../../db/followers.ts";
import { newId } from "../../db/ids.ts";
import type { FederationDeps } from "../deps.ts";
import { actorHandle, localActorRow } from "../actor.ts";
import { sendFollow } from "../following.ts";
import { kvStoreOf } from "../kv.ts";
import { getFederationSettings } from "../../db/federation-settings.ts";

/**
 * A follower who follows again (a peer that lost our Accept, or dropped its
 * follow and asks again) is answered again, up to `acceptsPerWindow` times in
 * the window; a flood of Follows gets no more Accepts than that.
 */
const acceptWindow = Polyfill.Duration.from({ minutes: 10 }) as unknown as Temporal.Duration;
const acceptsPerWindow = 3;

/** Someone follows us: accept at once, or hold it for an administrator (a setting). */
export async function onFollowed(ctx: InboxContext<FederationDeps>, follow: Follow): Promise<void> {
  const app = ctx.data;
  if (!follow.id || !follow.objectId) return;
  const target = ctx.parseUri(follow.objectId);
  if (target?.type !== "actor" || !(await localActorRow(app.db, target.identifier))) return;
  const follower = await follow.getActor();
  if (!follower || !isActor(follower) || !follower.id || !follower.inboxId) return;
  if (follower.id.href !== follow.actorId?.href) return;

  const { approveFollowers } = await getFederationSettings(app.db);
  const row = await upsertFollower(app.db, {
    actorUrl: follower.id.href,
    handle: actorHandle(follower),
    name: follower.name?.toString() ?? null,
    inboxUrl: follower.inboxId.href,
    sharedInboxUrl: follower.endpoints?.sharedInbox?.href ?? null,
    followActivityId: follow.id.href,
    status: approveFollowers ? "pending" : "accepted",
  });
  if (row.status !== "accepted") return;
  if (!(await mayAcceptAgain(app, row.actorUrl, row.id))) {
    app.logger.debug(`inbox: Follow ${follow.id.href} repeats an accepted follow; no new Accept`);
    return;
  }
  await ctx.sendActivity(
    { identifier: target.identifier },
    follower,
    new Accept({
      id: new URL(`${ctx.getActorUri(target.identifier).href}#accepts/${newId()}`),
      actor: ctx.getActorUri(target.identifier),
      object: follow,
    }),
  );
  await followBackIfAggregator(ctx, target.identifier, follower);
}

/**
 * The national (KS) instance follows back every municipality that follows it,
 * so joining takes one step on the municipality's side. Only organisations
 * (municipality actors); a follow already pending or accepted is left alone.
 */
async function followBackIfAggregator(ctx: InboxContext<FederationDeps>, identifier: string, follower: Actor): Promise<void> {
  const app = ctx.data;
  if (app.config.role !== "aggregator" || !(follower instanceof Organization)) return;
  const existing = await getFollowByTarget(app.db, follower.id!.href);
  if (existing && existing.status !== "rejected") return;
  try {
    await sendFollow(ctx, identifier, follower);
  } catch (error) {
    // The Accept stands either way; an administrator can follow from the federation page.
    app.logger.warn(`could not follow back ${follower.id!.href}`, error);
  }
}

/**
 * True while the follower row has had fewer than `acceptsPerWindow` Accepts in
 * the window. The count is kept in the kv store per follower and starts again
 * for a follower who left and came back (a new row).
 */
async function mayAcceptAgain(app: FederationDeps, actorUrl: string, rowId: string): Promise<boolean> {
  const kv = kvStoreOf(app.db);
  const key: KvKey = ["kominn", "followAccepted", actorUrl];
  for (let attempt = 0; attempt < 5; attempt++) {
    const noted = await kv.get<{ rowId: string; count: number }>(key);
    const count = noted?.rowId === rowId ? noted.count : 0;
    if (count >= acceptsPerWindow) return false;
    if (await kv.cas(key, noted, { rowId, count: count + 1 }, { ttl: acceptWindow })) return true;
  }
  return false;
}
