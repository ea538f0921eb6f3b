import { loadConfig } from "../core/config.ts";
import { startInstance, type Instance } from "../server/instance.ts";
import { freshPostgresDatabase } from "../tests/helpers/databases.ts";
import { freePort } from "../tests/helpers/instance.ts";

export type Backend = "pglite" | "postgres";

/** The databases a benchmark runs on: PostgreSQL first when a URL is given, then PGlite. */
export function backendsFor(postgresUrl: string | undefined): Backend[] {
  return postgresUrl ? ["postgres", "pglite"] : ["pglite"];
}

/** A whole instance on a free loopback port, on a fresh PostgreSQL database or an in-memory PGlite. */
export async function startBenchInstance(backend: Backend, env: Record<string, string> = {}): Promise<Instance> {
  const pgdb = backend === "postgres" ? await freshPostgresDatabase() : undefined;
  const port = await freePort();
  const instance = await startInstance(
    loadConfig({
      PORT: String(port),
      HOST: "127.0.0.1",
      KOMINN_ORIGIN: `http://127.0.0.1:${port}`,
      KOMINN_DATA_DIR: "memory://",
      KOMINN_LOG_LEVEL: "error",
      ...(pgdb ? { DATABASE_URL: pgdb.url } : {}),
      ...env,
    }),
  );
  return {
    ...instance,
    async close() {
      await instance.close();
      await pgdb?.drop();
    },
  };
}
