import type { Db } from "../db/client.ts";
import { overviewFilterOf, overviewStats, type OverviewStats } from "../db/overview.ts";
import { followsSignature, listParticipants, type Participant } from "../db/participants.ts";
import type { OverviewQuery } from "../core/overview-query.ts";
import { DerivedCache } from "./derived-cache.ts";

/**
 * The overview's figures and the list of participating municipalities, each
 * computed once per content version (and, for the list, per set of follows)
 * and shared by the pages and the API. The figures are summed from the
 * counters the journal's overview subscriber keeps (db/overview-counters.ts)
 * and recounted only for filters the counters cannot answer.
 */
export class OverviewService {
  readonly #db: Db;
  readonly #figures: DerivedCache<OverviewStats>;
  readonly #participants: DerivedCache<Participant[]>;

  constructor(db: Db) {
    this.#db = db;
    this.#figures = new DerivedCache(db);
    this.#participants = new DerivedCache(db, 20);
  }

  /** The figures for one filter of the overview. */
  figures(query: OverviewQuery): Promise<OverviewStats> {
    return this.#figures.get(JSON.stringify(query), () => overviewStats(this.#db, overviewFilterOf(query)));
  }

  /** Every participating municipality with its counts; our own only when `includeLocal`. */
  async participants(includeLocal: boolean): Promise<Participant[]> {
    const key = `${includeLocal ? "with" : "without"}-local ${await followsSignature(this.#db)}`;
    return this.#participants.get(key, () => listParticipants(this.#db, { includeLocal }));
  }
}
