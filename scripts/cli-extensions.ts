// Commands contributed by other parts of the system, kept apart so the core
// CLI stays small.
import { reindexCommand } from "./reindex-command.ts";

export const commandExtensions = {
  reindex: reindexCommand,
};
