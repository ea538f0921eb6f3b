import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { drivers } from "../helpers/databases.ts";
import type { TestInstance } from "../helpers/instance.ts";
import { aggregatedUrls, expectOverviewMatches, handleOf, startAggregator } from "./aggregator-helpers.ts";
import { api, eventually, follow, publish, startMunicipality } from "./helpers.ts";

describe.each(drivers)("the KS aggregator and three municipalities (%s)", (driver) => {
  let ks: TestInstance;
  let a: TestInstance; // Fredrikstad: followed by KS in bulk
  let b: TestInstance; // Sarpsborg: followed by KS in bulk
  let c: TestInstance; // Hvaler: follows KS and is followed back

  beforeAll(async () => {
    [ks, a, b, c] = await Promise.all([
      startAggregator({ driver }),
      startMunicipality("fredrikstad", { driver }),
      startMunicipality("sarpsborg", { driver }),
      startMunicipality("hvaler", { driver, setup: { name: "Hvaler kommune", handle: "hvaler", kommunenummer: "3110", fylke: "Østfold", adminEmail: "admin@hvaler.test" } }),
    ]);
  }, 120_000);

  afterAll(async () => {
    await Promise.all([ks?.close(), a?.close(), b?.close(), c?.close()]);
  }, 60_000);

  it("refuses a bulk follow without a list, naming the field, and follows nobody", async () => {
    for (const body of [{}, { targets: "@fredrikstad@example.no" }, { targets: [] }, { targets: [42] }]) {
      const r = await api(ks, "POST", "/api/v1/follows/bulk", body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.json.error.fields.map((f: any) => f.field).join(" ")).toMatch(/targets/);
    }
    const noToken = await fetch(`${ks.url}/api/v1/follows/bulk`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ targets: [handleOf(a)] }),
    });
    expect(noToken.status).toBe(401);
    expect((await api(ks, "GET", "/api/v1/follows")).json.items).toEqual([]);
  });

  it("follows a list in bulk, reporting each line, and follows back a municipality that follows it", async () => {
    // Published before KS follows: arrives by backfill.
    await publish(a, { title: "Fallsensorer i hjemmet", phase: "drift", serviceAreas: ["helse-omsorg"] });
    await publish(b, { title: "Svømmeopplæring i sjøen", phase: "test", serviceAreas: ["oppvekst-utdanning", "kultur"] });

    const bulk = await api(ks, "POST", "/api/v1/follows/bulk", {
      targets: ["handle", handleOf(a), `  ${b.municipality!.actorUrl}  `, "ikke en adresse", `@ingen@127.0.0.1:1`, handleOf(a), ""],
    });
    expect(bulk.status).toBe(200);
    expect(bulk.json.results).toEqual([
      { target: handleOf(a), outcome: "followed", actorUrl: a.municipality!.actorUrl },
      { target: b.municipality!.actorUrl, outcome: "followed", actorUrl: b.municipality!.actorUrl },
      { target: "ikke en adresse", outcome: "error", reason: expect.stringMatching(/@navn@domene/) },
      { target: "@ingen@127.0.0.1:1", outcome: "error", reason: expect.stringMatching(/fant ingen kommune/) },
    ]);
    await eventually(async () => (await api(ks, "GET", "/api/v1/follows")).json.items.every((f: any) => f.status === "accepted"));

    const again = await api(ks, "POST", "/api/v1/follows/bulk", { targets: [handleOf(b)] });
    expect(again.json.results).toEqual([{ target: handleOf(b), outcome: "already", actorUrl: b.municipality!.actorUrl }]);

    // Hvaler joins from its side; KS follows back and backfills it.
    await publish(c, { title: "Ladepunkter ved fergeleiet", phase: "ide", serviceAreas: ["klima-energi"] });
    await follow(c, ks);
    const followedBack = await eventually(async () => {
      const items = (await api(ks, "GET", "/api/v1/follows")).json.items;
      return items.find((f: any) => f.actorUrl === c.municipality!.actorUrl && f.status === "accepted");
    });
    expect(followedBack.target).toBe(handleOf(c));
    expect((await api(ks, "GET", "/api/v1/follows")).json.items).toHaveLength(3);
    await expectOverviewMatches(ks, [a, b, c]);
  });

  it("keeps the overview equal to the municipalities' own figures through creates, updates, imitations and deletes", async () => {
    const doomed = await publish(a, { title: "Digital søknad om parkering", phase: "skalering", serviceAreas: ["administrasjon-digitalisering"] });
    const original = await publish(a, { title: "Nattilsyn med sensor", phase: "drift", serviceAreas: ["helse-omsorg", "administrasjon-digitalisering"] });
    await publish(b, { title: "Overvann som ressurs", phase: "forstaelse", serviceAreas: ["teknisk-miljo", "klima-energi"] });
    const draft = await api(c, "POST", "/api/v1/projects", { title: "Utkast som ikke telles", summary: "Ikke publisert", phase: "ide" });
    expect(draft.status).toBe(201);
    await expectOverviewMatches(ks, [a, b, c]);

    // Updates: phase and service areas change.
    const updated = await api(b, "PATCH", `/api/v1/projects/${(await publish(b, { title: "Bylab", phase: "ide" })).id}`, {
      phase: "test",
      serviceAreas: ["plan-bygg"],
    });
    expect(updated.status).toBe(200);
    // Deletes.
    expect((await api(a, "DELETE", `/api/v1/projects/${doomed.id}`)).status).toBe(204);

    // A local imitation inside Fredrikstad: a draft copy, adapted, then published.
    const copy = await api(a, "POST", "/api/v1/imitations", { original: original.url });
    expect(copy.status).toBe(201);
    const adapted = await api(a, "PATCH", `/api/v1/projects/${copy.json.id}`, {
      adaptation: "Tilpasset omsorgsboligene i sentrum",
      published: true,
    });
    expect(adapted.status).toBe(200);
    expect(adapted.json.imitationOf).toBe(original.url);

    await expectOverviewMatches(ks, [a, b, c]);
    const overview = (await api(ks, "GET", "/api/v1/overview")).json;
    expect(overview.reuseShare.imitations).toBe(1);
    expect(overview.mostImitated[0]).toMatchObject({ url: original.url, municipalities: 1 });
    const urls = await aggregatedUrls(ks);
    expect(new Set(urls).size).toBe(urls.length);
    expect(urls).not.toContain(doomed.url);
  });

  it("shows the overview as the front page, and each municipality with what it imitated and was imitated for", async () => {
    const front = await (await fetch(`${ks.url}/`)).text();
    expect(front).toContain("<h1>Nasjonal oversikt over kommunal innovasjon</h1>");
    expect(front).toContain('href="/kommuner"');

    const list = await (await fetch(`${ks.url}/kommuner`)).text();
    const rows = [...list.matchAll(/<tr><th scope="row"><a href="(\/kommuner\/[a-z0-9]+)">([^<]+)<\/a><\/th><td[^>]*>([^<]*)<\/td>\s*<td class="num"[^>]*>(\d+)<\/td><td class="num"[^>]*>(\d+)<\/td><td class="num"[^>]*>(\d+)<\/td>/g)];
    const byName = Object.fromEntries(rows.map((r) => [r[2], { href: r[1], fylke: r[3], projects: +r[4], made: +r[5], imitated: +r[6] }]));
    expect(Object.keys(byName).sort()).toEqual(["Fredrikstad kommune", "Hvaler kommune", "Sarpsborg kommune"]);
    expect(byName["Fredrikstad kommune"]).toMatchObject({ fylke: "Østfold", projects: 3, made: 1, imitated: 1 });
    expect(byName["Sarpsborg kommune"]).toMatchObject({ projects: 3, made: 0, imitated: 0 });
    expect(byName["Hvaler kommune"]).toMatchObject({ fylke: "Østfold", projects: 1 });
    expect(rows).toHaveLength(3); // KS's own profile is not a municipality

    const page = await (await fetch(`${ks.url}${byName["Fredrikstad kommune"].href}`)).text();
    expect(page).toContain("<h1>Fredrikstad kommune</h1>");
    expect(page).toContain("Nattilsyn med sensor");
    expect(page).toMatch(/Dette har kommunen imitert[\s\S]*Nattilsyn med sensor \(Fredrikstad kommune\)/);
    expect(page).toMatch(/Dette har andre imitert fra kommunen[\s\S]*Fredrikstad kommune \(Østfold\)/);

    expect((await fetch(`${ks.url}/kommuner/finnesikke`)).status).toBe(404);
    expect((await fetch(`${ks.url}/kommuner/${ks.municipality!.id}`)).status).toBe(404);
    const badPage = await fetch(`${ks.url}${byName["Fredrikstad kommune"].href}?page=null`);
    expect(badPage.status).toBe(400);
    expect(await badPage.text()).toContain("side");

    // The same pages on a municipality's own instance list itself.
    const own = await (await fetch(`${a.url}/kommuner`)).text();
    expect(own).toContain("Fredrikstad kommune");
    // On a municipality the front page stays its own.
    expect(await (await fetch(`${a.url}/`)).text()).not.toContain("Nasjonal oversikt");
  });
});
