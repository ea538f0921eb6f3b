import { asc, eq, inArray, or } from "drizzle-orm";
import type { Db } from "./client.ts";
import { newId } from "./ids.ts";
import { followers, type FollowerRow, type FollowerStatus } from "./schema-federation.ts";

export async function listFollowers(db: Db, status?: FollowerStatus): Promise<FollowerRow[]> {
  return db
    .select()
    .from(followers)
    .where(status ? eq(followers.status, status) : undefined)
    .orderBy(asc(followers.createdAt), asc(followers.id));
}

export async function getFollower(db: Db, id: string): Promise<FollowerRow | undefined> {
  const [row] = await db.select().from(followers).where(eq(followers.id, id));
  return row;
}

export async function getFollowerByActor(db: Db, actorUrl: string): Promise<FollowerRow | undefined> {
  const [row] = await db.select().from(followers).where(eq(followers.actorUrl, actorUrl));
  return row;
}

export interface NewFollower {
  actorUrl: string;
  handle: string;
  name: string | null;
  inboxUrl: string;
  sharedInboxUrl: string | null;
  followActivityId: string;
  status: FollowerStatus;
}

/** Records a Follow; a repeated Follow from the same actor refreshes the row instead of adding one. */
export async function upsertFollower(db: Db, values: NewFollower): Promise<FollowerRow> {
  const existing = await getFollowerByActor(db, values.actorUrl);
  const status = existing?.status === "accepted" ? "accepted" : values.status;
  const [row] = await db
    .insert(followers)
    .values({ id: newId(), ...values, status })
    .onConflictDoUpdate({ target: followers.actorUrl, set: { ...values, status } })
    .returning();
  return row;
}

export async function acceptFollower(db: Db, id: string): Promise<FollowerRow | undefined> {
  const [row] = await db.update(followers).set({ status: "accepted" }).where(eq(followers.id, id)).returning();
  return row;
}

export async function removeFollower(db: Db, id: string): Promise<FollowerRow | undefined> {
  const [row] = await db.delete(followers).where(eq(followers.id, id)).returning();
  return row;
}

/** Removes followers whose actor or inbox is one of these URLs (an inbox answered 404/410). */
export async function removeFollowersByUrls(db: Db, urls: string[]): Promise<number> {
  if (urls.length === 0) return 0;
  const deleted = await db
    .delete(followers)
    .where(or(inArray(followers.actorUrl, urls), inArray(followers.inboxUrl, urls)))
    .returning();
  return deleted.length;
}
