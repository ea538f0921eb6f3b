// Memory and start-up of a real instance on PGlite, each process a child started the way an operator
// starts it (`npm start`, `npm run kominn -- setup|reindex`) on a fresh data directory, beside a floor
// measured in the same run: a bare Express 5 server serving a string, and a bare Node process.
// Figure and floor run interleaved (A, floor, A, floor, …) and the medians are reported. The caches
// the production image builds (scripts/build-caches.ts: the lexicon's stem tables, the initialised
// PGlite database) are built first, as the Dockerfile does; the lexicon is also measured without them.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "../tests/helpers/instance.ts";
import { median, type Row } from "./measure.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const mainScript = join(root, "server/main.ts");
const cliScript = join(root, "scripts/kominn.ts");
const buildCachesScript = join(root, "scripts/build-caches.ts");

/** Loads the lexicon (from the stored stem tables, or with `false` from the dictionaries) and prints its load time. */
const lexiconChild = (file: "stored" | "dictionaries") => `import { readLexicon } from ${JSON.stringify(join(root, "search/lexicon.ts"))};
const { stats } = readLexicon(${file === "stored" ? "" : "{ file: false }"});
if (stats.stored !== ${file === "stored"}) throw new Error("lexicon: expected ${file}");
process.stderr.write("\\nKOMINN_LOAD_MS=" + stats.loadMs + "\\n");`;
/**
 * The Node options `npm start` and `npm run kominn` pass (package.json, Dockerfile): a small young
 * generation, and PGlite's WebAssembly run by the baseline compiler only (optimising it takes ~500 MB
 * for seconds after start and keeps ~70 MB of code).
 */
const startFlags = ["--max-semi-space-size=8", "--liftoff-only"];

/** Preloaded into every child: writes its peak RSS (VmHWM) to stderr as it exits, so a short command's peak is exact. */
const peakProbe = `data:text/javascript,${encodeURIComponent(
  'import{readFileSync}from"node:fs";process.on("exit",()=>{const m=/VmHWM:\\s+(\\d+)/.exec(readFileSync("/proc/self/status","utf8"));process.stderr.write("\\nKOMINN_PEAK_KB="+(m?m[1]:"0")+"\\n")})',
)}`;

/** The floor's server: Express 5 answering a string. */
const bareExpress = `import express from "express";
const app = express();
app.get("/", (_req, res) => { res.send("KOMINN floor"); });
app.listen(Number(process.env.PORT), "127.0.0.1");`;

function status(pid: number): { rssMb: number; peakMb: number } {
  const text = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(text)?.[1] ?? 0);
  return { rssMb: kb("VmRSS") / 1024, peakMb: kb("VmHWM") / 1024 };
}


async function firstAnswer(url: string, deadline: number): Promise<void> {
  for (;;) {
    try {
      const response = await fetch(url, { redirect: "manual" });
      await response.arrayBuffer();
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`no answer from ${url}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

interface ServerFigures {
  firstPageMs: number;
  idleRssMb: number;
  peakMb: number;
}

/** Starts a server child, times its first 200 on `/`, lets it idle, reads its RSS and peak, stops it. */
async function measureServer(args: string[], env: Record<string, string>, idleMs: number): Promise<ServerFigures> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: { ...process.env, ...env, PORT: String(port), HOST: "127.0.0.1", KOMINN_ORIGIN: `http://127.0.0.1:${port}` },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  try {
    await Promise.race([
      firstAnswer(`http://127.0.0.1:${port}/`, Date.now() + 60_000),
      exited.then(() => {
        throw new Error(`server exited before answering: ${stderr}`);
      }),
    ]);
    const firstPageMs = performance.now() - started;
    await new Promise((resolve) => setTimeout(resolve, idleMs));
    const { rssMb, peakMb } = status(child.pid!);
    return { firstPageMs, idleRssMb: rssMb, peakMb };
  } finally {
    child.kill("SIGTERM");
    await exited;
  }
}

/** Runs a command child to its end; its peak RSS as the probe reported it. */
async function measureCommand(args: string[], env: Record<string, string>): Promise<{ peakMb: number; ms: number; loadMs?: number }> {
  const started = performance.now();
  const child = spawn(process.execPath, ["--import", peakProbe, ...args], { cwd: root, env: { ...process.env, ...env }, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once("exit", (c) => resolve(c)));
  const ms = performance.now() - started;
  const peak = /KOMINN_PEAK_KB=(\d+)/.exec(stderr);
  if (code !== 0 || !peak) throw new Error(`${args.join(" ")} failed (${code}): ${stderr}`);
  const load = /KOMINN_LOAD_MS=(\d+)/.exec(stderr);
  return { peakMb: Number(peak[1]) / 1024, ms, loadMs: load ? Number(load[1]) : undefined };
}

function instanceEnv(dataDir: string): Record<string, string> {
  // Only what the configuration names: PGlite in the data directory, no PostgreSQL, Meilisearch or OIDC.
  const env: Record<string, string> = { KOMINN_DATA_DIR: dataDir, KOMINN_LOG_LEVEL: "warn" };
  for (const name of Object.keys(process.env)) {
    if (name === "DATABASE_URL" || name.startsWith("MEILI_") || name.startsWith("KOMINN_OIDC_")) env[name] = "";
  }
  return env;
}

const setupArgs = [
  "setup",
  "--name",
  "Fredrikstad kommune",
  "--kommunenummer",
  "3107",
  "--fylke",
  "Østfold",
  "--handle",
  "fredrikstad",
  "--admin-email",
  "admin@fredrikstad.kommune.no",
  "--admin-password",
  "et langt og trygt passord",
];

export async function benchMemory(options: { repeats: number; idleMs: number }): Promise<Row[]> {
  const server: ServerFigures[] = [];
  const floorServer: ServerFigures[] = [];
  const setup: number[] = [];
  const reindex: number[] = [];
  const floorCommand: number[] = [];
  const lexiconStored: { peakMb: number; loadMs: number }[] = [];
  const lexiconMade: { peakMb: number; loadMs: number }[] = [];
  await measureCommand([...startFlags, buildCachesScript], {});
  for (let i = 0; i < options.repeats; i++) {
    for (const [list, file] of [[lexiconStored, "stored"], [lexiconMade, "dictionaries"]] as const) {
      const { peakMb, loadMs } = await measureCommand([...startFlags, "--input-type=module", "-e", lexiconChild(file)], {});
      list.push({ peakMb, loadMs: loadMs ?? 0 });
    }
    const dataDir = mkdtempSync(join(tmpdir(), "kominn-memory-"));
    try {
      const env = instanceEnv(dataDir);
      setup.push((await measureCommand([...startFlags, cliScript, ...setupArgs], env)).peakMb);
      floorCommand.push((await measureCommand(["-e", "console.log('KOMINN floor')"], {})).peakMb);
      server.push(await measureServer([...startFlags, mainScript], env, options.idleMs));
      floorServer.push(await measureServer(["--input-type=module", "-e", bareExpress], {}, options.idleMs));
      reindex.push((await measureCommand([...startFlags, cliScript, "reindex"], env)).peakMb);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
  const row = (figure: string, kominn: number, floor: number, unit: string): Row => ({
    figure,
    KOMINN: `${kominn.toFixed(unit === "ms" ? 0 : 1)} ${unit}`,
    "floor, same run": `${floor.toFixed(unit === "ms" ? 0 : 1)} ${unit}`,
    ratio: `${(kominn / floor).toFixed(1)}×`,
  });
  const pick = (list: ServerFigures[], key: keyof ServerFigures) => median(list.map((s) => s[key]));
  return [
    row("idle RSS after the first page (PGlite)", pick(server, "idleRssMb"), pick(floorServer, "idleRssMb"), "MB"),
    row("peak RSS at start (VmHWM)", pick(server, "peakMb"), pick(floorServer, "peakMb"), "MB"),
    row("time to first page", pick(server, "firstPageMs"), pick(floorServer, "firstPageMs"), "ms"),
    row("kominn setup, peak RSS", median(setup), median(floorCommand), "MB"),
    row("kominn reindex, peak RSS", median(reindex), median(floorCommand), "MB"),
    row("lexicon load, stored stem tables: peak RSS", median(lexiconStored.map((l) => l.peakMb)), median(floorCommand), "MB"),
    row("lexicon load, made from the dictionaries: peak RSS", median(lexiconMade.map((l) => l.peakMb)), median(floorCommand), "MB"),
    {
      figure: "lexicon load time, stored tables / made from the dictionaries",
      KOMINN: `${median(lexiconStored.map((l) => l.loadMs))} ms / ${median(lexiconMade.map((l) => l.loadMs))} ms`,
      "floor, same run": "",
      ratio: `${(median(lexiconMade.map((l) => l.loadMs)) / Math.max(1, median(lexiconStored.map((l) => l.loadMs)))).toFixed(0)}× faster`,
    },
  ];
}
