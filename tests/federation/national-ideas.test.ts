import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { drivers } from "../helpers/databases.ts";
import type { TestInstance } from "../helpers/instance.ts";
import { periodOf } from "../../core/ideas.ts";
import { IdeaService } from "../../services/ideas.ts";
import { anIdea } from "../ideas/support.ts";
import { follow, startMunicipality } from "./helpers.ts";
import { startAggregator } from "./aggregator-helpers.ts";

/** A staff idea at `inst`. */
async function submit(inst: TestInstance, title: string, serviceArea: string | null) {
  const ideas = new IdeaService(inst.ctx.db, inst.ctx.events, inst.ctx.projects, { origin: inst.url });
  return ideas.submit({ ...anIdea, title, serviceArea, submitterName: null, submitterEmail: null, showName: false }, { kind: "staff", accountId: inst.admin!.id, name: "Anne Admin", email: "admin@example.test" });
}

/** The count in a row of the measure table (period, service area slug or "" for none, column key). */
function cell(html: string, period: string, area: string, key: string): number | undefined {
  const row = new RegExp(`<tr data-period="${period}" data-area="${area}">(.*?)</tr>`, "s").exec(html)?.[1];
  const m = row && new RegExp(`data-k="${key}">(\\d+)<`).exec(row);
  return m ? Number(m[1]) : undefined;
}

// KS adds up the counts Fredrikstad and Sarpsborg publish at /ideer/tall.json.
describe.each(drivers)("national idea figures on the national instance (%s)", (driver) => {
  let a: TestInstance;
  let b: TestInstance;
  let ks: TestInstance;

  beforeAll(async () => {
    [a, b, ks] = await Promise.all([startMunicipality("fredrikstad", { driver }), startMunicipality("sarpsborg", { driver }), startAggregator({ driver })]);
    await Promise.all([follow(ks, a), follow(ks, b)]);
  }, 90_000);
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close(), ks?.close()]);
  });

  it("shows the sum of what each followed municipality publishes, counts only", async () => {
    await submit(a, "Badevakt", "helse-omsorg");
    await submit(a, "Lesevenner", null);
    await submit(b, "Trygg skolevei", "helse-omsorg");
    const year = periodOf(new Date());

    // Re-derived from the municipalities' own published figures.
    const published = await Promise.all([a, b].map((i) => fetch(`${i.url}/ideer/tall.json`).then((r) => r.json())));
    const sum = (area: string | null) => published.flatMap((p) => p.rows).filter((r: any) => r.period === year && r.serviceArea === area).reduce((n: number, r: any) => n + r.received, 0);
    expect(sum("helse-omsorg")).toBe(2);

    const page = await fetch(`${ks.url}/ideer/tall`).then((r) => r.text());
    expect(cell(page, year, "helse-omsorg", "received")).toBe(sum("helse-omsorg"));
    expect(cell(page, year, "", "received")).toBe(sum(null));
    expect(page).toContain("Med i tallene: Fredrikstad kommune, Sarpsborg kommune.");
    // Counts only: no idea's title reaches the national page.
    expect(page).not.toContain("Badevakt");

    const overview = await fetch(`${ks.url}/oversikt`).then((r) => r.text());
    expect(overview).toContain('<a href="/ideer/tall">');
  });
});
