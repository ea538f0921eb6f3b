import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { startTestInstance, type TestInstance } from "../helpers/instance.ts";
import { testDatabaseUrl } from "../helpers/databases.ts";

// PostgreSQL may close the portal's idle connections (a restart, a failover,
// an administrator). The portal must log it and carry on, not stop.
describe.skipIf(!testDatabaseUrl)("the PostgreSQL server closes the portal's connections", () => {
  let inst: TestInstance;
  afterAll(() => inst?.close());

  it("keeps serving: the next request opens a new connection", async () => {
    inst = await startTestInstance({ driver: "postgres" });
    expect((await fetch(`${inst.url}/api/v1/projects`)).status).toBe(200);
    const database = new URL(inst.ctx.config.databaseUrl!).pathname.slice(1);
    const admin = new pg.Client({ connectionString: testDatabaseUrl });
    await admin.connect();
    const { rows } = await admin.query("select count(pg_terminate_backend(pid))::int as n from pg_stat_activity where datname = $1", [database]);
    await admin.end();
    expect(rows[0].n).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 200));
    expect((await fetch(`${inst.url}/api/v1/projects`)).status).toBe(200);
  });
});
