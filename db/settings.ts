import { eq } from "drizzle-orm";
import type { Db } from "./client.ts";
import { settings } from "./schema.ts";

export async function getSetting<T>(db: Db, key: string): Promise<T | undefined> {
  const [row] = await db.select().from(settings).where(eq(settings.key, key));
  return row?.value as T | undefined;
}

export async function setSetting(db: Db, key: string, value: unknown): Promise<void> {
  await db
    .insert(settings)
    .values({ key, value })
    .onConflictDoUpdate({ target: settings.key, set: { value } });
}

/** Returns the stored value, or stores and returns `make()` the first time. */
export async function getOrInitSetting<T>(db: Db, key: string, make: () => T): Promise<T> {
  await db.insert(settings).values({ key, value: make() }).onConflictDoNothing();
  return (await getSetting<T>(db, key)) as T;
}
