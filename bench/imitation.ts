// Issue 5's figures: the project page of a project imitated by 200
// municipalities and of one at the end of a 10-deep lineage, and how long an
// imitation takes to reach the original's instance over loopback.
import { sql } from "drizzle-orm";
import { imitationLinks, projects } from "../db/schema.ts";
import { startTestInstance, type TestInstance } from "../tests/helpers/instance.ts";
import { fastTuning, municipalities } from "../tests/federation/helpers.ts";
import { percentile } from "./load.ts";
import { measure, type Row } from "./measure.ts";

async function api(inst: TestInstance, method: string, path: string, body?: unknown) {
  const r = await fetch(`${inst.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${inst.adminToken}`, ...(body ? { "content-type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return r.json() as Promise<any>;
}

export async function benchImitation(options: { seconds: number; notifications: number }): Promise<Row[]> {
  const rows: Row[] = [];
  const [a, b] = await Promise.all([
    startTestInstance({ setup: municipalities.fredrikstad, federation: fastTuning }),
    startTestInstance({ setup: municipalities.sarpsborg, federation: fastTuning }),
  ]);
  try {
    // A project imitated by 200 municipalities, and a chain of 10 above another one.
    const popular = await api(a, "POST", "/api/v1/projects", { title: "Digitalt nattilsyn", summary: "S", phase: "drift", published: true });
    await a.ctx.db.insert(imitationLinks).values(
      Array.from({ length: 200 }, (_, i) => ({
        copyUrl: `https://kommune${i}.bench.test/prosjekter/nattilsyn`,
        originalUrl: popular.url,
        copyTitle: `Nattilsyn hos kommune ${i}`,
        copyPhase: i % 2 ? "drift" : "test",
        copyMunicipalityActorUrl: `https://kommune${i}.bench.test/kommune/k${i}`,
        copyMunicipalityName: `Kommune ${i}`,
        copyFylke: "Østfold",
        copyRealisedBenefits: i % 5 === 0 ? [{ kind: "tid" as const, description: "Spart tid om natten" }] : [],
      })),
    );
    const chain = Array.from({ length: 10 }, (_, i) => `https://ledd${i}.bench.test/prosjekter/p`);
    const deep = await api(a, "POST", "/api/v1/projects", { title: "Ytterst i kjeden", summary: "S", phase: "test", published: true });
    await a.ctx.db.execute(sql`update ${projects} set imitation_of = ${chain[9]}, adaptation = 'Tilpasset' where id = ${deep.id}`);
    await a.ctx.db.insert(imitationLinks).values(
      chain.map((url, i) => ({
        copyUrl: i === 9 ? deep.url : chain[i + 1],
        originalUrl: url,
        copyTitle: `Ledd ${i + 1}`,
        copyPhase: "drift",
        copyMunicipalityActorUrl: `https://ledd${i + 1}.bench.test/kommune/k`,
        copyMunicipalityName: `Ledd ${i + 1}`,
        originalTitle: `Ledd ${i}`,
        originalMunicipalityName: `Ledd ${i}`,
      })),
    );
    const uncached = { cookie: "kominn_session=benchmark" };
    for (const [name, slug] of [["imitert av 200", popular.slug], ["10 ledd i slektstreet", deep.slug]] as const) {
      for (const [mode, headers] of [["", undefined], [" (uten buffer)", uncached]] as const) {
        const r = await measure(`${a.url}/prosjekter/${slug}`, { connections: 10, seconds: options.seconds, headers });
        rows.push({ måling: `prosjektside, ${name}${mode}`, "req/s": Math.round(r.rps), "p50 ms": r.p50, "p95 ms": r.p95, feil: r.errors });
      }
    }

    // From B publishing an imitation until A's API counts it.
    const times: number[] = [];
    for (let i = 0; i < options.notifications; i++) {
      const original = await api(a, "POST", "/api/v1/projects", { title: `Original ${i}`, summary: "S", phase: "drift", published: true });
      const draft = await api(b, "POST", "/api/v1/imitations", { original: original.url });
      const started = performance.now();
      await api(b, "PATCH", `/api/v1/projects/${draft.id}`, { adaptation: "Tilpasset", published: true });
      for (;;) {
        if ((await api(a, "GET", `/api/v1/projects/${original.id}`)).imitationCount === 1) break;
        if (performance.now() - started > 30_000) throw new Error("the imitation never arrived");
        await new Promise((r) => setTimeout(r, 20));
      }
      times.push(performance.now() - started);
    }
    times.sort((x, y) => x - y);
    rows.push({ måling: `imitasjon når originalen (${options.notifications} ganger)`, "req/s": null, "p50 ms": percentile(times, 50), "p95 ms": percentile(times, 95), feil: 0 });
  } finally {
    await Promise.all([a.close(), b.close()]);
  }
  return rows;
}
