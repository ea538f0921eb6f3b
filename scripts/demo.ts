// `npm run demo`: a small federation on this machine. Fredrikstad, Sarpsborg,
// Hvaler and a KS aggregator, each its own instance with its own port and
// PGlite data directory under ./data/demo/, with demo projects, following
// each other. Run it again and it reuses the data.
import { join } from "node:path";
import { assertNodeVersion } from "../core/config.ts";

assertNodeVersion();

const { loadConfig } = await import("../core/config.ts");
const { startInstance } = await import("../server/instance.ts");
const { getLocalMunicipality, getMunicipalityByActorUrl } = await import("../db/municipalities.ts");
const { getFollowByTarget } = await import("../db/follows.ts");
const { setupInstance } = await import("../services/setup.ts");
const { demoProjects } = await import("./demo-data.ts");
const { listProjects } = await import("../db/projects.ts");

const root = process.env.KOMINN_DEMO_DIR ?? "./data/demo";
const basePort = Number(process.env.KOMINN_DEMO_PORT ?? 4101);
const password = "demo-passord-123";

const network = [
  { key: "fredrikstad", name: "Fredrikstad kommune", kommunenummer: "3107", role: "municipality" },
  { key: "sarpsborg", name: "Sarpsborg kommune", kommunenummer: "3105", role: "municipality" },
  { key: "hvaler", name: "Hvaler kommune", kommunenummer: "3110", role: "municipality" },
  { key: "ks", name: "KS – nasjonal oversikt", kommunenummer: null, role: "aggregator" },
] as const;

// Who follows whom: the three neighbours follow each other; KS follows them all.
const follows: [string, string][] = [
  ["fredrikstad", "sarpsborg"], ["fredrikstad", "hvaler"],
  ["sarpsborg", "fredrikstad"], ["sarpsborg", "hvaler"],
  ["hvaler", "fredrikstad"], ["hvaler", "sarpsborg"],
  ["ks", "fredrikstad"], ["ks", "sarpsborg"], ["ks", "hvaler"],
];

const instances = new Map<string, Awaited<ReturnType<typeof startInstance>>>();
for (const [i, m] of network.entries()) {
  const port = basePort + i;
  const config = loadConfig({
    PORT: String(port),
    HOST: "127.0.0.1",
    KOMINN_ORIGIN: `http://127.0.0.1:${port}`,
    KOMINN_DATA_DIR: join(root, m.key),
    KOMINN_ROLE: m.role,
    // The production code; the address policy lets the demo's instances (and only they) reach each other.
    KOMINN_ALLOW_HOSTS: network.map((_, j) => `127.0.0.1:${basePort + j}`).join(","),
    KOMINN_LOG_LEVEL: process.env.KOMINN_LOG_LEVEL ?? "warn",
  });
  const instance = await startInstance(config);
  instances.set(m.key, instance);
  if (!(await getLocalMunicipality(instance.ctx.db))) {
    const { municipality, admin } = await setupInstance(
      instance.ctx.db,
      {
        name: m.name,
        kommunenummer: m.kommunenummer,
        fylke: "Østfold",
        handle: m.key,
        adminEmail: `admin@${m.key}.demo`,
        adminName: `Administrator i ${m.name}`,
        adminPassword: password,
      },
      { origin: config.origin, role: m.role },
    );
    for (const project of demoProjects[m.key as keyof typeof demoProjects] ?? []) {
      await instance.ctx.projects.create(municipality, project, { accountId: admin.id, name: admin.name });
    }
  }
}

for (const [from, to] of follows) {
  const follower = instances.get(from)!;
  const target = (await getLocalMunicipality(instances.get(to)!.ctx.db))!;
  const existing = await getFollowByTarget(follower.ctx.db, target.actorUrl);
  if (!existing || existing.status === "rejected") await follower.federation.following.follow(target.actorUrl);
}

// Wait (briefly) until every follow is accepted and backfilled.
const deadline = Date.now() + 30_000;
for (const [from, to] of follows) {
  const target = (await getLocalMunicipality(instances.get(to)!.ctx.db))!;
  for (;;) {
    const row = await getFollowByTarget(instances.get(from)!.ctx.db, target.actorUrl);
    if ((row?.status === "accepted" && row.backfilledAt) || Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 200));
  }
}

// Sarpsborg imitates Fredrikstad's first project, so the lineage shows from the start.
{
  const sarpsborg = instances.get("sarpsborg")!;
  const fredrikstad = (await getLocalMunicipality(instances.get("fredrikstad")!.ctx.db))!;
  const own = (await getLocalMunicipality(sarpsborg.ctx.db))!;
  const { items } = await listProjects(sarpsborg.ctx.db, { origin: "remote", municipalityId: (await getMunicipalityByActorUrl(sarpsborg.ctx.db, fredrikstad.actorUrl))?.id });
  const original = items.at(-1);
  const already = original && (await listProjects(sarpsborg.ctx.db, { origin: "local", isImitation: true })).total > 0;
  if (original && !already) {
    const actor = { accountId: null, name: "Demo" };
    const draft = await sarpsborg.ctx.imitations.imitate(own, original, actor);
    await sarpsborg.ctx.projects.update(own, draft, {
      adaptation: "Vi startet i to bydeler og tok med frivilligsentralen fra første dag.",
      phase: "test",
      realisedBenefits: [{ kind: "kvalitet", description: "Brukerne sier de føler seg tryggere" }],
      published: true,
    }, actor);
  }
}

console.log("\nKOMINN-demonettverket kjører (Ctrl+C stopper):\n");
for (const m of network) {
  const instance = instances.get(m.key)!;
  const municipality = (await getLocalMunicipality(instance.ctx.db))!;
  console.log(`  ${m.name.padEnd(24)} ${instance.url.padEnd(24)} @${municipality.handle}@${municipality.domain}`);
  console.log(`  ${"".padEnd(24)} innlogging: admin@${m.key}.demo / ${password}`);
}
console.log("\n  Prosjekter fra kommunene de følger: <adresse>/prosjekter?origin=remote");
console.log("  Føderasjon (administrator): <adresse>/admin/foderasjon\n");

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, async () => {
    for (const instance of instances.values()) await instance.close();
    process.exit(0);
  });
}
