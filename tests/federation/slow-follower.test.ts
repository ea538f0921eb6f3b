import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { rowsOf } from "../../db/client.ts";
import { listDeliveryFailures } from "../../db/delivery-state.ts";
import type { FederationTuning } from "../../federation/index.ts";
import { freePort, type TestInstance } from "../helpers/instance.ts";
import { api, eventually, follow, publish, remoteProjects, startMunicipality } from "./helpers.ts";

const cleanup: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const c of cleanup.reverse()) await c();
});

/**
 * The production defaults, compressed about tenfold: the breaker opens after
 * five failures and probes the host every 3 s (30 s in production).
 */
const tuning: FederationTuning = {
  retryInitialDelayMs: 500,
  retryMaxDelayMs: 6_000,
  retryMaxAttempts: 10,
  breakerFailures: 5,
  breakerWindowMs: 60_000,
  breakerRecoveryMs: 3_000,
  requestTimeoutMs: 5_000,
  queuePollMs: 50,
};

/** The activities a receiver handled for `url`, in the order it handled them ("create", "update", "withdraw" for an unpublish, "delete"). */
async function handledInOrder(receiver: TestInstance, url: string): Promise<string[]> {
  const rows = rowsOf<{ activity_id: string }>(
    await receiver.ctx.db.execute(
      sql`select activity_id from processed_activities where activity_id like ${`${url}#%`} order by processed_at, activity_id`,
    ),
  );
  return rows.map((r) => /#(create|update|withdraw|delete)-/.exec(r.activity_id)?.[1] ?? r.activity_id);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("a follower that was down for a while", () => {
  it("gets everything it missed, in order and in its latest version, soon after it is back", async () => {
    const dirB = mkdtempSync(join(tmpdir(), "kominn-slow-b-"));
    cleanup.push(() => rmSync(dirB, { recursive: true, force: true }));
    const portB = await freePort();
    const a = await startMunicipality("fredrikstad", { federation: tuning });
    let b = await startMunicipality("sarpsborg", { dataDir: dirB, port: portB });
    const c = await startMunicipality("hvaler");
    cleanup.push(() => a.close(), () => c.close());
    await follow(b, a);
    await follow(c, a);
    const hostB = `127.0.0.1:${portB}`;

    const { adminToken, municipality, admin } = b;
    await b.close();
    const downSince = Date.now();

    const created: { id: string; url: string }[] = [];
    for (const title of ["Fallsensorer", "Digital skoleskyss", "Ladepunkter i sentrum"]) created.push(await publish(a, { title }));
    const patch = (i: number, body: object) => api(a, "PATCH", `/api/v1/projects/${created[i].id}`, body);
    expect((await patch(0, { title: "Fallsensorer i omsorgsboliger" })).status).toBe(200);
    expect((await patch(1, { title: "Digital skoleskyss for alle" })).status).toBe(200);

    // The failures are recorded under the follower's own host, and its circuit opens.
    await eventually(async () => (await listDeliveryFailures(a.ctx.db)).find((r) => r.host === hostB)?.circuit === "open", 20_000);
    expect((await listDeliveryFailures(a.ctx.db)).map((r) => r.host)).not.toContain("ukjent");

    // More while the circuit is open: new projects, a second update, an unpublish.
    for (const title of ["Ombruk av møbler", "Nattilsyn med sensor"]) created.push(await publish(a, { title }));
    expect((await patch(0, { title: "Fallsensorer i alle omsorgsboliger" })).status).toBe(200);
    expect((await patch(3, { summary: "Møbler fra kommunens lager går til skoler og barnehager." })).status).toBe(200);
    expect((await patch(2, { published: false })).status).toBe(200);
    await sleep(Math.max(0, 15_000 - (Date.now() - downSince)));

    b = await startMunicipality("sarpsborg", { dataDir: dirB, port: portB, setup: false });
    cleanup.push(() => b.close());
    Object.assign(b, { adminToken, municipality, admin });

    // What the sender has now is what the follower must show.
    const expected = (await api(a, "GET", "/api/v1/projects?origin=local&perPage=100")).json.items
      .filter((p: { published: boolean }) => p.published)
      .map((p: { url: string; title: string; summary: string }) => ({ url: p.url, title: p.title, summary: p.summary }))
      .sort((x: { url: string }, y: { url: string }) => x.url.localeCompare(y.url));
    expect(expected).toHaveLength(4);
    const view = async () =>
      (await remoteProjects(b))
        .map((p) => ({ url: p.url, title: p.title, summary: p.summary }))
        .sort((x, y) => x.url.localeCompare(y.url));
    const expectedOrder = [
      ["create", "update", "update"],
      ["create", "update"],
      ["create", "withdraw"],
      ["create", "update"],
      ["create"],
    ];
    const handled = () => Promise.all(created.map((p) => handledInOrder(b, p.url)));
    // Bounded: a breaker probe interval and a retry away, not one activity per probe cycle.
    const backAt = Date.now();
    await eventually(async () => {
      const counts = (await handled()).map((h) => h.length);
      return JSON.stringify(counts) === JSON.stringify(expectedOrder.map((o) => o.length)) && JSON.stringify(await view()) === JSON.stringify(expected);
    }, 15_000).catch(async (error) => {
      throw new Error(`${error.message}; follower handled ${JSON.stringify(await handled())} and shows ${JSON.stringify(await view())}`);
    });
    if (process.env.KOMINN_REPORT_TIMING) console.log(`follower down ${backAt - downSince} ms had everything ${Date.now() - backAt} ms after it was back`);

    // Each project's activities arrived in the order they were made: no Update before its Create, the Delete last.
    expect(await handled()).toEqual(expectedOrder);
    // The follower that stayed up has the same.
    expect(await Promise.all(created.map((p) => handledInOrder(c, p.url)))).toEqual(expectedOrder);
  }, 180_000);
});
