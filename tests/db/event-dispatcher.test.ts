// The dispatcher hands each subscriber the journal's events in order: one that
// fails retries the same event without holding up the others, and one that
// runs after it waits for it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../db/client.ts";
import { EventJournal, readPosition, type EventHandler } from "../../db/journal.ts";
import type { JournalEvent } from "../../core/events.ts";
import { createLogger } from "../../core/logger.ts";
import { EventDispatcher } from "../../server/event-dispatcher.ts";
import { drivers, openTestDatabase } from "../helpers/databases.ts";

/** Records what it was handed; fails the first `failures` times it is handed `failOn`. */
function recorder(options: { failOn?: string; failures?: number; seenBy?: () => string[] } = {}) {
  const seen: string[] = [];
  const seenFirst: string[][] = [];
  let left = options.failures ?? 0;
  const handler: EventHandler = {
    async handle(event: JournalEvent) {
      const id = event.name === "profile.updated" ? event.payload.municipalityId : event.name;
      if (id === options.failOn && left > 0) {
        left--;
        throw new Error(`failing on ${id}`);
      }
      seen.push(id);
      seenFirst.push(options.seenBy?.() ?? []);
    },
  };
  return { handler, seen, seenFirst, heal: () => void (left = 0) };
}

describe.each(drivers)("the journal's dispatcher (%s)", (driver) => {
  let database: Database;
  let journal: EventJournal;
  let dispatcher: EventDispatcher | undefined;

  beforeAll(async () => {
    database = await openTestDatabase(driver);
    journal = new EventJournal(database.db);
  });
  afterAll(async () => {
    await dispatcher?.stop();
    await database?.close();
  });

  it("retries a failing subscriber without holding up the others; one that runs after it waits", async () => {
    const failing = recorder({ failOn: "m2", failures: Number.POSITIVE_INFINITY });
    const independent = recorder();
    const dependent = recorder({ seenBy: () => [...failing.seen] });
    dispatcher = new EventDispatcher(
      journal,
      [
        { name: "failing", events: ["profile.updated"], handler: failing.handler },
        { name: "independent", events: ["profile.updated"], handler: independent.handler },
        { name: "dependent", events: ["profile.updated"], after: ["failing"], handler: dependent.handler },
      ],
      { logger: createLogger("silent"), retryInitialMs: 20, retryMaxMs: 50, pollMs: 50 },
    );
    dispatcher.start();
    for (const id of ["m1", "m2", "m3"]) await journal.emit("profile.updated", { municipalityId: id });

    // While one subscriber keeps failing on m2, the others are not held up,
    // except the one that runs after it.
    await journal.settled();
    expect(failing.seen).toEqual(["m1"]);
    expect(independent.seen).toEqual(["m1", "m2", "m3"]);
    expect(dependent.seen).toEqual(["m1"]);

    failing.heal();
    await expect.poll(() => failing.seen).toEqual(["m1", "m2", "m3"]);
    await expect.poll(() => dependent.seen).toEqual(["m1", "m2", "m3"]);
    expect(dependent.seen).toEqual(["m1", "m2", "m3"]);
    // Each event reached the dependent subscriber only after the one it runs after had it.
    dependent.seenFirst.forEach((before, i) => expect(before).toContain(dependent.seen[i]));
    for (const name of ["failing", "independent", "dependent"]) {
      expect(await readPosition(database.db, name)).toBeGreaterThan(0);
    }
  });

  it("replays from each subscriber's position when started again, handing over nothing twice", async () => {
    await dispatcher!.stop();
    await journal.emit("profile.updated", { municipalityId: "m4" });
    const again = recorder();
    dispatcher = new EventDispatcher(journal, [{ name: "independent", events: ["profile.updated"], handler: again.handler }], {
      logger: createLogger("silent"),
      pollMs: 50,
    });
    dispatcher.start();
    await journal.settled();
    expect(again.seen).toEqual(["m4"]);
  });

  it("waits in settled() for a subscriber that failed once (a passing conflict) until it has handled the event", async () => {
    await dispatcher!.stop();
    const once = recorder({ failOn: "m5", failures: 1 });
    dispatcher = new EventDispatcher(journal, [{ name: "conflicted", events: ["profile.updated"], handler: once.handler }], {
      logger: createLogger("silent"),
      retryInitialMs: 200,
      pollMs: 50,
    });
    dispatcher.start();
    await journal.settled();
    await journal.emit("profile.updated", { municipalityId: "m5" });
    await journal.settled();
    expect(once.seen.at(-1)).toBe("m5");
  });
});
