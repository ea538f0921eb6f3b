import type { Db } from "../db/client.ts";
import { imitationCounts as countsByOriginalUrl } from "../db/imitations.ts";

/** How many municipalities have imitated each project, by project id (0 when none). */
export async function imitationCounts(db: Db, list: { id: string; url: string }[]): Promise<Map<string, number>> {
  const byUrl = await countsByOriginalUrl(db, list.map((p) => p.url));
  return new Map(list.map((p) => [p.id, byUrl.get(p.url) ?? 0]));
}
