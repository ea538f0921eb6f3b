import type { Federation } from "@fedify/fedify";
import { Accept, Create, Delete, Follow, Join, Reject, Undo, Update } from "@fedify/vocab";
import type { FederationDeps } from "../deps.ts";
import { actorPaths } from "../actor.ts";
import { onAccept } from "./accept.ts";
import { onCreate } from "./create.ts";
import { onDelete } from "./delete.ts";
import { onFollow } from "./follow.ts";
import { handler } from "./guards.ts";
import { onReject } from "./reject.ts";
import { onUndo } from "./undo.ts";
import { onUpdate } from "./update.ts";
import { onJoin } from "../collaboration.ts";

export function registerInbox(federation: Federation<FederationDeps>): void {
  federation
    .setInboxListeners(actorPaths.inbox, actorPaths.sharedInbox)
    .on(Follow, handler("Follow", onFollow))
    .on(Accept, handler("Accept", onAccept))
    .on(Reject, handler("Reject", onReject))
    .on(Undo, handler("Undo", onUndo))
    .on(Create, handler("Create", onCreate))
    .on(Update, handler("Update", onUpdate))
    .on(Delete, handler("Delete", onDelete))
    .on(Join, handler("Join", onJoin))
    // Every handler first checks that the actor really sent the activity, then
    // claims its id in our database (and gives it back if the handler refuses
    // or fails: see guards.ts), so Fedify's own record is not kept too.
    .withIdempotency(() => null)
    .onError((ctx, error) => ctx.data.logger.warn("inbox: handling an activity failed", error));
}
