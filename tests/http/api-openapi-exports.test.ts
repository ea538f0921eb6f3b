import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import type { Express } from "express";
import { drivers } from "../helpers/databases.ts";
import { startTestInstance, type TestInstance } from "../helpers/instance.ts";
import { addProject } from "./pages-support.ts";

interface RouterLayer {
  rawPath?: unknown;
  route?: { path: string | string[]; methods: Record<string, boolean> };
  handle?: { stack?: RouterLayer[] };
}

/** Every "METHOD /path" the app serves, read from Express's own routing table (mounted routers included). */
function servedRoutes(app: Express): string[] {
  const out: string[] = [];
  const walk = (stack: RouterLayer[], base: string) => {
    for (const layer of stack) {
      const mount = typeof layer.rawPath === "string" && layer.rawPath !== "/" ? layer.rawPath : "";
      if (layer.route) {
        const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
        for (const method of Object.keys(layer.route.methods).filter((m) => m !== "_all")) {
          for (const path of paths) out.push(`${method.toUpperCase()} ${base}${path}`);
        }
      } else if (layer.handle?.stack) {
        walk(layer.handle.stack, base + mount);
      }
    }
  };
  walk((app as unknown as { router: { stack: RouterLayer[] } }).router.stack, "");
  return out;
}

// Issue 15, finding 11: the OpenAPI document lists every API route; exports Norwegians open.
describe.each(drivers)("the API's description and exports on %s", (driver) => {
  let inst: TestInstance;

  beforeAll(async () => {
    inst = await startTestInstance({ driver });
    await addProject(inst, { title: "Fallsensorer; for eldre", summary: "Sensorer, varsling og trygghet", published: true });
  });
  afterAll(() => inst?.close());

  it("documents in openapi.json every route the app serves under /api/v1", async () => {
    const doc = (await request(inst.app).get("/api/v1/openapi.json").expect(200)).body as { paths: Record<string, Record<string, unknown>> };
    const api = servedRoutes(inst.app).filter((r) => r.split(" ")[1].startsWith("/api/v1/"));
    expect(api).toContain("POST /api/v1/follows/bulk");
    expect(api.length).toBeGreaterThan(15);
    const missing = api.filter((r) => {
      const [method, path] = r.split(" ");
      const documented = path.slice("/api/v1".length).replace(/:([A-Za-z]+)/g, "{$1}");
      return !doc.paths[documented]?.[method.toLowerCase()];
    });
    expect(missing).toEqual([]);
  });

  it("exports CSV with semicolons for Excel on request, with a byte order mark and quoted semicolons", async () => {
    const comma = await request(inst.app).get("/api/v1/export.csv").expect(200);
    expect(comma.text.startsWith("\uFEFFid,url,")).toBe(true);
    const excel = await request(inst.app).get("/api/v1/export.csv?delimiter=semicolon").buffer(true).expect(200);
    expect(excel.headers["content-type"]).toMatch(/text\/csv; charset=utf-8/);
    expect(excel.headers["content-disposition"]).toContain("kominn-prosjekter-excel.csv");
    const [header, row] = excel.text.replace(/^\uFEFF/, "").split("\r\n");
    expect(header.split(";").slice(0, 4)).toEqual(["id", "url", "opprinnelse", "kommune"]);
    expect(row).toContain(';"Fallsensorer; for eldre";"Sensorer, varsling og trygghet";');
    await request(inst.app).get("/api/v1/export.csv?delimiter=tab").expect(400);
  });

  it("names a contact point in the DCAT catalogue", async () => {
    const catalog = (await request(inst.app).get("/api/v1/catalog").expect(200)).body;
    expect(catalog["dcat:dataset"]["dcat:contactPoint"]).toMatchObject({
      "@type": "vcard:Organization",
      "vcard:fn": "Fredrikstad kommune",
      "vcard:hasURL": { "@id": expect.stringMatching(/^https?:\/\//) },
    });
  });
});
