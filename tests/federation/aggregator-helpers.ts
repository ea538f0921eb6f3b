import { expect } from "vitest";
import type { Driver } from "../helpers/databases.ts";
import { startTestInstance, type TestInstance, type TestInstanceOptions } from "../helpers/instance.ts";
import { api, fastTuning } from "./helpers.ts";

/** The national (KS) instance. */
export function startAggregator(options: TestInstanceOptions & { driver?: Driver } = {}): Promise<TestInstance> {
  return startTestInstance({
    env: { KOMINN_ROLE: "aggregator" },
    setup: { name: "KS", handle: "ks", kommunenummer: null, fylke: null, adminEmail: "admin@ks.test" },
    federation: fastTuning,
    ...options,
  });
}

/** A municipality's own published projects, as anyone reads them from its API. */
export async function ownProjects(instance: TestInstance): Promise<any[]> {
  const items: any[] = [];
  for (let page = 1; ; page++) {
    const response = await fetch(`${instance.url}/api/v1/projects?origin=local&perPage=100&page=${page}`);
    const json = await response.json();
    items.push(...json.items);
    if (page >= json.pages) return items.filter((p) => p.published);
  }
}

const tally = (values: string[]) => {
  const out: Record<string, number> = {};
  for (const v of values) out[v] = (out[v] ?? 0) + 1;
  return out;
};

/** The overview's figures, computed by hand from the municipalities' own APIs. */
export async function expectedOverview(instances: TestInstance[]) {
  const lists = await Promise.all(instances.map(ownProjects));
  const all = lists.flat();
  const imitations = all.filter((p) => p.imitationOf).length;
  return {
    projects: all.length,
    municipalities: lists.filter((l) => l.length > 0).length,
    byPhase: tally(all.map((p) => p.phase)),
    byServiceArea: tally(all.flatMap((p) => p.serviceAreas)),
    byFylke: tally(all.map((p) => p.municipality.fylke)),
    reuseShare: { share: all.length ? imitations / all.length : 0, imitations, projects: all.length },
  };
}

export async function overviewOf(instance: TestInstance) {
  const { json } = await api(instance, "GET", "/api/v1/overview");
  return {
    projects: json.projects,
    municipalities: json.municipalities,
    byPhase: json.byPhase,
    byServiceArea: json.byServiceArea,
    byFylke: json.byFylke,
    reuseShare: { share: json.reuseShare.share, imitations: json.reuseShare.imitations, projects: json.reuseShare.projects },
  };
}

/** Waits until the aggregator's overview equals the figures derived from the municipalities, then asserts it. */
export async function expectOverviewMatches(ks: TestInstance, instances: TestInstance[], timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [actual, expected] = await Promise.all([overviewOf(ks), expectedOverview(instances)]);
    if (JSON.stringify(sorted(actual)) === JSON.stringify(sorted(expected)) || Date.now() > deadline) {
      expect(actual).toEqual(expected);
      return;
    }
    await new Promise((r) => setTimeout(r, 150));
  }
}

function sorted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sorted);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, sorted(v)]));
  }
  return value;
}

/** Every project URL the aggregator holds, to check for duplicates. */
export async function aggregatedUrls(ks: TestInstance): Promise<string[]> {
  const urls: string[] = [];
  for (let page = 1; ; page++) {
    const { json } = await api(ks, "GET", `/api/v1/projects?perPage=100&page=${page}`);
    urls.push(...json.items.map((p: any) => p.url));
    if (page >= json.pages) return urls;
  }
}

export const handleOf = (instance: TestInstance) => `@${instance.municipality!.handle}@${new URL(instance.url).host}`;
