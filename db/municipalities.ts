import { eq } from "drizzle-orm";
import type { Db } from "./client.ts";
import { newId } from "./ids.ts";
import { municipalities, type Municipality, type NewMunicipality } from "./schema.ts";
import type { MunicipalityRef } from "../core/project.ts";

export async function getLocalMunicipality(db: Db): Promise<Municipality | undefined> {
  const [row] = await db.select().from(municipalities).where(eq(municipalities.local, true));
  return row;
}

export async function getMunicipalityByActorUrl(db: Db, actorUrl: string): Promise<Municipality | undefined> {
  const [row] = await db.select().from(municipalities).where(eq(municipalities.actorUrl, actorUrl));
  return row;
}

export async function insertMunicipality(db: Db, values: Omit<NewMunicipality, "id">): Promise<Municipality> {
  const [row] = await db.insert(municipalities).values({ id: newId(), ...values }).returning();
  return row;
}

/** Inserts or refreshes a remote municipality, keyed by its actor URL. */
export async function upsertRemoteMunicipality(
  db: Db,
  values: Omit<NewMunicipality, "id" | "local">,
): Promise<Municipality> {
  const [row] = await db
    .insert(municipalities)
    .values({ id: newId(), local: false, ...values })
    .onConflictDoUpdate({
      target: municipalities.actorUrl,
      set: { ...values, updatedAt: new Date() },
    })
    .returning();
  return row;
}

export async function updateMunicipality(
  db: Db,
  id: string,
  values: Partial<Omit<NewMunicipality, "id" | "local" | "actorUrl">>,
): Promise<Municipality> {
  const [row] = await db
    .update(municipalities)
    .set({ ...values, updatedAt: new Date() })
    .where(eq(municipalities.id, id))
    .returning();
  return row;
}

export function municipalityRef(m: Municipality): MunicipalityRef {
  return {
    name: m.name,
    kommunenummer: m.kommunenummer,
    fylke: m.fylke,
    handle: m.handle,
    actorUrl: m.actorUrl,
  };
}
