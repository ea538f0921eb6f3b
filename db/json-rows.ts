import { getTableColumns, sql, type SQL } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";

/**
 * The arguments of `json_build_object` for a row of `table`, keyed like the
 * row Drizzle returns, so that a statement can bring a table's rows along
 * as JSON (timestamps arrive as ISO text: the reader makes them dates).
 */
export function jsonFields(table: PgTable): SQL {
  return sql.join(
    Object.entries(getTableColumns(table)).map(([key, column]) => sql`${sql.raw(`'${key}'`)}, ${column}`),
    sql`, `,
  );
}

/** A row as `jsonFields` brings it: dates as ISO text. */
export type Json<T> = { [K in keyof T]: T[K] extends Date ? string : T[K] extends Date | null ? string | null : T[K] };
