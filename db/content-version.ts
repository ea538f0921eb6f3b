import { sql } from "drizzle-orm";
import { rowsOf, type Db } from "./client.ts";

/** The current content version as text (the content_version sequence; see its migration), for a statement to read beside its rows. */
export const contentVersionSql = sql<string>`(select last_value::text from content_version)`;

/** The current content version. */
export async function getContentVersion(db: Db): Promise<number> {
  const [row] = rowsOf<{ v: string }>(await db.execute(sql`select ${contentVersionSql} as v`));
  return Number(row.v);
}
