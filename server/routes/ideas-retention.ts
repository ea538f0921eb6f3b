import type { Logger } from "../../core/logger.ts";
import type { IdeaService } from "../../services/ideas.ts";

/**
 * Erases the personal data of ideas older than the retention period the
 * administrator set (/admin/ideer): at start, then every hour. Returns a stop function.
 */
export function startIdeaRetention(ideas: IdeaService, logger: Logger, everyMs = 60 * 60_000): () => void {
  const sweep = () =>
    void ideas
      .sweepRetention()
      .then((n) => n > 0 && logger.info(`ideas: erased the personal data of ${n} idea(s) past the retention period`))
      .catch((error) => logger.warn("ideas: retention sweep failed", error));
  sweep();
  const timer = setInterval(sweep, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
