import type { Project } from "./project.ts";
import type { CollaborationRequest } from "../db/schema.ts";
import type { Logger } from "./logger.ts";
import type { FederationSettings } from "./federation-settings.ts";

/**
 * Domain events, emitted after the write has committed. Federation and search
 * subscribe here, so a failing subscriber never fails the user's save.
 */
export interface DomainEvents {
  "project.published": { project: Project };
  "project.updated": { project: Project; changedFields: string[] };
  "project.unpublished": { project: Project };
  "project.deleted": { project: Project };
  "profile.updated": { municipalityId: string };
  /** The administrator changed federation settings; `changed` names them (our actor shows `approveFollowers`). */
  "federation.settings.updated": { changed: (keyof FederationSettings)[] };
  /** A project received from, changed by or removed by a peer. */
  "remote.project.upserted": { project: Project };
  "remote.project.removed": { projectId: string; url: string };
  /** Our staff asked to join another municipality's project (federation delivers it). */
  "collaboration.requested": { requestId: string };
  /** We accepted or declined a request to join one of our projects (federation tells the asker). */
  "collaboration.decided": { request: CollaborationRequest; projectUrl: string };
}

export type EventName = keyof DomainEvents;
type Handler<E extends EventName> = (payload: DomainEvents[E]) => Promise<void> | void;

export class EventBus {
  #handlers = new Map<EventName, Handler<never>[]>();
  #pending = new Set<Promise<void>>();
  readonly #logger: Logger;

  constructor(logger: Logger) {
    this.#logger = logger;
  }

  on<E extends EventName>(name: E, handler: Handler<E>): void {
    const list = this.#handlers.get(name) ?? [];
    list.push(handler as Handler<never>);
    this.#handlers.set(name, list);
  }

  /** Runs subscribers in the background; errors are logged, never thrown to the emitter. */
  emit<E extends EventName>(name: E, payload: DomainEvents[E]): void {
    for (const handler of this.#handlers.get(name) ?? []) {
      const run = (async () => {
        try {
          await (handler as Handler<E>)(payload);
        } catch (error) {
          this.#logger.error(`subscriber of ${name} failed`, error);
        }
      })();
      this.#pending.add(run);
      void run.finally(() => this.#pending.delete(run));
    }
  }

  /** Resolves once every subscriber started so far has finished (tests, shutdown). */
  async settled(): Promise<void> {
    while (this.#pending.size > 0) await Promise.allSettled([...this.#pending]);
  }
}
