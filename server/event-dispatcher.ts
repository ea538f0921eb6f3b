// Hands the journal's events to its subscribers (server/subscribers.ts lists
// them): each subscriber reads from its last acknowledged position, in order,
// at start (replay) and whenever events are appended (told in-process after
// each commit; a poll finds what another process appended).
import type { EventName, JournalEvent } from "../core/events.ts";
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
  /**
   * A run of events a subscriber only passes over (none it handles) is
   * acknowledged at most this often (ms; default `pollMs`): passing over
   * writes nothing, so a crash before then only has it passed over again.
   */
  skipAckMs?: number;
  /**
   * A commit that follows another within this long (ms) wakes idle
   * subscribers only this long after it, so that a stream of commits (an
   * inbox under load) is handled, and acknowledged, in runs rather than one
   * event at a time; a lone commit wakes them at once.
   */
  gatherMs?: number;
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
  readonly #skipAckMs: number;
  readonly #gatherMs: number;
  #gathering: NodeJS.Timeout | undefined;
  #lastAppendAt = -Infinity;
  /** Each subscriber's position in memory: ahead of the stored one by the events it passed over and has not yet acknowledged. */
  readonly #positions = new Map<string, number>();
  readonly #states = new Map<string, State>();
  /** Each loop's wake-up, and whoever waits in `settled`. */
  readonly #wakers = new Map<string, Set<() => void>>();
  readonly #watchers = new Set<() => void>();
  /** Every sleeping loop, woken by `stop`. */
  readonly #sleepers = new Set<() => void>();
  #loops: Promise<void>[] = [];
  /**
   * The journal as last read, shared by every subscriber: each event with
   * `#windowFrom < id <= #windowTo` is in `#window`, in order. One read serves
   * every subscriber at or past its start, and a subscriber that runs after
   * another finds its events here instead of reading them again.
   */
  #window: JournalEvent[] = [];
  #windowFrom = 0;
  #windowTo = -1;
  /** Whether the read that ended the window found the journal's end (then nothing past `#windowTo` had committed). */
  #windowAtEnd = false;
  /** Commits told in process so far, and how many had been told when the window's last read began. */
  #appends = 0;
  #windowAppends = -1;
  #reading: Promise<void> | undefined;
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
    this.#skipAckMs = options.skipAckMs ?? this.#pollMs;
    this.#gatherMs = options.gatherMs ?? 20;
  }

  start(): void {
    this.#unlisten = this.#journal.onAppended(() => {
      const now = performance.now();
      const lone = now - this.#lastAppendAt > this.#gatherMs;
      this.#lastAppendAt = now;
      if (lone && !this.#gathering) return this.#released();
      this.#gathering ??= setTimeout(() => this.#released(), this.#gatherMs);
    });
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
    clearTimeout(this.#gathering);
    this.#unlisten?.();
    this.#journal.setSettle(undefined);
    for (const done of [...this.#sleepers]) done();
    await Promise.all(this.#loops);
  }

  /**
   * Resolves once every subscriber has handled every event appended so far,
   * or has failed on one more than once in a row and waits to retry it (or
   * waits on a subscriber that does).
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

  /** Commits told so far are let through to the subscribers: the window no longer answers that the journal ends where it did. */
  #released(): void {
    clearTimeout(this.#gathering);
    this.#gathering = undefined;
    this.#appends++;
    this.#wake([...this.#subscribers.keys()]);
  }

  #wake(names: Iterable<string>): void {
    for (const name of names) for (const wake of [...(this.#wakers.get(name) ?? [])]) wake();
  }

  /** The subscribers that run after `name`. */
  #dependents(name: string): string[] {
    return [...this.#subscribers.values()].filter((d) => d.after?.includes(name)).map((d) => d.name);
  }

  /**
   * Waits before a subscriber tries again. A first failure in a row is most
   * often a passing conflict (a PostgreSQL serialization failure, a lock), so
   * the subscriber still counts as busy and `settled` waits for it; from the
   * second failure on it counts as retrying, and `settled` stops waiting on it.
   */
  async #retryLater(name: string, failures: number, delayMs: number): Promise<void> {
    if (failures > 1) this.#setState(name, "retrying");
    await this.#sleep(name, delayMs, false);
  }

  /** Waits `ms`, or until woken (when `wakeable`: an append, another subscriber's progress) or stopped. */
  #sleep(name: string, ms: number, wakeable: boolean): Promise<void> {
    if (this.#stopped) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#wakers.get(name)?.delete(done);
        this.#sleepers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      if (wakeable) this.#wakers.get(name)?.add(done);
      this.#sleepers.add(done);
    });
  }

  /**
   * Up to a batch of events after `position` (and up to `upTo`), oldest
   * first, from the shared window when it holds them; otherwise one read of
   * the journal, which every subscriber waiting meanwhile shares. `fresh`
   * (after a poll) reads the journal even when no commit was told in process,
   * for what another process appended.
   */
  async #read(position: number, upTo: number | undefined, fresh: boolean): Promise<JournalEvent[]> {
    const db = this.#journal.db;
    for (;;) {
      const inWindow = this.#windowTo >= 0 && position >= this.#windowFrom && position <= this.#windowTo;
      if (inWindow) {
        const end = upTo === undefined ? this.#windowTo : Math.min(upTo, this.#windowTo);
        const events: JournalEvent[] = [];
        for (const e of this.#window) {
          if (e.id <= position) continue;
          if (e.id > end || events.length >= this.#batchSize) break;
          events.push(e);
        }
        if (events.length > 0) return events;
        // Nothing it may have yet: those it waits for have acknowledged no further than the window goes.
        if (upTo !== undefined && upTo <= this.#windowTo) return [];
        // The window reaches the journal's end as of a read begun after the last commit told here.
        if (!fresh && this.#windowAtEnd && this.#windowAppends === this.#appends) return [];
      } else if (this.#windowTo >= 0 && position < this.#windowFrom) {
        // Far behind the others (retrying, say): a read of its own, leaving the window as it is.
        return readEvents(db, position, this.#batchSize, upTo);
      }
      if (this.#reading) {
        await this.#reading;
        fresh = false;
        continue;
      }
      const from = inWindow ? this.#windowTo : position;
      const appends = this.#appends;
      const reading = readEvents(db, from, this.#batchSize).then((rows) => {
        if (!inWindow || this.#windowTo !== from) {
          this.#window = [];
          this.#windowFrom = from;
        }
        this.#window.push(...rows);
        this.#windowTo = rows.at(-1)?.id ?? from;
        this.#windowAtEnd = rows.length < this.#batchSize;
        this.#windowAppends = appends;
        this.#trimWindow();
      });
      this.#reading = reading.finally(() => (this.#reading = undefined));
      await this.#reading;
      fresh = false;
    }
  }

  /** Forgets the events every subscriber has passed, and keeps the window to a few batches. */
  #trimWindow(): void {
    const behind = Math.min(...[...this.#subscribers.keys()].map((name) => this.#positions.get(name) ?? 0));
    let drop = 0;
    while (drop < this.#window.length && (this.#window[drop].id <= behind || this.#window.length - drop > 4 * this.#batchSize)) drop++;
    if (drop === 0) return;
    this.#windowFrom = this.#window[drop - 1].id;
    this.#window = this.#window.slice(drop);
  }

  async #run(s: Subscriber): Promise<void> {
    const db = this.#journal.db;
    let failures = 0;
    let woken = false;
    const wake = () => {
      woken = true;
    };
    this.#wakers.set(s.name, new Set([wake]));
    const backoff = () => Math.min(this.#retryMaxMs, this.#retryInitialMs * 2 ** Math.min(20, failures - 1));
    let position: number | undefined;
    /** Read the journal itself rather than trust the window (at start, and after a poll: another process may have appended). */
    let fresh = true;
    /** Since when the position in memory is past the stored one by events only passed over. */
    let passedSince: number | undefined;
    const storePassed = async (at: number) => {
      try {
        await acknowledge(db, s.name, [{ id: at }]);
        passedSince = undefined;
      } catch (error) {
        this.#logger.warn(`journal: subscriber ${s.name} could not acknowledge passing to event ${at}`, error);
      }
    };
    try {
      while (!this.#stopped) {
        if (position === undefined) {
          try {
            position = await readPosition(db, s.name);
            this.#positions.set(s.name, position);
          } catch (error) {
            failures++;
            this.#logger.warn(`journal: subscriber ${s.name} cannot read its position`, error);
            await this.#retryLater(s.name, failures, backoff());
            continue;
          }
        }
        const deps = (s.after ?? []).filter((d) => this.#subscribers.has(d));
        const upTo = deps.length > 0 ? Math.min(...deps.map((d) => this.#positions.get(d) ?? 0)) : undefined;
        woken = false;
        const batch = upTo !== undefined && upTo <= position ? [] : await this.#read(position, upTo, fresh).catch((error) => {
          this.#logger.warn(`journal: subscriber ${s.name} cannot read the journal`, error);
          return undefined;
        });
        if (batch === undefined) {
          failures++;
          await this.#retryLater(s.name, failures, backoff());
          continue;
        }
        fresh = false;
        if (batch.length === 0) {
          if (woken) continue; // something was appended while we read
          this.#setState(s.name, "idle");
          if (passedSince !== undefined) {
            const due = passedSince + this.#skipAckMs - Date.now();
            if (due <= 0) await storePassed(position);
            else await this.#sleep(s.name, due, true);
            continue;
          }
          await this.#sleep(s.name, this.#pollMs, true);
          fresh = !woken;
          continue;
        }
        this.#setState(s.name, "busy");
        if (!batch.some((e) => s.events.includes(e.name))) {
          // Nothing here for it: passed over in memory, stored with its next acknowledgement or once idle.
          position = batch[batch.length - 1].id;
          this.#positions.set(s.name, position);
          passedSince ??= Date.now();
          this.#wake(this.#dependents(s.name)); // subscribers waiting for this one
          continue;
        }
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
          if (handled.length > 0) {
            position = handled[handled.length - 1].id;
            passedSince = undefined;
          }
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
        this.#wake(this.#dependents(s.name)); // subscribers waiting for this one
        if (failed) {
          await this.#retryLater(s.name, failures, backoff());
        }
      }
      if (passedSince !== undefined && position !== undefined) await storePassed(position);
    } finally {
      this.#wakers.delete(s.name);
      this.#setState(s.name, "idle");
    }
  }
}
