import type { Db } from "./client.ts";

/**
 * A hot read built once per database handle and then only executed: Drizzle
 * builds its SQL from the query objects on every run otherwise (a fifth of a
 * page's CPU), and on PostgreSQL a named statement is parsed and planned once
 * per connection. `build` calls `.prepare(name)` with a name no other
 * statement uses. A transaction is a handle of its own: it prepares again.
 */
export function preparedFor<P>(build: (db: Db) => P): (db: Db) => P {
  const kept = new WeakMap<Db, P>();
  return (db) => {
    let statement = kept.get(db);
    if (!statement) kept.set(db, (statement = build(db)));
    return statement;
  };
}
