import { and, asc, eq, sql } from "drizzle-orm";
import type { Db } from "./client.ts";
import { newId } from "./ids.ts";
import { remoteChallenges, type RemoteChallengeRow } from "./schema-remote-challenges.ts";
import { follows } from "./schema-federation.ts";

export type RemoteChallengeValues = Omit<RemoteChallengeRow, "id">;

/** Stores or replaces a followed municipality's challenge; an older copy, or one from another municipality, never overwrites it. */
export async function upsertRemoteChallenge(db: Db, values: RemoteChallengeValues): Promise<void> {
  await db
    .insert(remoteChallenges)
    .values({ id: newId(), ...values })
    .onConflictDoUpdate({
      target: remoteChallenges.url,
      set: values,
      setWhere: and(sql`${remoteChallenges.updatedAt} <= ${values.updatedAt}`, eq(remoteChallenges.actorUrl, values.actorUrl)),
    });
}

/** Only a municipality we still follow: one we stopped following (or that left) no longer shows its challenges. */
const stillFollowed = and(eq(follows.targetActorUrl, remoteChallenges.actorUrl), eq(follows.status, "accepted"));

export async function getRemoteChallenge(db: Db, id: string): Promise<RemoteChallengeRow | undefined> {
  const [row] = await db.select({ c: remoteChallenges }).from(remoteChallenges).innerJoin(follows, stillFollowed).where(eq(remoteChallenges.id, id));
  return row?.c;
}

export async function listRemoteChallenges(db: Db): Promise<RemoteChallengeRow[]> {
  const rows = await db.select({ c: remoteChallenges }).from(remoteChallenges).innerJoin(follows, stillFollowed).orderBy(asc(remoteChallenges.closesAt));
  return rows.map((r) => r.c);
}
