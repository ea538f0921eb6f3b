import { and, desc, eq, getTableColumns } from "drizzle-orm";
import type { Db } from "./client.ts";
import { newId } from "./ids.ts";
import { follows, type FollowRow, type FollowStatus } from "./schema-federation.ts";
import { municipalities, type Municipality } from "./schema.ts";

export async function listFollows(db: Db): Promise<FollowRow[]> {
  return db.select().from(follows).orderBy(desc(follows.createdAt), desc(follows.id));
}

export async function getFollow(db: Db, id: string): Promise<FollowRow | undefined> {
  const [row] = await db.select().from(follows).where(eq(follows.id, id));
  return row;
}

export async function getFollowByTarget(db: Db, actorUrl: string): Promise<FollowRow | undefined> {
  const [row] = await db.select().from(follows).where(eq(follows.targetActorUrl, actorUrl));
  return row;
}

/** The remote municipality behind an actor we follow (our follow accepted), in one query. */
export async function getFollowedMunicipality(db: Db, actorUrl: string): Promise<Municipality | undefined> {
  const [row] = await db
    .select(getTableColumns(municipalities))
    .from(follows)
    .innerJoin(municipalities, eq(municipalities.actorUrl, follows.targetActorUrl))
    .where(and(eq(follows.targetActorUrl, actorUrl), eq(follows.status, "accepted"), eq(municipalities.local, false)));
  return row;
}

export async function getFollowByActivity(db: Db, activityId: string): Promise<FollowRow | undefined> {
  const [row] = await db.select().from(follows).where(eq(follows.followActivityId, activityId));
  return row;
}

export interface NewFollow {
  targetActorUrl: string;
  targetHandle: string;
  targetName: string | null;
  targetInbox: string;
  followActivityId: string;
}

/** A new (or renewed) follow, pending until the target accepts. */
export async function upsertFollow(db: Db, values: NewFollow): Promise<FollowRow> {
  const [row] = await db
    .insert(follows)
    .values({ id: newId(), ...values, status: "pending" })
    .onConflictDoUpdate({
      target: follows.targetActorUrl,
      set: { ...values, status: "pending", acceptedAt: null, createdAt: new Date() },
    })
    .returning();
  return row;
}

export async function setFollowStatus(db: Db, id: string, status: FollowStatus): Promise<FollowRow | undefined> {
  const [row] = await db
    .update(follows)
    .set({ status, acceptedAt: status === "accepted" ? new Date() : null })
    .where(eq(follows.id, id))
    .returning();
  return row;
}

export async function markBackfilled(db: Db, id: string): Promise<void> {
  await db.update(follows).set({ backfilledAt: new Date() }).where(eq(follows.id, id));
}

export async function deleteFollow(db: Db, id: string): Promise<FollowRow | undefined> {
  const [row] = await db.delete(follows).where(eq(follows.id, id)).returning();
  return row;
}
