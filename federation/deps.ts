// What federation needs from the instance, handed in by the composition root
// (server/instance.ts) and carried as Fedify's context data. Federation sees
// these and nothing else of the server.
import type { Config } from "../core/config.ts";
import type { EventJournal } from "../db/journal.ts";
import type { Logger } from "../core/logger.ts";
import type { Db } from "../db/client.ts";
import type { CollaborationService } from "../services/collaboration.ts";
import type { ImitationService } from "../services/imitations.ts";

/** The settings federation reads: who we are, and the network (address policy, resolvers, exempt services). */
export type FederationConfig = Pick<Config, "origin" | "role" | "allowHosts" | "dnsServers" | "meiliUrl" | "oidc">;

/** Fedify's context data (`ctx.data`) and the first argument of federation's own functions. */
export interface FederationDeps {
  config: FederationConfig;
  db: Db;
  logger: Logger;
  events: EventJournal;
  /** Lineage of our projects, and imitations of them that peers announce. */
  imitations: Pick<ImitationService, "ancestors" | "record">;
  /** Requests to join our projects that peers send. */
  collaboration: Pick<CollaborationService, "receive" | "answered">;
}
