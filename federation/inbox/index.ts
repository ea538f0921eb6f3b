import type { Federation } from "@fedify/fedify";
import { Accept, Announce, Create, Delete, Follow, Join, Like, Reject, Undo, Update } from "@fedify/vocab";
import type { FederationDeps } from "../deps.ts";
import { actorPaths } from "../actor.ts";
import { isActorDeletion, onActorDeleted } from "./actor-deleted.ts";
import { answersOurRequest, onCollaborationAnswered } from "./collaboration-answered.ts";
import { onCollaborationRequested } from "./collaboration-requested.ts";
import { objectKind } from "../challenge-object.ts";
import { onChallengeReceived } from "./challenge-received.ts";
import { onIdeaReceived } from "./idea-received.ts";
import { onFollowAccepted } from "./follow-accepted.ts";
import { onFollowRejected } from "./follow-rejected.ts";
import { onFollowed } from "./followed.ts";
import { handler } from "./guards.ts";
import { ignored } from "./ignored.ts";
import { isProfileUpdate, onProfileUpdated } from "./profile-updated.ts";
import { onProjectCreated } from "./project-created.ts";
import { onProjectDeleted } from "./project-deleted.ts";
import { onProjectUpdated } from "./project-updated.ts";
import { onProjectWithdrawn, undoneCreate } from "./project-withdrawn.ts";
import { onUnfollowed } from "./unfollowed.ts";

/** One handler per thing that happened; an activity type that means two things is told apart here. */
export function registerInbox(federation: Federation<FederationDeps>): void {
  federation
    .setInboxListeners(actorPaths.inbox, actorPaths.sharedInbox)
    .on(Follow, handler("Follow", onFollowed))
    .on(Undo, handler("Undo", async (ctx, undo) => ((await undoneCreate(undo)) ? onProjectWithdrawn(ctx, undo) : onUnfollowed(ctx, undo))))
    .on(Accept, handler("Accept", (ctx, accept) =>
      answersOurRequest(ctx.data, accept) ? onCollaborationAnswered(ctx, accept, true) : onFollowAccepted(ctx, accept)))
    .on(Reject, handler("Reject", (ctx, reject) =>
      answersOurRequest(ctx.data, reject) ? onCollaborationAnswered(ctx, reject, false) : onFollowRejected(ctx, reject)))
    .on(Create, handler("Create", (ctx, create) => {
      const kind = objectKind(create.objectId);
      return kind === "challenge" ? onChallengeReceived(ctx, create) : kind === "idea" ? onIdeaReceived(ctx, create) : onProjectCreated(ctx, create);
    }))
    .on(Update, handler("Update", (ctx, update) =>
      isProfileUpdate(update) ? onProfileUpdated(ctx, update) : objectKind(update.objectId) === "challenge" ? onChallengeReceived(ctx, update) : onProjectUpdated(ctx, update)))
    .on(Delete, handler("Delete", (ctx, del) => (isActorDeletion(del) ? onActorDeleted(ctx, del) : onProjectDeleted(ctx, del))))
    .on(Join, handler("Join", onCollaborationRequested))
    // Nothing to check or claim for what is ignored: no database write per Like.
    .on(Like, ignored("KOMINN keeps no likes"))
    .on(Announce, ignored("KOMINN keeps no shares"))
    // Every handler (run from the inbound queue, after the 202) first checks
    // that the actor really sent the activity and that its id is not yet
    // recorded, and records the id only once it is handled (guards.ts): a
    // crash in between handles it again. Fedify's own record is not kept too
    // (hot-kv.ts).
    .withIdempotency(() => null)
    .onError((ctx, error) => ctx.data.logger.warn("inbox: handling an activity failed", error));
}
