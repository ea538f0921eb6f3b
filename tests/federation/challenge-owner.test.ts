// A followed municipality may only publish challenges at its own address: a
// Page naming another municipality's challenge URL would otherwise take over
// that challenge here, and our staff's ideas for it would go to the wrong one.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { drivers, openTestDatabase } from "../helpers/databases.ts";
import type { Database } from "../../db/client.ts";
import { rowsOf } from "../../db/client.ts";
import { challengeFromPage, challengePage } from "../../federation/challenge-object.ts";
import { upsertRemoteChallenge } from "../../db/remote-challenges.ts";
import type { ChallengeRow } from "../../db/schema-ideas.ts";

const halden = { actorUrl: "https://halden.example/ap/actor", name: "Halden kommune" };
const moss = { actorUrl: "https://moss.example/ap/actor", name: "Moss kommune" };

function challenge(title: string): ChallengeRow {
  const now = new Date();
  return {
    id: "abcdef123456", title, problem: "Køene er lange.", eligibility: "Ansatte", opensAt: now, closesAt: new Date(now.getTime() + 10 * 86_400_000),
    criteria: [{ name: "Nytte", description: "" }], prizes: "", scaleMax: 5, openToOthers: true, createdBy: "Anne", createdAt: now,
    winnersAnnouncedAt: null, winnersNote: null,
  } as ChallengeRow;
}

describe.each(drivers)("a remote challenge belongs to the municipality at its address (%s)", (driver) => {
  let database: Database;
  beforeAll(async () => {
    database = await openTestDatabase(driver);
  });
  afterAll(async () => {
    await database?.close();
  });

  it("refuses a Page from Moss whose address is on Halden's host", async () => {
    const page = challengePage(challenge("Haldens konkurranse"), { origin: "https://halden.example", actorUrl: moss.actorUrl });
    expect(await challengeFromPage(page, moss)).toBeUndefined();
    const own = challengePage(challenge("Moss sin konkurranse"), { origin: "https://moss.example", actorUrl: moss.actorUrl });
    expect((await challengeFromPage(own, moss))?.url).toBe("https://moss.example/konkurranser/abcdef123456");
  });

  it("keeps Halden's stored challenge when another municipality sends the same address", async () => {
    const real = (await challengeFromPage(challengePage(challenge("Haldens konkurranse"), { origin: "https://halden.example", actorUrl: halden.actorUrl }), halden))!;
    await upsertRemoteChallenge(database.db, real);
    await upsertRemoteChallenge(database.db, { ...real, actorUrl: moss.actorUrl, municipalityName: moss.name, title: "Kapret", updatedAt: new Date(real.updatedAt.getTime() + 1_000) });
    const rows = rowsOf<{ actor_url: string; title: string }>(await database.db.execute(sql`select actor_url, title from remote_challenges where url = ${real.url}`));
    expect(rows).toEqual([{ actor_url: halden.actorUrl, title: "Haldens konkurranse" }]);
  });
});
