import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signRequest } from "@fedify/fedify";
import type { TestInstance } from "../helpers/instance.ts";
import { backfill } from "../../federation/backfill.ts";
import { getFollowByTarget } from "../../db/follows.ts";
import { actorKeyPairs } from "../../federation/keys.ts";
import { updateFederationSettings } from "../../db/federation-settings.ts";
import { eventually, follow, publish, remoteProjects, startMunicipality } from "./helpers.ts";

describe("backfill after a follow", () => {
  let a: TestInstance;
  let b: TestInstance;
  const titles = ["Første", "Andre", "Tredje", "Fjerde", "Femte"];

  beforeAll(async () => {
    [a, b] = await Promise.all([startMunicipality("fredrikstad"), startMunicipality("sarpsborg")]);
    for (const title of titles) await publish(a, { title: `${title} prosjekt` });
  }, 60_000);
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
  });

  it("fetches the newest projects up to the bound the administrator set", async () => {
    await updateFederationSettings(b.ctx.db, { backfillLimit: 3 });
    await follow(b, a);
    const got = await eventually(async () => {
      const row = await getFollowByTarget(b.ctx.db, a.municipality!.actorUrl);
      return row?.backfilledAt && (await remoteProjects(b));
    });
    expect(got.map((p) => p.title).sort()).toEqual(["Femte prosjekt", "Fjerde prosjekt", "Tredje prosjekt"]);
  });

  it("never duplicates: a second backfill and a redelivered Create leave one copy each", async () => {
    const row = (await getFollowByTarget(b.ctx.db, a.municipality!.actorUrl))!;
    const ctx = b.federation.context();
    expect(await backfill(ctx, row, 10)).toMatchObject({ seen: 5, stored: 2, failed: 0 });
    expect(await backfill(ctx, row, 10)).toMatchObject({ seen: 5, stored: 0, failed: 0 });

    const [rsa] = await actorKeyPairs(a.ctx.db);
    const target = (await remoteProjects(b))[0];
    const body = JSON.stringify({
      "@context": "https://www.w3.org/ns/activitystreams",
      id: `${target.url}#create-again`,
      type: "Create",
      actor: a.municipality!.actorUrl,
      object: target.url,
    });
    for (let i = 0; i < 2; i++) {
      const request = await signRequest(
        new Request(`${b.url}/inbox`, { method: "POST", headers: { "content-type": "application/activity+json" }, body }),
        rsa.privateKey,
        new URL(`${a.municipality!.actorUrl}#main-key`),
        { spec: "draft-cavage-http-signatures-12" },
      );
      expect((await fetch(request)).status).toBe(202);
    }
    const all = await remoteProjects(b);
    expect(all).toHaveLength(5);
    expect(new Set(all.map((p) => p.url)).size).toBe(5);
  });
});
