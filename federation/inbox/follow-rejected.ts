import type { InboxContext } from "@fedify/fedify";
import type { Reject } from "@fedify/vocab";
import { getFollowByActivity, getFollowByTarget, setFollowStatus } from "../../db/follows.ts";
import type { FederationDeps } from "../deps.ts";

/** Our follow was refused, or the municipality removed us as a follower. */
export async function onFollowRejected(ctx: InboxContext<FederationDeps>, reject: Reject): Promise<void> {
  const app = ctx.data;
  const follow =
    (reject.objectId && (await getFollowByActivity(app.db, reject.objectId.href))) ||
    (reject.actorId && (await getFollowByTarget(app.db, reject.actorId.href)));
  if (!follow || follow.targetActorUrl !== reject.actorId?.href) return;
  await setFollowStatus(app.db, follow.id, "rejected");
}
