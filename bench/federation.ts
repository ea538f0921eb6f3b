// Federation figures: fan-out to many followers (some dead), signed inbox
// ingest with concurrent senders, and backfill after a follow. All on loopback;
// the followed municipality and the senders run in processes of their own.
// Run alone: `node bench/federation.ts` (FED_FOLLOWERS, FED_INGEST, FED_BACKFILL, FED_ROUNDS override sizes;
// FED_FANOUT_ONLY=1 skips backfill and ingest, FED_INGEST_ONLY=1 skips fan-out; FED_DRIVER=postgres needs TEST_DATABASE_URL).
import { createServer as createHttpServer, type Server } from "node:http";
import { createServer as createNetServer, type Socket } from "node:net";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { upsertFollower } from "../db/followers.ts";
import { getFollowByTarget } from "../db/follows.ts";
import { countRemoteProjects } from "../db/remote-projects.ts";
import { getMunicipalityByActorUrl } from "../db/municipalities.ts";
import { listProjects } from "../db/projects.ts";
import { updateFederationSettings } from "../db/federation-settings.ts";
import { freePort, startTestInstance, type TestInstance } from "../tests/helpers/instance.ts";
import { spawnReady } from "../tests/helpers/instance-process.ts";
import { median, type Row } from "./measure.ts";
import type { SenderJob, SenderOutcome } from "./inbox-senders.ts";
import type { OriginInfo } from "./origin-instance.ts";

const sendersScript = fileURLToPath(new URL("./inbox-senders.ts", import.meta.url));
const originScript = fileURLToPath(new URL("./origin-instance.ts", import.meta.url));
const floorScript = fileURLToPath(new URL("./fedify-floor.ts", import.meta.url));

export interface FederationBenchOptions {
  followers?: number;
  deadShare?: number;
  /** How many receiving servers the followers' inboxes are spread over. */
  receivingHosts?: number;
  ingest?: number;
  senders?: number;
  /** Fan-outs per case (each followed by its floor); the row gives medians. */
  rounds?: number;
  /** Measure fan-out only (FED_FANOUT_ONLY=1). */
  fanOutOnly?: boolean;
  /** Measure backfill and ingest only (FED_INGEST_ONLY=1). */
  ingestOnly?: boolean;
  backfill?: number;
  /** Database of the instances: PGlite (default) or PostgreSQL (needs TEST_DATABASE_URL). */
  driver?: "pglite" | "postgres";
}

const seconds = (ms: number) => Math.round(ms / 100) / 10;

async function waitFor(check: () => Promise<boolean> | boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return false;
}

function listenOn(server: Server | ReturnType<typeof createNetServer>, port: number): Promise<void> {
  return new Promise((resolve) => server.listen(port, "127.0.0.1", () => resolve()));
}

/** A request the sinks took during a fan-out, kept to post again for the floor. */
interface Taken {
  url: string;
  headers: Record<string, string>;
  body: Buffer;
}

/** The floor: the same bodies with the same headers to the same sinks, `concurrency` at a time; ms until the last answer. */
async function postAll(requests: Taken[], concurrency: number): Promise<number> {
  const started = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < requests.length) {
      const r = requests[next++];
      const res = await fetch(r.url, { method: "POST", headers: r.headers, body: new Uint8Array(r.body) });
      await res.arrayBuffer();
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return performance.now() - started;
}

/**
 * Fan-out: publish once, time until every healthy inbox has the Create. Each
 * round is followed by its floor (the bodies the sinks took, posted again 64
 * at a time), so both see the same machine; the row gives the medians.
 */
async function fanOut(sender: TestInstance, o: Required<FederationBenchOptions>, rounds: number): Promise<Row[]> {
  // Per round: which activity counts, when it started, and what arrived (inbox → performance.now()).
  let round: { marker: string; startedAt: number; arrived: Map<string, number>; taken: Taken[] } | undefined;
  const servers: (Server | ReturnType<typeof createNetServer>)[] = [];
  const sockets: Socket[] = [];
  const bases: string[] = [];
  for (let h = 0; h < o.receivingHosts; h++) {
    const port = await freePort();
    const server = createHttpServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const at = performance.now();
        const body = Buffer.concat(chunks);
        // Only this round's Create counts: a late delivery of another round (or a retry) is not timed.
        if (round && body.includes(round.marker)) {
          const key = `${port}${req.url}`;
          if (!round.arrived.has(key)) {
            round.arrived.set(key, at);
            const headers: Record<string, string> = {};
            for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string" && k !== "host" && k !== "content-length" && k !== "connection") headers[k] = v;
            round.taken.push({ url: `http://127.0.0.1:${port}${req.url}`, headers, body });
          }
        }
        res.writeHead(202).end();
      });
    });
    await listenOn(server, port);
    servers.push(server);
    bases.push(`http://127.0.0.1:${port}`);
  }
  const deadPort = await freePort();
  const dead = createNetServer((s) => void sockets.push(s)); // accepts, never answers
  await listenOn(dead, deadPort);
  servers.push(dead);

  const deadCount = Math.round(o.followers * o.deadShare);
  const every = o.deadShare > 0 ? Math.round(1 / o.deadShare) : Infinity;
  const healthy = new Set<string>();
  for (let i = 0; i < o.followers; i++) {
    const isDead = i % every === 0 && i / every < deadCount;
    const base = isDead ? `http://127.0.0.1:${deadPort}` : bases[i % bases.length];
    // A third of the live followers sit behind their server's shared inbox; the rest have their own inbox.
    const shared = !isDead && i % 3 === 0;
    const inbox = shared ? `${base}/inbox` : `${base}/users/f${i}/inbox`;
    await upsertFollower(sender.ctx.db, {
      actorUrl: `${base}/users/f${i}`,
      handle: `@f${i}@${new URL(base).host}`,
      name: null,
      inboxUrl: `${base}/users/f${i}/inbox`,
      sharedInboxUrl: shared ? `${base}/inbox` : null,
      followActivityId: `${base}/follows/f${i}`,
      status: "accepted",
    });
    if (!isDead) healthy.add(`${new URL(base).port}${new URL(inbox).pathname}`);
  }

  const figures: number[] = [];
  const floors: number[] = [];
  const medians: number[] = [];
  let complete = true;
  let reached = 0;
  for (let r = 0; r < rounds; r++) {
    const title = `Fan-out-måling ${Date.now()}-${r}`;
    round = { marker: title, startedAt: performance.now(), arrived: new Map(), taken: [] };
    const current = round;
    await sender.ctx.projects.create(
      sender.municipality!,
      { title, summary: "Ett prosjekt til alle følgerne", phase: "test", published: true },
      { accountId: null, name: "bench" },
    );
    const done = await waitFor(() => current.arrived.size >= healthy.size, 60_000);
    round = undefined;
    const times = [...current.arrived.values()].map((at) => at - current.startedAt).sort((a, b) => a - b);
    reached = times.length;
    if (!done) {
      complete = false;
      break;
    }
    // FED_DEBUG=1: how the arrivals of each round spread.
    if (process.env.FED_DEBUG) console.error(`round ${r}: first ${Math.round(times[0])} ms, p10 ${Math.round(times[Math.floor(times.length / 10)])}, median ${Math.round(times[Math.floor(times.length / 2)])}, last ${Math.round(times[times.length - 1])}`);
    figures.push(times[times.length - 1]);
    medians.push(times[Math.floor(times.length / 2)]);
    floors.push(await postAll(current.taken, 64));
  }
  for (const s of sockets) s.destroy();
  for (const s of servers) await new Promise((r) => s.close(() => r(undefined)));
  const figure = complete ? median(figures) : NaN;
  const floor = complete ? median(floors) : NaN;
  return [
    {
      figure: `fan-out til ${o.followers} følgere (${deadCount} døde, ${healthy.size} innbokser i live)`,
      result: complete ? `${seconds(figure)} s til alle levende` : `${reached}/${healthy.size} innen 60 s`,
      floor: complete ? `${Math.round(floor) / 1000} s` : null,
      ratio: complete ? `${(figure / floor).toFixed(1)}×` : null,
      detail: complete ? `median per innboks ${seconds(median(medians))} s; median av ${rounds} runder, gulv: samme kropper til samme mottakere, 64 om gangen` : "",
      target: deadCount > 0 ? "levende < 15 s" : "< 10 s",
    },
  ];
}

/** Backfill: follow a municipality with `count` projects; time until all are here. */
async function backfill(source: Origin, receiver: TestInstance, count: number): Promise<Row[]> {
  await updateFederationSettings(receiver.ctx.db, { backfillLimit: count });
  const started = Date.now();
  await receiver.federation.following.follow(source.actorUrl);
  let stored = 0;
  const done = await waitFor(async () => {
    const m = await getMunicipalityByActorUrl(receiver.ctx.db, source.actorUrl);
    stored = m ? await countRemoteProjects(receiver.ctx.db, m.id) : 0;
    return stored >= count;
  }, 60_000);
  return [
    {
      figure: `backfill av ${count} prosjekter etter en følging`,
      result: done ? `${seconds(Date.now() - started)} s` : `${stored}/${count} innen 60 s`,
      floor: null,
      ratio: null,
      detail: "fra følging sendt til alle lagret",
      target: "< 5 s",
    },
  ];
}

type Origin = OriginInfo & { close(): Promise<void> };

/** Starts the followed municipality in its own process with `count` published projects. */
async function startOrigin(driver: "pglite" | "postgres", count: number): Promise<Origin> {
  const { ready, close } = await spawnReady<OriginInfo>(originScript, [driver, String(count)]);
  return { ...ready, close };
}

/** Runs the senders in their own process (they stand for other servers). */
function runSenders(job: SenderJob): Promise<SenderOutcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [sendersScript], { stdio: ["pipe", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve(JSON.parse(out) as SenderOutcome) : reject(new Error(`senders exited with ${code}`))));
    child.stdin.end(JSON.stringify(job));
  });
}

/**
 * Ingest: signed Creates for projects the receiver lacks, from 4 concurrent
 * senders in another process. Two figures: accepted/s (until the last 202:
 * signature verified, activity in the durable inbound queue) and handled/s
 * (until every project is fetched and stored), so a growing backlog cannot
 * hide behind fast answers. Each round is followed by its floor: the same
 * Creates, signed for it, to Fedify's own inbox with a handler that does
 * nothing (bench/fedify-floor.ts), which answers once it has run.
 */
async function ingest(source: Origin, receiver: TestInstance, count: number, senders: number, rounds: number): Promise<Row[]> {
  const m = await getMunicipalityByActorUrl(receiver.ctx.db, source.actorUrl);
  const stored = async () => (m ? await countRemoteProjects(receiver.ctx.db, m.id) : 0);
  const have = new Set<string>();
  for (let page = 1; ; page++) {
    const p = await listProjects(receiver.ctx.db, { origin: "remote" }, { page, perPage: 100 });
    p.items.forEach((x) => have.add(x.url));
    if (p.items.length < 100) break;
  }
  const urls = source.projects.filter((url) => !have.has(url)).slice(0, count);
  const per = Math.ceil(urls.length / rounds);
  const floorProcess = await spawnReady<{ url: string }>(floorScript, []);
  const accepted: number[] = [];
  const handled: number[] = [];
  const floors: number[] = [];
  const cpus: number[] = [];
  let total = 0;
  let failures = 0;
  let floorRefused = 0;
  let complete = true;
  try {
    for (let r = 0; r < rounds; r++) {
      const objects = urls.slice(r * per, (r + 1) * per);
      if (objects.length === 0) break;
      const job: SenderJob = {
        inbox: `${receiver.url}/inbox`,
        actor: source.actorUrl,
        keyId: `${source.actorUrl}#main-key`,
        privateKey: source.privateKey,
        objects,
        senders,
        tag: `${Date.now()}-${r}`,
      };
      const before = await stored();
      const cpuBefore = process.cpuUsage();
      const outcome = await runSenders(job);
      const target = before + objects.length - outcome.refused;
      const waitStarted = Date.now();
      complete = (await waitFor(async () => (await stored()) >= target, 120_000)) && complete;
      const elapsed = outcome.elapsedMs + (Date.now() - waitStarted);
      const cpu = process.cpuUsage(cpuBefore);
      const after = await stored();
      // What the stored projects set off (search indexing, counters) ends before the floor and the next round run beside it.
      await receiver.ctx.events.settled();
      failures += outcome.refused;
      total += after - before;
      accepted.push(((objects.length - outcome.refused) / outcome.elapsedMs) * 1000);
      handled.push(((after - before) / elapsed) * 1000);
      cpus.push((cpu.user + cpu.system) / 1000 / Math.max(1, after - before));
      const floor = await runSenders({ ...job, inbox: `${floorProcess.ready.url}/inbox`, tag: `${job.tag}-gulv` });
      floorRefused += floor.refused;
      floors.push(((objects.length - floor.refused) / floor.elapsedMs) * 1000);
    }
  } finally {
    await floorProcess.close();
  }
  const floor = median(floors);
  const detail = `median av ${accepted.length} runder; gulv: Fedifys egen innboks med en handler som ikke gjør noe, samme avsendere, samme runde`;
  return [
    {
      figure: `innboks: ${urls.length} signerte Create, ${senders} samtidige avsendere, akseptert (til siste 202)`,
      result: `${Math.round(median(accepted))}/s`,
      floor: `${Math.round(floor)}/s`,
      ratio: `${(median(accepted) / floor).toFixed(2)}×`,
      detail: `signatur verifisert, aktiviteten i den varige innkøen; ${failures} avvist (gulvet ${floorRefused}); ${detail}`,
      target: "≥ 0.8× gulvet",
    },
    {
      figure: `innboks: de samme, behandlet (til alle prosjektene er hentet og lagret)`,
      result: `${Math.round(median(handled))}/s`,
      floor: `${Math.round(floor)}/s`,
      ratio: `${(median(handled) / floor).toFixed(2)}×`,
      detail: `${total} lagret${complete ? "" : " (ikke alle innen 120 s)"}, mottakerens CPU ${median(cpus).toFixed(1)} ms per aktivitet; ${detail}`,
      target: "ingen kø som vokser",
    },
  ];
}

export async function benchFederation(options: FederationBenchOptions = {}): Promise<Row[]> {
  const o: Required<FederationBenchOptions> = {
    followers: 357,
    deadShare: 0.1,
    receivingHosts: 6,
    ingest: 1000,
    senders: 4,
    backfill: 200,
    rounds: 3,
    fanOutOnly: false,
    ingestOnly: false,
    driver: "pglite",
    ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)),
  };
  const rows: Row[] = [];
  const env = { KOMINN_LOG_LEVEL: "silent" };
  const driver = o.driver;
  // A sender of its own per case, so the followers of one case are not sent to in the other.
  for (const deadShare of o.ingestOnly ? [] : [0, o.deadShare]) {
    const sender = await startTestInstance({ env, driver });
    try {
      rows.push(...(await fanOut(sender, { ...o, deadShare }, o.rounds)));
    } finally {
      await sender.close();
    }
  }
  if (o.fanOutOnly) return rows;

  const source = await startOrigin(driver, o.backfill + o.ingest);
  const receiver = await startTestInstance({ env, driver, setup: { handle: "mottaker", name: "Mottaker kommune", adminEmail: "a@mottaker.test" } });
  try {
    rows.push(...(await backfill(source, receiver, o.backfill)));
    const follow = await getFollowByTarget(receiver.ctx.db, source.actorUrl);
    if (follow?.status === "accepted") rows.push(...(await ingest(source, receiver, o.ingest, o.senders, o.rounds)));
  } finally {
    await Promise.all([source.close(), receiver.close()]);
  }
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { printTable } = await import("./measure.ts");
  const num = (name: string) => (process.env[name] ? Number(process.env[name]) : undefined);
  const driver = process.env.FED_DRIVER === "postgres" ? "postgres" : "pglite";
  const rows = await benchFederation({ followers: num("FED_FOLLOWERS"), ingest: num("FED_INGEST"), backfill: num("FED_BACKFILL"), rounds: num("FED_ROUNDS"), fanOutOnly: process.env.FED_FANOUT_ONLY === "1", ingestOnly: process.env.FED_INGEST_ONLY === "1", driver });
  printTable(`Føderasjon (loopback, ${driver === "postgres" ? "PostgreSQL" : "PGlite"})`, rows);
  process.exit(0);
}
