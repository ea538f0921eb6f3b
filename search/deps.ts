// What search needs from the instance, handed in by the composition root
// (server/instance.ts).
import type { Config } from "../core/config.ts";
import type { Logger } from "../core/logger.ts";
import type { Db } from "../db/client.ts";

/** The settings search reads: which backend, and an administrator's umbrella terms. */
export type SearchConfig = Pick<Config, "meiliUrl" | "meiliMasterKey" | "searchTermsFile">;

export interface SearchDeps {
  config: SearchConfig;
  db: Db;
  logger: Logger;
}
