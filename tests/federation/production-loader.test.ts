// The one loader pipeline, offline: instances in this process with no internet
// access (every name lookup fails and is recorded; every connection is
// recorded) publish, update, delete, follow and backfill. JSON-LD contexts
// come from Fedify's preloaded set and our cache; none is fetched.
import dns from "node:dns";
import { subscribe, unsubscribe } from "node:diagnostics_channel";
import { syncBuiltinESMExports } from "node:module";
import { isIP } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { drivers } from "../helpers/databases.ts";
import type { TestInstance } from "../helpers/instance.ts";
import { api, eventually, follow, publish, remoteProjects, startMunicipality } from "./helpers.ts";

const lookedUp: string[] = [];
const connections: string[] = [];
const onConnect = (message: unknown) => {
  const { connectParams } = message as { connectParams: { hostname: string; port: string | number; protocol: string } };
  connections.push(`${connectParams.protocol}//${connectParams.hostname}:${connectParams.port}`);
};

// No internet: a name lookup fails (and is remembered), so nothing leaves the
// machine; IP literals (the instances listen on 127.0.0.1) still "resolve".
const original = { lookup: dns.lookup, promisesLookup: dns.promises.lookup };
function cutOffNameLookups(): void {
  const refuse = (hostname: string) => {
    lookedUp.push(hostname);
    return Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND", hostname });
  };
  dns.lookup = ((hostname: string, ...rest: unknown[]) => {
    if (isIP(hostname)) return (original.lookup as (...args: unknown[]) => void)(hostname, ...rest);
    const callback = rest.at(-1) as (error: Error) => void;
    process.nextTick(() => callback(refuse(hostname)));
  }) as typeof dns.lookup;
  dns.promises.lookup = (async (hostname: string, options?: unknown) => {
    if (isIP(hostname)) return original.promisesLookup(hostname, options as never);
    throw refuse(hostname);
  }) as typeof dns.promises.lookup;
  syncBuiltinESMExports();
}
function restoreNameLookups(): void {
  dns.lookup = original.lookup;
  dns.promises.lookup = original.promisesLookup;
  syncBuiltinESMExports();
}

describe.each(drivers)("the production loader pipeline works with no internet access (%s)", (driver) => {
  let a: TestInstance;
  let b: TestInstance;

  beforeAll(async () => {
    lookedUp.length = 0;
    connections.length = 0;
    cutOffNameLookups();
    subscribe("undici:client:beforeConnect", onConnect);
    [a, b] = await Promise.all([startMunicipality("fredrikstad", { driver }), startMunicipality("sarpsborg", { driver })]);
  }, 90_000);

  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
    unsubscribe("undici:client:beforeConnect", onConnect);
    restoreNameLookups();
  });

  it("Create, Update, Delete, Follow and backfill, with no context fetched and no host but the instances", async () => {
    const early = await publish(a, { title: "Før følgingen" });
    await follow(b, a);
    await eventually(async () => (await remoteProjects(b)).some((p) => p.url === early.url)); // backfill

    const project = await publish(a, { title: "Ny lekeplass" });
    await eventually(async () => (await remoteProjects(b)).some((p) => p.url === project.url)); // Create

    expect((await api(a, "PATCH", `/api/v1/projects/${project.id}`, { title: "Ny lekeplass ved skolen" })).status).toBe(200);
    await eventually(async () => (await remoteProjects(b)).some((p) => p.title === "Ny lekeplass ved skolen")); // Update

    expect((await api(a, "DELETE", `/api/v1/projects/${project.id}`)).status).toBeLessThan(300);
    await eventually(async () => !(await remoteProjects(b)).some((p) => p.url === project.url)); // Delete

    const fromB = await publish(b, { title: "Felles kantine" });
    await follow(a, b); // Follow the other way, with its Accept and backfill
    await eventually(async () => (await remoteProjects(a)).some((p) => p.url === fromB.url));

    expect(lookedUp).toEqual([]);
    const instances = new Set([a.url, b.url]);
    expect(connections.filter((c) => !instances.has(c))).toEqual([]);
    expect(connections.length).toBeGreaterThan(0);
  });
});
