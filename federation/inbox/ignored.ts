import type { InboxContext } from "@fedify/fedify";
import type { Activity } from "@fedify/vocab";
import type { FederationDeps } from "../deps.ts";

/**
 * An activity KOMINN has no use for (a Like or an Announce of a project, as
 * Mastodon, Misskey and the rest send them): accepted, one log line, nothing
 * stored. Debug level: a popular project may be liked often.
 */
export function ignored(why: string): (ctx: InboxContext<FederationDeps>, activity: Activity) => Promise<void> {
  return async (ctx, activity) => {
    ctx.data.logger.debug(`inbox: ${activity.constructor.name} ${activity.id?.href ?? ""} from ${activity.actorId?.href ?? "?"} ignored: ${why}`);
  };
}
