import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { generateCryptoKeyPair, signRequest } from "@fedify/fedify";
import { getLocalMunicipality } from "../../db/municipalities.ts";
import { actorKeyPairs } from "../../federation/keys.ts";
import { drivers } from "../helpers/databases.ts";
import { freePort, startTestInstance, type TestInstance } from "../helpers/instance.ts";
import { aggregatedUrls, expectOverviewMatches, handleOf, overviewOf, startAggregator } from "./aggregator-helpers.ts";
import { api, eventually, fastTuning, follow, municipalities, publish, startMunicipality } from "./helpers.ts";
import { signInAdmin } from "../http/pages-support.ts";

const cleanup: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const c of cleanup.reverse()) await c();
}, 120_000);

/** Stands in for a municipality that has shut down for good: every request gets 410 Gone. */
async function goneServer(port: number): Promise<Server> {
  const server = createServer((_req, res) => res.writeHead(410, { "content-type": "text/plain" }).end("Gone"));
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", () => resolve()));
  return server;
}

describe("a municipality that disappears and comes back (pglite)", () => {
  it("keeps the overview consistent while it is unreachable, drops it on 410, and backfills it without duplicates when followed again", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "kominn-agg-gone-"));
    cleanup.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const port = await freePort();
    const ks = await startAggregator();
    const b = await startMunicipality("sarpsborg");
    let a = await startTestInstance({ setup: municipalities.fredrikstad, dataDir, port, federation: fastTuning });
    const token = a.adminToken;
    cleanup.push(() => ks.close(), () => b.close());

    for (const title of ["Fallsensorer i hjemmet", "Digital skoleskyss", "Ombruk av møbler"]) await publish(a, { title, serviceAreas: ["helse-omsorg"] });
    await publish(b, { title: "Overvann som ressurs", phase: "ide" });
    await follow(ks, a);
    await follow(ks, b);
    await expectOverviewMatches(ks, [a, b]);
    const before = await overviewOf(ks);
    expect(before).toMatchObject({ projects: 4, municipalities: 2 });

    // Unreachable: nothing answers on its port. Its projects stay, counted once.
    // The administrator asks now, with the button on the federation page.
    await a.close();
    const { agent, csrf } = await signInAdmin(ks);
    const checked = await agent.post("/admin/foderasjon/sjekk").type("form").send({ _csrf: csrf }).expect(200);
    expect(checked.text).toContain("Sjekket 2 kommuner: 1 svarte, 1 svarte ikke, 0 er lagt ned og fjernet.");
    expect(checked.text).toContain(`<li>${handleOf(a)}: svarte ikke</li>`);
    expect((await agent.post("/admin/foderasjon/sjekk").type("form").send({})).status).toBe(403);
    expect(await overviewOf(ks)).toEqual(before);
    const marked = await (await fetch(`${ks.url}/kommuner`)).text();
    expect(marked).toMatch(/Fredrikstad kommune<\/a><br><span class="muted">ikke nådd siden \d{1,2}\. \S+ \d{4}<\/span>/);
    expect(marked).not.toMatch(/Sarpsborg kommune<\/a><br>/);
    const urls = await aggregatedUrls(ks);
    expect(new Set(urls).size).toBe(urls.length);

    // Gone: 410 for its actor. Its follow and projects leave the overview; the others' stay.
    const gone = await goneServer(port);
    const checks = await ks.federation.checkPeers();
    expect(checks.find((c) => c.actorUrl === a.municipality!.actorUrl)?.state).toBe("gone");
    await new Promise<void>((r) => gone.close(() => r()));
    expect(await overviewOf(ks)).toMatchObject({ projects: 1, municipalities: 1, byPhase: { ide: 1 } });
    expect((await api(ks, "GET", "/api/v1/follows")).json.items.map((f: any) => f.actorUrl)).toEqual([b.municipality!.actorUrl]);
    const list = await (await fetch(`${ks.url}/kommuner`)).text();
    expect(list).not.toContain("Fredrikstad kommune");

    // It comes back on the same data, publishes once more, and is followed again: backfilled, nothing twice.
    a = await startTestInstance({ setup: false, dataDir, port, federation: fastTuning });
    a.adminToken = token;
    a.municipality = await getLocalMunicipality(a.ctx.db);
    cleanup.push(() => a.close());
    await publish(a, { title: "Nattilsyn med sensor", phase: "drift" });
    const again = await api(ks, "POST", "/api/v1/follows/bulk", { targets: [a.municipality!.actorUrl, b.municipality!.actorUrl] });
    expect(again.json.results.map((r: any) => r.outcome)).toEqual(["followed", "already"]);
    await expectOverviewMatches(ks, [a, b]);
    expect(await overviewOf(ks)).toMatchObject({ projects: 5, municipalities: 2 });
    expect((await ks.federation.checkPeers()).map((c) => c.state)).toEqual(["ok", "ok"]);
    expect(await (await fetch(`${ks.url}/kommuner`)).text()).not.toContain("ikke nådd");
    const after = await aggregatedUrls(ks);
    expect(after).toHaveLength(5);
    expect(new Set(after).size).toBe(5);
  }, 120_000);
});

async function post(inbox: string, activity: unknown, sign?: { key: CryptoKey; keyId: string }) {
  let request = new Request(inbox, {
    method: "POST",
    headers: { "content-type": "application/activity+json" },
    body: JSON.stringify(activity),
  });
  if (sign) request = await signRequest(request, sign.key, new URL(sign.keyId), { spec: "draft-cavage-http-signatures-12" });
  const response = await fetch(request);
  await response.body?.cancel();
  return response.status;
}

describe.each(drivers)("an instance sending forged activities to the aggregator (%s)", (driver) => {
  it("is refused, and the other municipalities' projects on the aggregator stay as they were", async () => {
    const [ks, a, c] = await Promise.all([
      startAggregator({ driver }),
      startMunicipality("fredrikstad", { driver }),
      startMunicipality("hvaler", { driver }),
    ]);
    cleanup.push(() => ks.close(), () => a.close(), () => c.close());
    const project = await publish(a, { title: "Lånebil for hjemmetjenesten", phase: "test", serviceAreas: ["helse-omsorg"] });
    await publish(c, { title: "Ladepunkter ved fergeleiet", phase: "ide" });
    await follow(ks, a);
    await follow(ks, c);
    await expectOverviewMatches(ks, [a, c]);
    const before = await overviewOf(ks);
    const inbox = `${ks.url}/inbox`;
    const hvaler = c.municipality!.actorUrl;
    const fredrikstad = a.municipality!.actorUrl;
    const [rsa] = await actorKeyPairs(c.ctx.db);
    const asHvaler = { key: rsa.privateKey, keyId: `${hvaler}#main-key` };
    const activity = (type: string, actor: string, object: unknown) => ({
      "@context": ["https://www.w3.org/ns/activitystreams"],
      id: `${actor}#forged-${type}-${Math.random().toString(36).slice(2)}`,
      type,
      actor,
      object,
      to: "https://www.w3.org/ns/activitystreams#Public",
    });
    const tampered = {
      type: "Article",
      id: project.url,
      attributedTo: fredrikstad,
      name: "Overtatt av noen andre",
      summary: "Forfalsket",
    };

    // Signed by Hvaler, but about Fredrikstad's project: taken in, then refused.
    expect(await post(inbox, activity("Delete", hvaler, { type: "Tombstone", id: project.url }), asHvaler)).toBe(202);
    expect(await post(inbox, activity("Update", hvaler, tampered), asHvaler)).toBe(202);
    expect(await post(inbox, activity("Create", hvaler, { ...tampered, id: `${a.url}/prosjekter/falsk` }), asHvaler)).toBe(202);
    // Claiming to be Fredrikstad: unsigned, or signed with a key that is not Fredrikstad's.
    expect(await post(inbox, activity("Delete", fredrikstad, { type: "Tombstone", id: project.url }))).toBe(401);
    const stranger = await generateCryptoKeyPair("RSASSA-PKCS1-v1_5");
    expect(await post(inbox, activity("Update", fredrikstad, tampered), { key: stranger.privateKey, keyId: `${fredrikstad}#main-key` })).toBe(401);
    // Malformed.
    const malformed = await fetch(inbox, { method: "POST", headers: { "content-type": "application/activity+json" }, body: "{ikke json" });
    expect(malformed.status).toBe(400);

    await ks.ctx.events.settled();
    expect(await overviewOf(ks)).toEqual(before);
    const stored = (await api(ks, "GET", "/api/v1/projects?perPage=100")).json.items;
    expect(stored.map((p: any) => p.title).sort()).toEqual(["Ladepunkter ved fergeleiet", "Lånebil for hjemmetjenesten"]);
    expect(stored.find((p: any) => p.url === project.url).summary).toBe(project.summary);
    // Hvaler's own (honest) updates still arrive.
    await publish(c, { title: "Sykkelvei til skolen", phase: "test" });
    await expectOverviewMatches(ks, [a, c]);
  }, 120_000);
});
