import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../core/config.ts";

describe("configuration from the environment", () => {
  it("has embedded defaults: port 3000, PGlite in ./data, a municipality", () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ port: 3000, origin: "http://localhost:3000", dataDir: "./data", databaseUrl: undefined, role: "municipality", secureCookies: false });
  });

  it("turns on Secure cookies behind an https origin and strips a trailing slash", () => {
    const c = loadConfig({ KOMINN_ORIGIN: "https://innovasjon.sarpsborg.kommune.no/" });
    expect(c.origin).toBe("https://innovasjon.sarpsborg.kommune.no");
    expect(c.secureCookies).toBe(true);
  });

  it("names every bad variable", () => {
    let error: unknown;
    try {
      loadConfig({ PORT: "åtte", KOMINN_ORIGIN: "ftp://x", DATABASE_URL: "mysql://x", KOMINN_ROLE: "fylke" });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    for (const name of ["PORT", "KOMINN_ORIGIN", "DATABASE_URL", "KOMINN_ROLE"]) expect((error as Error).message).toContain(name);
  });
});
