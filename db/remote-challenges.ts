import { asc, eq, sql } from "drizzle-orm";
import type { Db } from "./client.ts";
import { newId } from "./ids.ts";
import { challenges, type ChallengeRow } from "./schema-ideas.ts";
import { remoteChallenges, type RemoteChallengeRow } from "./schema-remote-challenges.ts";

export type RemoteChallengeValues = Omit<RemoteChallengeRow, "id">;

/** Stores or replaces a followed municipality's challenge; an older copy never overwrites a newer one. */
export async function upsertRemoteChallenge(db: Db, values: RemoteChallengeValues): Promise<void> {
  await db
    .insert(remoteChallenges)
    .values({ id: newId(), ...values })
    .onConflictDoUpdate({ target: remoteChallenges.url, set: values, setWhere: sql`${remoteChallenges.updatedAt} <= ${values.updatedAt}` });
}

export async function getRemoteChallenge(db: Db, id: string): Promise<RemoteChallengeRow | undefined> {
  const [row] = await db.select().from(remoteChallenges).where(eq(remoteChallenges.id, id));
  return row;
}

export async function listRemoteChallenges(db: Db): Promise<RemoteChallengeRow[]> {
  return db.select().from(remoteChallenges).orderBy(asc(remoteChallenges.closesAt));
}

/**
 * Ends a challenge's period now: it takes no more submissions. A challenge
 * takes them through the whole of its last day (services/ideas.ts), so the
 * last day becomes `now` less a day (and the opening, if later, a moment before).
 */
export async function closeChallengeNow(db: Db, id: string, now: Date): Promise<ChallengeRow | undefined> {
  const last = new Date(now.getTime() - 24 * 60 * 60 * 1000);
  const [row] = await db
    .update(challenges)
    .set({
      closesAt: last,
      opensAt: sql`least(${challenges.opensAt}, ${new Date(last.getTime() - 1000).toISOString()}::timestamptz)`,
    })
    .where(eq(challenges.id, id))
    .returning();
  return row;
}
