// The followed municipality of the backfill and ingest benchmarks, in its own
// process: it stands for another server, so serving its projects must not
// share the receiving instance's event loop. Starts an instance, publishes N
// projects, prints one JSON line (see OriginInfo) and runs until stdin closes.
//   node bench/origin-instance.ts <pglite|postgres> <projects>
import { listProjects } from "../db/projects.ts";
import { actorKeyPairs } from "../federation/keys.ts";
import { startTestInstance } from "../tests/helpers/instance.ts";

export interface OriginInfo {
  url: string;
  actorUrl: string;
  /** The actor's RSA key, for the benchmark's senders to sign as this municipality. */
  privateKey: JsonWebKey;
  /** Every published project's URL, newest first. */
  projects: string[];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const driver = process.argv[2] === "postgres" ? "postgres" : "pglite";
  const count = Number(process.argv[3] ?? 0);
  const origin = await startTestInstance({
    env: { KOMINN_LOG_LEVEL: "silent" },
    driver,
    setup: { handle: "kilde", name: "Kilde kommune", adminEmail: "a@kilde.test" },
  });
  for (let i = 0; i < count; i++) {
    await origin.ctx.projects.create(
      origin.municipality!,
      { title: `Måleprosjekt ${i + 1}`, summary: "Et prosjekt for å måle føderasjonen", phase: "test", serviceAreas: ["helse-omsorg"], published: true },
      { accountId: null, name: "bench" },
    );
  }
  // Every project's event handled before anyone follows: a federation subscriber still working through
  // them would deliver the projects to the receiver as Creates of its own, in the middle of the ingest.
  await origin.ctx.events.settled();
  const projects: string[] = [];
  for (let page = 1; ; page++) {
    const p = await listProjects(origin.ctx.db, { origin: "local" }, { page, perPage: 100, order: "newest" });
    projects.push(...p.items.map((x) => x.url));
    if (p.items.length < 100) break;
  }
  const [rsa] = await actorKeyPairs(origin.ctx.db);
  const info: OriginInfo = {
    url: origin.url,
    actorUrl: origin.municipality!.actorUrl,
    privateKey: await crypto.subtle.exportKey("jwk", rsa.privateKey),
    projects,
  };
  process.stdout.write(`${JSON.stringify(info)}\n`);
  process.stdin.resume();
  process.stdin.on("end", () => void origin.close().then(() => process.exit(0)));
}
