// Hands the journal's events to its subscribers (server/subscribers.ts lists
// them): each subscriber reads from its last acknowledged position, in order,
// at start (replay) and whenever events are appended (told in-process after
// each commit; a poll finds what another process appended).
import type { EventName } from "../core/events.ts";
import type { Logger } from "../core/logger.ts";
import { acknowledge, journalHead, pruneJournal, readEvents, readPosition, type EventHandler, type EventJournal, type Handled } from "../db/journal.ts";

export interface Subscriber {
  /** Its key in `event_positions`: never rename one, or it starts from the beginning. */
  readonly name: string;
  /** The events it handles; it acknowledges the others without looking. */
  readonly events: readonly EventName[];
  /** Subscribers whose effects it needs: it handles an event only once they have. */
  readonly after?: readonly string[];
  readonly handler: EventHandler;
}

export interface DispatcherOptions {
  logger: Logger;
  /** How often an idle subscriber looks for events appended by another process. */
  pollMs?: number;
  batchSize?: number;
  /** A failing subscriber tries again after this, doubling up to `retryMaxMs`. */
  retryInitialMs?: number;
  retryMaxMs?: number;
  /** Acknowledged events are kept this long (ms) for inspection, then forgotten. */
  keepMs?: number;
}

type State = "busy" | "idle" | "retrying";

export class EventDispatcher {
  readonly #journal: EventJournal;
  readonly #subscribers: Map<string, Subscriber>;
  readonly #logger: Logger;
  readonly #pollMs: number;
  readonly #batchSize: number;
  readonly #retryInitialMs: number;
  readonly #retryMaxMs: number;
  readonly #keepMs: number;
  readonly #positions = new Map<string, number>();
  readonly #states = new Map<string, State>();
  /** Each loop's wake-up, and whoever waits in `settled`. */
  readonly #wakers = new Set<() => void>();
  readonly #watchers = new Set<() => void>();
  /** Every sleeping loop, woken by `stop`. */
  readonly #sleepers = new Set<() => void>();
  #loops: Promise<void>[] = [];
  #stopped = false;
  #unlisten: (() => void) | undefined;
  #prune: NodeJS.Timeout | undefined;

  constructor(journal: EventJournal, subscribers: readonly Subscriber[], options: DispatcherOptions) {
    this.#journal = journal;
    this.#subscribers = new Map(subscribers.map((s) => [s.name, s]));
    this.#logger = options.logger;
    this.#pollMs = options.pollMs ?? 1_000;
    this.#batchSize = options.batchSize ?? 100;
    this.#retryInitialMs = options.retryInitialMs ?? 500;
    this.#retryMaxMs = options.retryMaxMs ?? 60_000;
    this.#keepMs = options.keepMs ?? 7 * 24 * 60 * 60_000;
  }

  start(): void {
    this.#unlisten = this.#journal.onAppended(() => this.#wakeAll());
    this.#journal.setSettle(() => this.settled());
    for (const s of this.#subscribers.values()) {
      this.#states.set(s.name, "busy");
      this.#loops.push(this.#run(s));
    }
    this.#prune = setInterval(() => {
      void pruneJournal(this.#journal.db, new Date(Date.now() - this.#keepMs)).catch((e) => this.#logger.warn("journal: could not prune", e));
    }, 60 * 60_000);
    this.#prune.unref();
  }

  /** Lets each subscriber finish the event in hand, then stops. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#prune);
    this.#unlisten?.();
    this.#journal.setSettle(undefined);
    for (const done of [...this.#sleepers]) done();
    await Promise.all(this.#loops);
  }

  /**
   * Resolves once every subscriber has handled every event appended so far,
   * or waits to retry one that failed (or on a subscriber that does).
   */
  async settled(): Promise<void> {
    const head = await journalHead(this.#journal.db);
    while (!this.#stopped && ![...this.#subscribers.values()].every((s) => this.#done(s, head))) {
      await new Promise<void>((resolve) => this.#watchers.add(resolve));
    }
  }

  #done(s: Subscriber, head: number): boolean {
    const state = this.#states.get(s.name);
    if (state === "retrying") return true;
    if (state !== "idle") return false;
    const position = this.#positions.get(s.name) ?? 0;
    if (position >= head) return true;
    // Held up by a subscriber that is retrying: done once it has what that one acknowledged.
    const deps = (s.after ?? []).filter((d) => this.#subscribers.has(d));
    return this.#blocked(s) && deps.every((d) => position >= (this.#positions.get(d) ?? 0));
  }

  /** Whether a subscriber it waits for is stuck retrying. */
  #blocked(s: Subscriber, seen = new Set<string>()): boolean {
    for (const name of s.after ?? []) {
      const dep = this.#subscribers.get(name);
      if (!dep || seen.has(name)) continue;
      seen.add(name);
      if (this.#states.get(name) === "retrying" || this.#blocked(dep, seen)) return true;
    }
    return false;
  }

  #setState(name: string, state: State): void {
    this.#states.set(name, state);
    for (const w of [...this.#watchers]) {
      this.#watchers.delete(w);
      w();
    }
  }

  #wakeAll(): void {
    for (const wake of [...this.#wakers]) wake();
  }

  /** Waits `ms`, or until woken (when `wakeable`: an append, another subscriber's progress) or stopped. */
  #sleep(ms: number, wakeable: boolean): Promise<void> {
    if (this.#stopped) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#wakers.delete(done);
        this.#sleepers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      if (wakeable) this.#wakers.add(done);
      this.#sleepers.add(done);
    });
  }

  async #run(s: Subscriber): Promise<void> {
    const db = this.#journal.db;
    let failures = 0;
    let woken = false;
    const wake = () => {
      woken = true;
    };
    this.#wakers.add(wake);
    const backoff = () => Math.min(this.#retryMaxMs, this.#retryInitialMs * 2 ** Math.min(20, failures - 1));
    let position: number | undefined;
    try {
      while (!this.#stopped) {
        if (position === undefined) {
          try {
            position = await readPosition(db, s.name);
            this.#positions.set(s.name, position);
          } catch (error) {
            failures++;
            this.#logger.warn(`journal: subscriber ${s.name} cannot read its position`, error);
            this.#setState(s.name, "retrying");
            await this.#sleep(backoff(), false);
            continue;
          }
        }
        const deps = (s.after ?? []).filter((d) => this.#subscribers.has(d));
        const upTo = deps.length > 0 ? Math.min(...deps.map((d) => this.#positions.get(d) ?? 0)) : undefined;
        woken = false;
        const batch = upTo !== undefined && upTo <= position ? [] : await readEvents(db, position, this.#batchSize, upTo, s.events).catch((error) => {
          this.#logger.warn(`journal: subscriber ${s.name} cannot read the journal`, error);
          return undefined;
        });
        if (batch === undefined) {
          failures++;
          this.#setState(s.name, "retrying");
          await this.#sleep(backoff(), false);
          continue;
        }
        if (batch.length === 0) {
          if (woken) continue; // something was appended while we read
          this.#setState(s.name, "idle");
          await this.#sleep(this.#pollMs, true);
          continue;
        }
        this.#setState(s.name, "busy");
        // Handled one by one, in order; their effects and the new position commit together.
        const handled: Handled[] = [];
        let failed = false;
        for (const event of batch) {
          if (this.#stopped) break;
          if (!s.events.includes(event.name)) {
            handled.push({ id: event.id });
            continue;
          }
          try {
            handled.push({ id: event.id, effect: (await s.handler.handle(event)) ?? undefined });
          } catch (error) {
            failures++;
            failed = true;
            this.#logger.warn(`journal: subscriber ${s.name} failed on event ${event.id} (${event.name}), attempt ${failures}`, error);
            break;
          }
        }
        try {
          await acknowledge(db, s.name, handled);
          if (handled.length > 0) position = handled[handled.length - 1].id;
          if (!failed) failures = 0;
        } catch (error) {
          failures++;
          failed = true;
          this.#logger.warn(`journal: subscriber ${s.name} could not acknowledge events ${handled[0]?.id}–${handled.at(-1)?.id}, attempt ${failures}`, error);
        }
        this.#positions.set(s.name, position);
        try {
          await s.handler.afterBatch?.();
        } catch (error) {
          this.#logger.warn(`journal: subscriber ${s.name} failed after a batch`, error);
        }
        this.#wakeAll(); // subscribers waiting for this one
        if (failed) {
          this.#setState(s.name, "retrying");
          await this.#sleep(backoff(), false);
        }
      }
    } finally {
      this.#wakers.delete(wake);
      this.#setState(s.name, "idle");
    }
  }
}
