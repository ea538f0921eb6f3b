import { and, asc, desc, eq, inArray, isNull, lt, or, sql } from "drizzle-orm";
import type { Db } from "./client.ts";
import { newId } from "./ids.ts";
import { mailOutbox } from "./schema-mail.ts";
import {
  challengeJury,
  challengeScores,
  challengeWinners,
  challenges,
  ideaStateChanges,
  ideas,
  type ChallengeRow,
  type IdeaRow,
  type IdeaStateChangeRow,
  type NewIdeaRow,
} from "./schema-ideas.ts";
import { closingDay, type IdeaState, type ModerationState } from "../core/ideas.ts";

export async function insertIdea(db: Db, values: Omit<NewIdeaRow, "id">): Promise<IdeaRow> {
  const [row] = await db.insert(ideas).values({ id: newId(), ...values }).returning();
  return row;
}

export async function getIdea(db: Db, id: string): Promise<IdeaRow | undefined> {
  const [row] = await db.select().from(ideas).where(eq(ideas.id, id));
  return row;
}

/** The idea, its row locked until the transaction ends (two staff acting on it at once take turns). */
export async function lockIdea(tx: Db, id: string): Promise<IdeaRow | undefined> {
  const [row] = await tx.select().from(ideas).where(eq(ideas.id, id)).for("update");
  return row;
}

/** The idea a remote municipality's activity created, if it arrived before. */
export async function getIdeaByActivity(db: Db, activityId: string): Promise<IdeaRow | undefined> {
  const [row] = await db.select().from(ideas).where(eq(ideas.activityId, activityId)).limit(1);
  return row;
}

/** What the public sees: approved ideas that were not merged into another, newest first. */
export async function listPublicIdeas(db: Db, filter: { challengeId?: string; state?: IdeaState; limit?: number } = {}): Promise<IdeaRow[]> {
  return db
    .select()
    .from(ideas)
    .where(
      and(
        eq(ideas.moderation, "approved"),
        isNull(ideas.mergedInto),
        filter.challengeId ? eq(ideas.challengeId, filter.challengeId) : undefined,
        filter.state ? eq(ideas.state, filter.state) : undefined,
      ),
    )
    .orderBy(desc(ideas.createdAt), desc(ideas.id))
    .limit(filter.limit ?? 200);
}

export async function listIdeasByModeration(db: Db, moderation: ModerationState, limit = 200): Promise<IdeaRow[]> {
  return db.select().from(ideas).where(eq(ideas.moderation, moderation)).orderBy(asc(ideas.createdAt), asc(ideas.id)).limit(limit);
}

/** Ideas tied to a project (for "tatt i bruk" when the project reaches drift or N3 "nyttiggjort"). */
export async function ideasOfProject(db: Db, projectId: string): Promise<IdeaRow[]> {
  return db.select().from(ideas).where(eq(ideas.projectId, projectId));
}

export async function setModeration(db: Db, id: string, moderation: ModerationState): Promise<IdeaRow | undefined> {
  const [row] = await db.update(ideas).set({ moderation }).where(and(eq(ideas.id, id), eq(ideas.moderation, "pending"))).returning();
  return row;
}

/** Records an answer and moves the idea to its state; the first answer, project and use are dated once. */
export async function recordStateChange(
  db: Db,
  idea: IdeaRow,
  change: { state: IdeaState; reason: string; projectId: string | null; changedBy: string; at?: Date },
): Promise<IdeaStateChangeRow> {
  const at = change.at ?? new Date();
  const [row] = await db
    .insert(ideaStateChanges)
    .values({ id: newId(), ideaId: idea.id, state: change.state, reason: change.reason, projectId: change.projectId, changedBy: change.changedBy, changedAt: at })
    .returning();
  await db
    .update(ideas)
    .set({
      state: change.state,
      answeredAt: idea.answeredAt ?? at,
      ...(change.projectId ? { projectId: change.projectId } : {}),
      ...(change.state === "blitt_prosjekt" && !idea.projectAt ? { projectAt: at } : {}),
      ...(change.state === "tatt_i_bruk" && !idea.inUseAt ? { inUseAt: at, projectAt: idea.projectAt ?? (idea.projectId || change.projectId ? at : null) } : {}),
    })
    .where(eq(ideas.id, idea.id));
  return row;
}

export async function stateHistory(db: Db, ideaId: string): Promise<IdeaStateChangeRow[]> {
  return db.select().from(ideaStateChanges).where(eq(ideaStateChanges.ideaId, ideaId)).orderBy(asc(ideaStateChanges.changedAt), asc(ideaStateChanges.id));
}

export async function mergeIdea(db: Db, id: string, into: string): Promise<void> {
  await db.update(ideas).set({ mergedInto: into }).where(eq(ideas.id, id));
}

/**
 * Forgets who sent an idea: name, address and consent, and the e-mail sent
 * to them about it (the outbox rows whose dedupe key names the idea).
 */
export async function erasePersonalData(db: Db, ids: readonly string[]): Promise<number> {
  if (ids.length === 0) return 0;
  const rows = await db
    .update(ideas)
    .set({ submitterName: null, submitterEmail: null, showName: false, submitterAccountId: null, personalErasedAt: new Date() })
    .where(and(inArray(ideas.id, [...ids]), isNull(ideas.personalErasedAt)))
    .returning({ id: ideas.id });
  for (const id of ids) await db.delete(mailOutbox).where(sql`${mailOutbox.dedupeKey} like ${`idea:${id}:%`}`);
  return rows.length;
}

/** Ideas received before `before` that still hold personal data. */
export async function ideasHoldingPersonalDataBefore(db: Db, before: Date): Promise<string[]> {
  const rows = await db
    .select({ id: ideas.id })
    .from(ideas)
    .where(
      and(
        lt(ideas.createdAt, before),
        isNull(ideas.personalErasedAt),
        or(sql`${ideas.submitterName} is not null`, sql`${ideas.submitterEmail} is not null`, sql`${ideas.submitterAccountId} is not null`),
      ),
    );
  return rows.map((r) => r.id);
}

/** Every idea that counts in the measure: approved, not merged away. */
export async function measuredIdeas(db: Db) {
  return db
    .select({ createdAt: ideas.createdAt, serviceArea: ideas.serviceArea, answeredAt: ideas.answeredAt, projectAt: ideas.projectAt, inUseAt: ideas.inUseAt })
    .from(ideas)
    .where(and(eq(ideas.moderation, "approved"), isNull(ideas.mergedInto)));
}

// Challenges -------------------------------------------------------------

export async function insertChallenge(db: Db, values: Omit<typeof challenges.$inferInsert, "id">): Promise<ChallengeRow> {
  const [row] = await db.insert(challenges).values({ id: newId(), ...values }).returning();
  return row;
}

export async function getChallenge(db: Db, id: string): Promise<ChallengeRow | undefined> {
  const [row] = await db.select().from(challenges).where(eq(challenges.id, id));
  return row;
}

/**
 * Ends a challenge's period now: it takes no more submissions. Its closing day
 * becomes the one whose submissions end now (core/ideas.ts), and its opening,
 * if later, a moment before that.
 */
export async function closeChallengeNow(db: Db, id: string, now: Date): Promise<ChallengeRow | undefined> {
  const last = closingDay(now);
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

export async function listChallenges(db: Db): Promise<ChallengeRow[]> {
  return db.select().from(challenges).orderBy(desc(challenges.opensAt), desc(challenges.id));
}

export async function setJury(db: Db, challengeId: string, accountIds: readonly string[]): Promise<void> {
  await db.delete(challengeJury).where(eq(challengeJury.challengeId, challengeId));
  if (accountIds.length > 0) await db.insert(challengeJury).values(accountIds.map((accountId) => ({ challengeId, accountId })));
}

export async function juryOf(db: Db, challengeId: string): Promise<string[]> {
  const rows = await db.select({ accountId: challengeJury.accountId }).from(challengeJury).where(eq(challengeJury.challengeId, challengeId));
  return rows.map((r) => r.accountId);
}

export async function saveScores(db: Db, challengeId: string, ideaId: string, accountId: string, scores: readonly number[]): Promise<void> {
  for (const [criterion, score] of scores.entries()) {
    await db
      .insert(challengeScores)
      .values({ challengeId, ideaId, accountId, criterion, score })
      .onConflictDoUpdate({ target: [challengeScores.ideaId, challengeScores.accountId, challengeScores.criterion], set: { score, scoredAt: new Date() } });
  }
}

export async function scoresOf(db: Db, challengeId: string) {
  return db.select().from(challengeScores).where(eq(challengeScores.challengeId, challengeId));
}

export async function announceWinners(db: Db, challengeId: string, ideaIds: readonly string[], note: string): Promise<void> {
  await db.delete(challengeWinners).where(eq(challengeWinners.challengeId, challengeId));
  if (ideaIds.length > 0) await db.insert(challengeWinners).values(ideaIds.map((ideaId, i) => ({ challengeId, ideaId, rank: i + 1 })));
  await db.update(challenges).set({ winnersAnnouncedAt: new Date(), winnersNote: note }).where(eq(challenges.id, challengeId));
}

export async function winnersOf(db: Db, challengeId: string): Promise<{ ideaId: string; rank: number }[]> {
  return db
    .select({ ideaId: challengeWinners.ideaId, rank: challengeWinners.rank })
    .from(challengeWinners)
    .where(eq(challengeWinners.challengeId, challengeId))
    .orderBy(asc(challengeWinners.rank));
}

