import { eq, sql } from "drizzle-orm";
import type { Db } from "./client.ts";
import { peerStatus } from "./schema-aggregator.ts";

/** A check answered: the municipality is reachable again. */
export async function markReachable(db: Db, actorUrl: string): Promise<void> {
  await db
    .insert(peerStatus)
    .values({ actorUrl, unreachableSince: null, lastCheckedAt: new Date(), lastError: "" })
    .onConflictDoUpdate({ target: peerStatus.actorUrl, set: { unreachableSince: null, lastCheckedAt: new Date(), lastError: "" } });
}

/** A check failed: unreachable since the first failure in a row. */
export async function markUnreachable(db: Db, actorUrl: string, error: string): Promise<void> {
  const now = new Date();
  await db
    .insert(peerStatus)
    .values({ actorUrl, unreachableSince: now, lastCheckedAt: now, lastError: error.slice(0, 500) })
    .onConflictDoUpdate({
      target: peerStatus.actorUrl,
      set: { unreachableSince: sql`coalesce(${peerStatus.unreachableSince}, ${now})`, lastCheckedAt: now, lastError: error.slice(0, 500) },
    });
}

export async function forgetPeer(db: Db, actorUrl: string): Promise<void> {
  await db.delete(peerStatus).where(eq(peerStatus.actorUrl, actorUrl));
}
