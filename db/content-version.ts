import { sql } from "drizzle-orm";
import { rowsOf, type Db } from "./client.ts";

/** The current content version (the content_version sequence; see its migration). */
export async function getContentVersion(db: Db): Promise<number> {
  const [row] = rowsOf<{ v: string }>(await db.execute(sql`select last_value::text as v from content_version`));
  return Number(row.v);
}
