import { mkdtempSync, rmSync } from "node:fs";
import { createServer as createHttpServer, type Server } from "node:http";
import { createServer as createNetServer, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { rowsOf } from "../../db/client.ts";
import { listDeliveryFailures } from "../../db/delivery-state.ts";
import { getFollowerByActor, upsertFollower } from "../../db/followers.ts";
import { freePort, startTestInstance, type TestInstance } from "../helpers/instance.ts";
import { eventually, fastTuning, follow, municipalities, publish, remoteProjects, startMunicipality } from "./helpers.ts";

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

// The receivers' inbox answers 500 while the sender is down (they fetch the
// project from it), so the breaker must not park them for the whole test.
const restartTuning = { ...fastTuning, breakerFailures: 1_000 };

describe("delivery survives a restart of the sender", () => {
  it("every follower gets every activity exactly once after the sender is stopped mid fan-out and restarted", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "kominn-fed-restart-"));
    cleanup.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const port = await freePort();
    let a = await startTestInstance({ setup: municipalities.fredrikstad, dataDir, port, federation: restartTuning });
    const [b, c] = await Promise.all([startMunicipality("sarpsborg"), startMunicipality("hvaler")]);
    cleanup.push(() => b.close(), () => c.close());
    await follow(b, a);
    await follow(c, a);

    const titles = ["Fallsensorer", "Digital skoleskyss", "Ladepunkter i sentrum", "Ombruk av møbler", "Nattilsyn med sensor"];
    const urls: string[] = [];
    for (const title of titles) urls.push((await publish(a, { title })).url);
    await a.ctx.events.settled();
    const pending = (await a.federation.queue.getDepth()).queued;
    await a.close(); // stopped while deliveries are still queued

    a = await startTestInstance({ setup: false, dataDir, port, federation: restartTuning });
    cleanup.push(() => a.close());
    for (const receiver of [b, c]) {
      const got = await eventually(async () => {
        const list = await remoteProjects(receiver);
        return list.length === urls.length && list;
      }, 30_000);
      expect(got.map((p) => p.url).sort()).toEqual([...urls].sort());
      const ids = await createdIds(receiver);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.filter((id) => urls.some((u) => id.startsWith(`${u}#create-`)))).toHaveLength(urls.length);
    }
    expect(pending).toBeGreaterThanOrEqual(0);
  }, 120_000);
});

describe("a dead, failing or slow follower never holds up the others", () => {
  it("delivers to the healthy follower at once, records failures per host, and drops a follower whose inbox is gone", async () => {
    const a = await startMunicipality("fredrikstad");
    const b = await startMunicipality("sarpsborg");
    cleanup.push(() => a.close(), () => b.close());
    await follow(b, a);

    const servers: (Server | ReturnType<typeof createNetServer>)[] = [];
    const sockets: Socket[] = [];
    const listen = async (server: Server | ReturnType<typeof createNetServer>) => {
      const port = await freePort();
      await new Promise<void>((r) => server.listen(port, "127.0.0.1", () => r()));
      servers.push(server);
      return `http://127.0.0.1:${port}`;
    };
    cleanup.push(async () => {
      for (const s of sockets) s.destroy();
      for (const s of servers) await new Promise((r) => s.close(() => r(undefined)));
    });
    const failing = await listen(createHttpServer((_req, res) => res.writeHead(500).end("oops")));
    const gone = await listen(createHttpServer((_req, res) => res.writeHead(410).end()));
    const hanging = await listen(createNetServer((socket) => void sockets.push(socket)));
    const dead = `http://127.0.0.1:${await freePort()}`;

    for (const [name, base] of Object.entries({ failing, gone, hanging, dead })) {
      await upsertFollower(a.ctx.db, {
        actorUrl: `${base}/users/${name}`,
        handle: `@${name}@${new URL(base).host}`,
        name,
        inboxUrl: `${base}/users/${name}/inbox`,
        sharedInboxUrl: null,
        followActivityId: `${base}/follows/${name}`,
        status: "accepted",
      });
    }

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
    expect(failingRow.nextRetryAt).toBeInstanceOf(Date);
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
