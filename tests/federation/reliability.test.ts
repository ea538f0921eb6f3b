import { mkdtempSync, rmSync } from "node:fs";
import { createServer as createHttpServer, type Server } from "node:http";
import { createServer as createNetServer, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { rowsOf } from "../../db/client.ts";
import { listDeliveryFailures } from "../../db/delivery-state.ts";
import { getFollowerByActor } from "../../db/followers.ts";
import { getMunicipalityByActorUrl, updateMunicipality } from "../../db/municipalities.ts";
import { freePort, startTestInstance, type TestInstance } from "../helpers/instance.ts";
import { spawnInstance } from "../helpers/instance-process.ts";
import { addFollowerAt, api, eventually, fastTuning, follow, listenOnLoopback, municipalities, publish, remoteProjects, startMunicipality } from "./helpers.ts";

const cleanup: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const c of cleanup.reverse()) await c();
});

async function createdIds(instance: TestInstance): Promise<string[]> {
  const rows = rowsOf<{ activity_id: string }>(
    await instance.ctx.db.execute(sql`select activity_id from processed_activities where activity_id like '%#create-%'`),
  );
  return rows.map((r) => r.activity_id);
}

// While the sender is down its followers' fetches of the projects fail, so
// neither the retries nor the breaker may give up on them during the test.
const restartTuning = { ...fastTuning, retryMaxAttempts: 30, breakerFailures: 1_000 };

describe("delivery survives the sender being killed mid fan-out", () => {
  it("every follower gets every activity exactly once after the sender is killed (SIGKILL) and restarted", async () => {
    const [dirA, dirB] = [mkdtempSync(join(tmpdir(), "kominn-kill-a-")), mkdtempSync(join(tmpdir(), "kominn-kill-b-"))];
    cleanup.push(() => rmSync(dirA, { recursive: true, force: true }), () => rmSync(dirB, { recursive: true, force: true }));
    const [portA, portB] = [await freePort(), await freePort()];
    let a = await spawnInstance({ setup: municipalities.fredrikstad, dataDir: dirA, port: portA, federation: restartTuning });
    cleanup.push(() => a.close());
    let b = await startMunicipality("sarpsborg", { dataDir: dirB, port: portB });
    const c = await startMunicipality("hvaler");
    cleanup.push(() => c.close());
    await follow(b, a);
    await follow(c, a);

    // Sarpsborg goes down, so its deliveries are still waiting in Fredrikstad's queue when Fredrikstad dies.
    const bToken = b.adminToken;
    const bMunicipality = b.municipality;
    await b.close();
    const titles = ["Fallsensorer", "Digital skoleskyss", "Ladepunkter i sentrum", "Ombruk av møbler", "Nattilsyn med sensor"];
    const urls: string[] = [];
    for (const title of titles) urls.push((await publish(a, { title })).url);
    // Killed once Hvaler has some of them: the rest is queued, or not even queued yet.
    await eventually(async () => (await remoteProjects(c)).length > 0);
    await a.kill();

    b = await startTestInstance({ setup: false, dataDir: dirB, port: portB, federation: fastTuning });
    cleanup.push(() => b.close());
    Object.assign(b, { adminToken: bToken, municipality: bMunicipality });
    const aToken = a.adminToken;
    a = await spawnInstance({ dataDir: dirA, port: portA, federation: restartTuning, setup: false });
    a.adminToken = aToken;

    for (const receiver of [b, c]) {
      const got = await eventually(async () => {
        const list = await remoteProjects(receiver);
        return list.length === urls.length && list;
      }, 60_000);
      expect(got.map((p) => p.url).sort()).toEqual([...urls].sort());
      const ids = await createdIds(receiver);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.filter((id) => urls.some((u) => id.startsWith(`${u}#create-`)))).toHaveLength(urls.length);
    }

    // Killed right after an unpublish: the followers still drop their copy.
    const [first] = await remoteProjects(c);
    const local = (await api(a, "GET", "/api/v1/projects?origin=local&perPage=100")).json.items.find((p: { url: string }) => p.url === first.url);
    expect((await api(a, "PATCH", `/api/v1/projects/${local.id}`, { published: false })).status).toBe(200);
    await a.kill();
    a = await spawnInstance({ dataDir: dirA, port: portA, federation: restartTuning, setup: false });
    a.adminToken = aToken;
    for (const receiver of [b, c]) {
      await eventually(async () => (await remoteProjects(receiver)).length === urls.length - 1, 60_000);
      expect((await remoteProjects(receiver)).map((p) => p.url)).not.toContain(first.url);
    }
  }, 180_000);
});

describe("a profile change cut off by a crash", () => {
  it("reaches followers when the instance starts again", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "kominn-profile-"));
    cleanup.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const port = await freePort();
    let a = await startMunicipality("fredrikstad", { dataDir, port });
    const b = await startMunicipality("sarpsborg");
    cleanup.push(() => b.close());
    await follow(b, a);
    const { actorUrl } = a.municipality!;

    // Saved with its event, but the process ends before any subscriber has seen it.
    await a.subscribers.stop();
    await a.ctx.events.transaction(async (tx) => {
      await updateMunicipality(tx, a.municipality!.id, { name: "Fredrikstad kommune (ny)" });
      await a.ctx.events.append(tx, "profile.updated", { municipalityId: a.municipality!.id });
    });
    await a.close();
    a = await startMunicipality("fredrikstad", { dataDir, port, setup: false });
    cleanup.push(() => a.close());

    await eventually(async () => (await getMunicipalityByActorUrl(b.ctx.db, actorUrl))?.name === "Fredrikstad kommune (ny)", 20_000);
  }, 60_000);
});

describe("a dead, failing or slow follower never holds up the others", () => {
  it("delivers to the healthy follower at once, records failures per host, and drops a follower whose inbox is gone", async () => {
    const a = await startMunicipality("fredrikstad");
    const b = await startMunicipality("sarpsborg");
    cleanup.push(() => a.close(), () => b.close());
    await follow(b, a);

    const servers: (Server | ReturnType<typeof createNetServer>)[] = [];
    const sockets: Socket[] = [];
    const listen = (server: Server | ReturnType<typeof createNetServer>) => (servers.push(server), listenOnLoopback(server));
    cleanup.push(async () => {
      for (const s of sockets) s.destroy();
      for (const s of servers) await new Promise((r) => s.close(() => r(undefined)));
    });
    const failing = await listen(createHttpServer((_req, res) => res.writeHead(500).end("oops")));
    const gone = await listen(createHttpServer((_req, res) => res.writeHead(410).end()));
    const hanging = await listen(createNetServer((socket) => void sockets.push(socket)));
    const dead = `http://127.0.0.1:${await freePort()}`;

    for (const [name, base] of Object.entries({ failing, gone, hanging, dead })) await addFollowerAt(a.ctx.db, base, name);

    const project = await publish(a, { title: "Felles vikarpool" });
    await eventually(async () => (await remoteProjects(b)).some((p) => p.url === project.url), 10_000);

    await eventually(async () => !(await getFollowerByActor(a.ctx.db, `${gone}/users/gone`)), 15_000);
    const failures = await eventually(async () => {
      const rows = await listDeliveryFailures(a.ctx.db);
      const hosts = rows.map((r) => r.host);
      return hosts.includes(new URL(failing).host) && hosts.includes(new URL(dead).host) && rows;
    }, 15_000);
    const failingRow = failures.find((r) => r.host === new URL(failing).host)!;
    expect(failingRow.lastError).toMatch(/500/);
    // The next try is the queue's: the failing delivery waits there, under the same host.
    expect((await a.federation.queue.pendingByHost()).get(new URL(failing).host)?.nextAt).toBeInstanceOf(Date);
    expect(await getFollowerByActor(a.ctx.db, `${failing}/users/failing`)).toBeDefined();

    // Repeated failures open the circuit for that host.
    await publish(a, { title: "Digital postkasse" });
    await publish(a, { title: "Felles innkjøp av el-sykler" });
    await eventually(async () => {
      const row = (await listDeliveryFailures(a.ctx.db)).find((r) => r.host === new URL(failing).host);
      return row?.circuit === "open";
    }, 30_000);
    await eventually(async () => (await remoteProjects(b)).length === 3, 15_000);
  }, 120_000);
});
