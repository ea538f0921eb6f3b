import { and, desc, eq, sql } from "drizzle-orm";
import type { Db } from "./client.ts";
import { newId } from "./ids.ts";
import { collaborationRequests, projects, type CollaborationRequest, type NewCollaborationRequest } from "./schema.ts";

/** Stores a request; a redelivered activity (same activityId) returns the stored one unchanged. */
export async function insertCollaborationRequest(
  db: Db,
  values: Omit<NewCollaborationRequest, "id" | "status" | "decidedAt" | "decidedBy">,
): Promise<CollaborationRequest> {
  const [row] = await db
    .insert(collaborationRequests)
    .values({ id: newId(), ...values })
    .onConflictDoNothing({ target: collaborationRequests.activityId })
    .returning();
  if (row) return row;
  const [existing] = await db
    .select()
    .from(collaborationRequests)
    .where(eq(collaborationRequests.activityId, values.activityId!));
  return existing;
}

export async function getCollaborationRequest(db: Db, id: string): Promise<CollaborationRequest | undefined> {
  const [row] = await db.select().from(collaborationRequests).where(eq(collaborationRequests.id, id));
  return row;
}

export async function listCollaborationRequests(
  db: Db,
  filter: { projectId?: string; status?: CollaborationRequest["status"] } = {},
): Promise<(CollaborationRequest & { projectTitle: string })[]> {
  const rows = await db
    .select({ request: collaborationRequests, projectTitle: projects.title })
    .from(collaborationRequests)
    .innerJoin(projects, eq(collaborationRequests.projectId, projects.id))
    .where(
      and(
        filter.projectId ? eq(collaborationRequests.projectId, filter.projectId) : undefined,
        filter.status ? eq(collaborationRequests.status, filter.status) : undefined,
      ),
    )
    .orderBy(desc(collaborationRequests.createdAt));
  return rows.map((r) => ({ ...r.request, projectTitle: r.projectTitle }));
}

/** Decides a pending request; returns undefined when it was not pending. */
export async function decideCollaborationRequest(
  db: Db,
  id: string,
  status: "accepted" | "declined",
  decidedBy: string,
): Promise<CollaborationRequest | undefined> {
  const [row] = await db
    .update(collaborationRequests)
    .set({ status, decidedBy, decidedAt: new Date() })
    .where(and(eq(collaborationRequests.id, id), eq(collaborationRequests.status, "pending")))
    .returning();
  return row;
}
