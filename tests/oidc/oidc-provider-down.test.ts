import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { drivers } from "../helpers/databases.ts";
import { freePort, startTestInstance, type TestInstance } from "../helpers/instance.ts";
import { accounts } from "../../db/schema.ts";
import { CookieClient } from "./cookie-client.ts";

const oidcEnv = (issuer: string) => ({
  KOMINN_OIDC_ISSUER: issuer,
  KOMINN_OIDC_CLIENT_ID: "kominn",
  KOMINN_OIDC_CLIENT_SECRET: "hemmelig",
  KOMINN_OIDC_ADMIN_GROUPS: "admin",
});

describe.each(drivers)("a provider that is down or answers garbage at discovery, on %s", (driver) => {
  let garbage: Server;
  let garbageUrl: string;
  let down: TestInstance;
  let confused: TestInstance;

  beforeAll(async () => {
    garbage = createServer((_req, res) => res.writeHead(200, { "content-type": "text/html" }).end("<h1>Velkommen til intranettet</h1>"));
    await new Promise<void>((resolve) => garbage.listen(0, "127.0.0.1", resolve));
    garbageUrl = `http://127.0.0.1:${(garbage.address() as { port: number }).port}`;
    // Nothing listens on a port freed just now.
    [down, confused] = await Promise.all([
      startTestInstance({ driver, env: oidcEnv(`http://127.0.0.1:${await freePort()}`) }),
      startTestInstance({ driver, env: oidcEnv(garbageUrl) }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([down?.close(), confused?.close()]);
    garbage?.close();
  });

  for (const which of ["down", "garbage"] as const) {
    it(`shows a clear page and starts no sign-in when the provider is ${which}`, async () => {
      const inst = which === "down" ? down : confused;
      const [before] = await inst.ctx.db.select({ n: sql<number>`count(*)::int` }).from(accounts);
      const browser = new CookieClient();
      const hop = await browser.request(`${inst.url}/logg-inn/oidc`);
      expect(hop.status).toBe(502);
      expect(hop.body).toContain("Fikk ikke kontakt med kommunens innloggingstjeneste");
      expect(hop.setCookies.some((c) => /^kominn_(session|oidc_flow)=[^;]/.test(c))).toBe(false);
      // Tried again, it still answers clearly (a failed discovery is not cached).
      expect((await browser.request(`${inst.url}/logg-inn/oidc`)).status).toBe(502);
      const [after] = await inst.ctx.db.select({ n: sql<number>`count(*)::int` }).from(accounts);
      expect(after.n).toBe(before.n);
    });
  }

  it("answers a callback nobody started with a clear page", async () => {
    const hop = await new CookieClient().request(`${down.url}/logg-inn/oidc/callback?code=abc&state=def`);
    expect(hop.status).toBe(400);
    expect(hop.body).toContain("Innloggingen er utløpt eller allerede fullført");
  });
});

describe("an instance without OIDC", () => {
  let inst: TestInstance;
  beforeAll(async () => {
    inst = await startTestInstance({});
  });
  afterAll(() => inst?.close());

  it("says sign-in with the municipality's account is not set up", async () => {
    const hop = await new CookieClient().request(`${inst.url}/logg-inn/oidc`);
    expect(hop.status).toBe(404);
    expect(hop.body).toContain("Innlogging med kommunens konto er ikke satt opp");
  });
});
