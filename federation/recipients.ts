// Where an activity of ours goes: a peer's actor, inbox and shared inbox as we
// stored them (a follower, a followed municipality, the owner of a project).
import type { Recipient } from "@fedify/vocab";

/** A peer's addresses as the database holds them. */
export interface StoredInboxes {
  readonly actorUrl: string;
  readonly inboxUrl: string | null;
  readonly sharedInboxUrl?: string | null;
}

/** The recipient for `sendActivity`; undefined when we know no inbox for the peer. */
export function recipientOf(peer: StoredInboxes & { readonly inboxUrl: string }): Recipient;
export function recipientOf(peer: StoredInboxes): Recipient | undefined;
export function recipientOf(peer: StoredInboxes): Recipient | undefined {
  if (!peer.inboxUrl) return undefined;
  return {
    id: new URL(peer.actorUrl),
    inboxId: new URL(peer.inboxUrl),
    endpoints: peer.sharedInboxUrl ? { sharedInbox: new URL(peer.sharedInboxUrl) } : null,
  };
}
