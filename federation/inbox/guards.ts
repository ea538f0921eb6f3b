import type { InboxContext } from "@fedify/fedify";
import type { Activity } from "@fedify/vocab";
import { claimActivity, releaseActivity } from "../../db/delivery-state.ts";
import { isBlocked } from "../../db/domain-blocks.ts";
import type { AppContext } from "../../server/context.ts";
import { NotAProjectError, RefusedError } from "../remote-projects.ts";

/**
 * Runs an inbox handler once per activity id, and never for a blocked domain.
 * A handler that fails (not a refusal) gives the id back, so a retry is handled.
 */
export function handler<A extends Activity>(
  name: string,
  handle: (ctx: InboxContext<AppContext>, activity: A) => Promise<void>,
): (ctx: InboxContext<AppContext>, activity: A) => Promise<void> {
  return async (ctx, activity) => {
    const app = ctx.data;
    if (!activity.actorId) return;
    if (await isBlocked(app.db, activity.actorId)) {
      app.logger.info(`inbox: ${name} from blocked ${activity.actorId.host} refused`);
      return;
    }
    const id = activity.id?.href;
    if (id && !(await claimActivity(app.db, id))) return;
    try {
      await handle(ctx, activity);
    } catch (error) {
      // A refusal is final: log it, store nothing, and do not ask for a retry.
      if (!(error instanceof RefusedError || error instanceof NotAProjectError)) {
        if (id) await releaseActivity(app.db, id);
        throw error;
      }
      app.logger.warn(`inbox: ${name} ${id ?? ""} from ${activity.actorId.href} refused: ${error.message}`);
    }
  };
}
