import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getFederationSettings } from "../../db/federation-settings.ts";
import { journalHead, readEvents } from "../../db/journal.ts";
import type { TestInstance } from "../helpers/instance.ts";
import { signInAdmin, type Agent } from "../http/pages-support.ts";
import { follow, startMunicipality } from "../federation/helpers.ts";

// Saving federation settings is not a profile change: it must not send the
// whole actor to every follower and re-index every project (profile.updated).
// Followers still learn whether follows need approval: it is on our actor.
describe("federation settings and the profile", () => {
  let a: TestInstance;
  let b: TestInstance;
  let admin: { agent: Agent; csrf: string };
  let head = 0;
  const mark = async () => void (head = await journalHead(a.ctx.db));
  /** The profile and settings events appended since `mark`, with what changed for a settings event. */
  const appended = async () =>
    (await readEvents(a.ctx.db, head, 100))
      .filter((e) => e.name === "profile.updated" || e.name === "federation.settings.updated")
      .map((e) => (e.name === "federation.settings.updated" ? `settings:${e.payload.changed.join(",")}` : e.name));

  beforeAll(async () => {
    [a, b] = await Promise.all([startMunicipality("fredrikstad"), startMunicipality("sarpsborg")]);
    await follow(b, a);
    admin = await signInAdmin(a);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
  });

  it("a changed backfill limit is saved without a profile update", async () => {
    await mark();
    await admin.agent.post("/admin/foderasjon/innstillinger").type("form").send({ _csrf: admin.csrf, backfillLimit: "50" }).expect(303);
    expect((await getFederationSettings(a.ctx.db)).backfillLimit).toBe(50);
    expect(await appended()).toEqual(["settings:backfillLimit"]);
  });

  it("saving unchanged settings announces nothing", async () => {
    await mark();
    await admin.agent.post("/admin/foderasjon/innstillinger").type("form").send({ _csrf: admin.csrf, backfillLimit: "50" }).expect(303);
    expect(await appended()).toEqual([]);
  });

  it("turning on approval is a settings event of its own (federation sends our changed actor), not a profile update", async () => {
    await mark();
    await admin.agent
      .post("/admin/foderasjon/innstillinger")
      .type("form")
      .send({ _csrf: admin.csrf, approveFollowers: "ja", backfillLimit: "50" })
      .expect(303);
    expect(await appended()).toEqual(["settings:approveFollowers"]);
  });

  it("a profile saved on the admin page is a profile update", async () => {
    await mark();
    await admin.agent
      .post("/admin/kommune")
      .type("form")
      .send({ _csrf: admin.csrf, name: "Fredrikstad kommune", kommunenummer: "3107", fylke: "Østfold", description: "Ny tekst." })
      .expect(303);
    expect(await appended()).toEqual(["profile.updated"]);
  });
});
