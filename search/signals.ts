import type { Db } from "../db/client.ts";

/**
 * How many times each project has been imitated by others. Always 0 until the
 * imitation feature lands; then point this at the real lineage table and
 * reindex (`npm run kominn -- reindex`).
 */
export async function imitationCounts(_db: Db, projectIds: string[]): Promise<Map<string, number>> {
  return new Map(projectIds.map((id) => [id, 0]));
}
