import type { Db } from "../db/client.ts";
import { getLocalMunicipality } from "../db/municipalities.ts";

/** A problem the administrator can fix; routes turn it into a 4xx naming the field. */
export class FollowError extends Error {
  readonly status: number;
  readonly field: string;
  constructor(status: number, field: string, message: string) {
    super(message);
    this.status = status;
    this.field = field;
  }
}

/** Our own municipality; a FollowError (409) before the instance is set up. */
export async function ourMunicipality(db: Db) {
  const m = await getLocalMunicipality(db);
  if (!m) throw new FollowError(409, "target", "Instansen er ikke satt opp ennå");
  return m;
}
