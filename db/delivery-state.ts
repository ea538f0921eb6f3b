import { desc, eq, gt, lt, ne, or, sql } from "drizzle-orm";
import type { Db } from "./client.ts";
import { deliveryFailures, processedActivities, type DeliveryFailure } from "./schema-federation.ts";

/**
 * Records an activity id as handled: true the first time, false when it
 * already was.
 */
export async function claimActivity(db: Db, activityId: string): Promise<boolean> {
  const rows = await db.insert(processedActivities).values({ activityId }).onConflictDoNothing().returning();
  return rows.length > 0;
}

/** True when an activity id has been recorded as handled. */
export async function isActivityClaimed(db: Db, activityId: string): Promise<boolean> {
  const [row] = await db.select({ id: processedActivities.activityId }).from(processedActivities).where(eq(processedActivities.activityId, activityId));
  return row !== undefined;
}

export async function forgetProcessedBefore(db: Db, before: Date): Promise<void> {
  await db.delete(processedActivities).where(lt(processedActivities.processedAt, before));
}

/**
 * Counts one failed delivery to `host` and keeps its cause. `nextRetryAt`, when
 * given, replaces the stored one; the live answer is the queue's
 * (`DrizzleMessageQueue.pendingByHost`).
 */
export async function recordDeliveryFailure(db: Db, host: string, error: string, nextRetryAt?: Date | null): Promise<void> {
  const now = new Date();
  await db
    .insert(deliveryFailures)
    .values({ host, failures: 1, lastError: error, lastFailureAt: now, nextRetryAt: nextRetryAt ?? null })
    .onConflictDoUpdate({
      target: deliveryFailures.host,
      set: {
        failures: sql`${deliveryFailures.failures} + 1`,
        lastError: error,
        lastFailureAt: now,
        ...(nextRetryAt !== undefined ? { nextRetryAt } : {}),
      },
    });
}

export async function setCircuitState(db: Db, host: string, circuit: string, nextRetryAt: Date | null): Promise<void> {
  if (circuit === "closed") {
    await db.delete(deliveryFailures).where(eq(deliveryFailures.host, host));
    return;
  }
  await db
    .insert(deliveryFailures)
    .values({ host, circuit, nextRetryAt, lastError: "" })
    .onConflictDoUpdate({ target: deliveryFailures.host, set: { circuit, nextRetryAt } });
}

export async function clearDeliveryFailure(db: Db, host: string): Promise<void> {
  await db.delete(deliveryFailures).where(eq(deliveryFailures.host, host));
}

/**
 * Hosts that failed recently. Fedify reports failures but not successes, so a
 * host that recovered without its circuit opening drops off after `withinMs`.
 */
export async function listDeliveryFailures(db: Db, withinMs = 24 * 60 * 60 * 1000): Promise<DeliveryFailure[]> {
  const since = new Date(Date.now() - withinMs);
  return db
    .select()
    .from(deliveryFailures)
    .where(or(gt(deliveryFailures.lastFailureAt, since), ne(deliveryFailures.circuit, "closed")))
    .orderBy(desc(deliveryFailures.lastFailureAt));
}
