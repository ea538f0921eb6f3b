import type { Db } from "../db/client.ts";
import type { Config } from "./config.ts";
import type { EventBus } from "./events.ts";
import type { Logger } from "./logger.ts";
import type { RateLimiter } from "./http/rate-limit.ts";
import type { ProjectService } from "./services/projects.ts";

/** Everything a request handler may use; built once per instance by `server/instance.ts`. */
export interface AppContext {
  config: Config;
  db: Db;
  events: EventBus;
  logger: Logger;
  projects: ProjectService;
  /** Key for CSRF tokens; generated on first start and kept in the database. */
  secret: string;
  loginLimits: { perAccount: RateLimiter; perIp: RateLimiter };
}
