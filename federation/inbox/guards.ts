import type { InboxContext } from "@fedify/fedify";
import type { Activity } from "@fedify/vocab";
import { claimActivity, isActivityClaimed } from "../../db/delivery-state.ts";
import { isBlocked } from "../../db/domain-blocks.ts";
import type { FederationDeps } from "../deps.ts";
import { NotAProjectError, RefusedError } from "../remote-projects.ts";
import { senderRefusal } from "./sender.ts";

/**
 * Runs an inbox handler for an activity its actor really sent (sender.ts),
 * never for a blocked domain, and once per activity id. Handlers run from the
 * inbound queue, where deliveries of one activity share a lane (queue.ts
 * inboundLane) and so run one after the other: the id is claimed once the
 * handler has succeeded, and a later delivery finds the claim and stops. A
 * refused or failed activity leaves its id free, so a squatted or refused id
 * does not shut out a later delivery, and an instance that dies while
 * handling handles the activity again when it restarts (handlers are
 * idempotent: an upsert, a follower row). A refusal is one log line and
 * nothing stored; a failure is thrown so the queue tries again.
 */
export function handler<A extends Activity>(
  name: string,
  handle: (ctx: InboxContext<FederationDeps>, activity: A) => Promise<void>,
): (ctx: InboxContext<FederationDeps>, activity: A) => Promise<void> {
  return async (ctx, activity) => {
    const app = ctx.data;
    const actorId = activity.actorId;
    if (!actorId) return;
    const id = activity.id?.href;
    const refuse = (reason: string) => app.logger.warn(`inbox: ${name} ${id ?? ""} from ${actorId.href} refused: ${reason}`);
    if (await isBlocked(app.db, actorId)) {
      app.logger.info(`inbox: ${name} from blocked ${actorId.host} refused`);
      return;
    }
    const untrusted = await senderRefusal(ctx, activity);
    if (untrusted) return refuse(untrusted);
    if (id && (await isActivityClaimed(app.db, id))) return;
    try {
      await handle(ctx, activity);
    } catch (error) {
      if (!(error instanceof RefusedError || error instanceof NotAProjectError)) throw error;
      return refuse(error.message);
    }
    if (id) await claimActivity(app.db, id);
  };
}
