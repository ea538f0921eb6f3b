import { createServer } from "node:net";
import { loadConfig, type Config } from "../../core/config.ts";
import { startInstance, type Instance } from "../../server/instance.ts";
import type { FederationTuning } from "../../federation/index.ts";
import { createApiToken } from "../../db/accounts.ts";
import type { Account, Municipality } from "../../db/schema.ts";
import { setupInstance } from "../../services/setup.ts";
import type { SetupInput } from "../../core/municipality.ts";
import { freshPostgresDatabase, type Driver } from "./databases.ts";

/*
 * An instance names its port in its origin before it listens, so tests pick
 * ports ahead of time. A port the kernel hands out (listen on 0, then close)
 * can be taken again before the instance listens: outgoing connections draw
 * their source ports from the same ephemeral range, and so does the other
 * test worker (CI saw EADDRINUSE this way). So tests take ports from below
 * that range, each vitest worker from a slice of its own, and check that the
 * port is free before handing it out.
 */
const PORTS_FROM = 12_000;
const PORTS_PER_WORKER = 1_000;
const worker = (Number(process.env.VITEST_POOL_ID ?? 1) - 1) % 20; // 20 slices stay below 32768
let nextPort = Math.floor(Math.random() * PORTS_PER_WORKER);

export async function freePort(): Promise<number> {
  for (let tries = 0; tries < PORTS_PER_WORKER; tries++) {
    const port = PORTS_FROM + worker * PORTS_PER_WORKER + (nextPort++ % PORTS_PER_WORKER);
    if (await canListen(port)) return port;
  }
  throw new Error(`no free port in this test worker's slice (worker ${worker + 1})`);
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once("error", () => resolve(false));
    s.listen(port, "127.0.0.1", () => s.close(() => resolve(true)));
  });
}

export interface TestInstance extends Instance {
  admin?: Account;
  adminPassword: string;
  adminToken?: string;
  municipality?: Municipality;
}

export interface TestInstanceOptions {
  driver?: Driver;
  /** Set up the municipality and an administrator (default true). */
  setup?: boolean | Partial<SetupInput>;
  env?: Record<string, string>;
  now?: () => number;
  /** PGlite data directory, to restart an instance on the same data. */
  dataDir?: string;
  port?: number;
  /** Delivery retries, circuit breaker and queue workers (federation tests use short delays). */
  federation?: FederationTuning;
}

export const defaultSetup: SetupInput = {
  name: "Fredrikstad kommune",
  kommunenummer: "3107",
  fylke: "Østfold",
  handle: "fredrikstad",
  adminEmail: "admin@fredrikstad.test",
  adminName: "Anne Admin",
  adminPassword: "et-langt-passord-123",
};

/** The instances this process runs, by origin: a test that posts to one's inbox waits until it has handled what it accepted (tests/federation/signed-http.ts). */
export const runningInstances = new Map<string, TestInstance>();

/** A whole instance on 127.0.0.1 with a real database (PGlite in memory, or a fresh PostgreSQL database). */
export async function startTestInstance(options: TestInstanceOptions = {}): Promise<TestInstance> {
  const port = options.port ?? (await freePort());
  const pgdb = options.driver === "postgres" ? await freshPostgresDatabase() : undefined;
  const config: Config = loadConfig({
    PORT: String(port),
    HOST: "127.0.0.1",
    KOMINN_ORIGIN: `http://127.0.0.1:${port}`,
    KOMINN_DATA_DIR: options.dataDir ?? "memory://",
    KOMINN_LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "error",
    // Production code throughout; only the address policy is relaxed, for loopback peers.
    KOMINN_ALLOW_HOSTS: "127.0.0.1",
    ...(pgdb ? { DATABASE_URL: pgdb.url } : {}),
    ...options.env,
  });
  const instance = await startInstance(config, { now: options.now, federation: options.federation });
  const result: TestInstance = {
    ...instance,
    adminPassword: defaultSetup.adminPassword,
    async close() {
      if (runningInstances.get(config.origin) === result) runningInstances.delete(config.origin);
      await instance.close();
      await pgdb?.drop();
    },
  };
  runningInstances.set(config.origin, result);
  if (options.setup !== false) {
    const input = { ...defaultSetup, ...(typeof options.setup === "object" ? options.setup : {}) };
    const { municipality, admin } = await setupInstance(instance.ctx.db, input, {
      origin: config.origin,
      role: config.role,
    });
    result.municipality = municipality;
    result.admin = admin;
    result.adminPassword = input.adminPassword;
    result.adminToken = (await createApiToken(instance.ctx.db, admin.id, "test")).token;
  }
  return result;
}
