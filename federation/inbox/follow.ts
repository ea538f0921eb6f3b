import type { InboxContext, KvKey } from "@fedify/fedify";
import { Temporal as Polyfill } from "@js-temporal/polyfill";
import { Accept, isActor, Organization, type Actor, type Follow } from "@fedify/vocab";
import { getFollowByTarget } from "../../db/follows.ts";
import { upsertFollower } from "../../db/followers.ts";
import { newId } from "../../db/ids.ts";
import type { AppContext } from "../../server/context.ts";
import { actorHandle, localActorRow } from "../actor.ts";
import { sendFollow } from "../follow-service.ts";
import { DrizzleKvStore } from "../kv.ts";
import { getFederationSettings } from "../settings.ts";

/**
 * A follower who follows again (a peer that lost our Accept asks again) is
 * answered again at most this often; a flood of Follows gets one Accept.
 */
const acceptAgainAfter = Polyfill.Duration.from({ minutes: 10 }) as unknown as Temporal.Duration;

/** Someone follows us: accept at once, or hold it for an administrator (a setting). */
export async function onFollow(ctx: InboxContext<AppContext>, follow: Follow): Promise<void> {
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
  if (!(await firstAcceptFor(app, row.actorUrl, row.id))) {
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
async function followBackIfAggregator(ctx: InboxContext<AppContext>, identifier: string, follower: Actor): Promise<void> {
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
 * True for one caller per follower row and window: the row id is noted in the
 * kv store, so a repeated Follow (the same row) is not answered again until
 * the note expires, while a follower who left and came back (a new row) is.
 */
async function firstAcceptFor(app: AppContext, actorUrl: string, rowId: string): Promise<boolean> {
  const kv = new DrizzleKvStore(app.db);
  const key: KvKey = ["kominn", "followAccepted", actorUrl];
  const noted = await kv.get<string>(key);
  if (noted === rowId) return false;
  return kv.cas(key, noted, rowId, { ttl: acceptAgainAfter });
}
