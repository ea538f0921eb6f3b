import type { Context, MessageQueue } from "@fedify/fedify";
import type { FederationDeps } from "../deps.ts";
import { getLocalMunicipality } from "../../db/municipalities.ts";
import type { InboundRequest } from "./inbound-request.ts";
import { namesOnlyPreloadedContexts } from "../loaders.ts";
import { verifiedSigner, type Signer } from "./sender.ts";
import { idOf } from "../json-id.ts";

// The inbox's common case, accepted here rather than by Fedify's inbox
// handler: a request whose HTTP signature verifies, by a key whose document
// names the activity's actor as its owner, carrying an activity with neither
// a Linked Data signature nor an integrity proof. That is what KOMINN sends,
// and what the recorded Mastodon, Misskey, GoToSocial, Akkoma and Lemmy
// activities are (Mastodon adds a Linked Data signature to its public
// activities: those take Fedify's path).
//
// Fedify's handler parses such an activity twice before it queues it (once
// looking for integrity proofs, once to route it) and parses the signing key
// from its cache entry each time; its worker parses the activity again when it
// handles it. Here the request is verified with the parsed key kept a minute
// (sender.ts), and the activity is queued as the JSON it came as, in the
// message Fedify's own handler writes, for Fedify's worker to parse, route and
// hand to our handlers. Those check the sender in full (sender.ts), as for
// every activity; one that does not parse is logged and dropped there.
//
// Anything else (no signature or one that fails, a signer that is not the
// actor, a Linked Data signature, a proof, a context that is not preloaded,
// an inbox we do not have) returns false and goes to Fedify's handler,
// which answers it as before.

/** The message Fedify's inbox handler queues for an accepted activity (routeActivity in @fedify/fedify 2.3), with who signed it. */
interface QueuedInboxActivity {
  type: "inbox";
  id: string;
  baseUrl: string;
  activity: Record<string, unknown>;
  identifier: string | null;
  attempt: 0;
  started: string;
  traceContext: Record<string, string>;
  signedBy: Signer;
}

const sharedInboxPath = /^\/inbox\/?$/;
const personalInboxPath = /^\/kommune\/([^/]+)\/inbox\/?$/;

/**
 * Accepts `activity` (the request's body, parsed) into the inbound queue, when
 * it is the common case described above: true once it is queued (answer 202),
 * false for Fedify's handler to take the request.
 */
export async function acceptSignedActivity(
  app: FederationDeps,
  context: () => Context<FederationDeps>,
  queue: MessageQueue,
  request: InboundRequest,
  activity: Record<string, unknown>,
): Promise<boolean> {
  if ("signature" in activity || "proof" in activity || !namesOnlyPreloadedContexts(activity)) return false;
  if (typeof activity.id !== "string" || !URL.canParse(activity.id) || typeof activity.type !== "string") return false;
  const actorId = idOf(activity.actor);
  if (!actorId) return false;
  const path = new URL(request.url).pathname;
  let identifier: string | null = null;
  if (!sharedInboxPath.test(path)) {
    const personal = personalInboxPath.exec(path);
    const local = personal ? await getLocalMunicipality(app.db) : undefined;
    if (!personal || !local || personal[1] !== encodeURIComponent(local.handle)) return false;
    identifier = local.handle;
  }
  const ctx = context();
  const signer = await verifiedSigner(ctx, request);
  if (!signer || signer.ownerId !== actorId) return false;
  const message: QueuedInboxActivity = {
    type: "inbox",
    id: crypto.randomUUID(),
    baseUrl: ctx.origin,
    activity,
    identifier,
    attempt: 0,
    started: new Date().toISOString(),
    traceContext: {},
    signedBy: signer,
  };
  await queue.enqueue(message);
  return true;
}
