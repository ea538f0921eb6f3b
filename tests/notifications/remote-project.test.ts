import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { drivers } from "../helpers/databases.ts";
import type { TestInstance } from "../helpers/instance.ts";
import { rowsOf } from "../../db/client.ts";
import { signInAdmin } from "../http/pages-support.ts";
import { api, eventually, publish, startMunicipality } from "../federation/helpers.ts";
import { notificationsSeen } from "./helpers.ts";

// Two real instances on loopback: Fredrikstad's staff follow one project of Sarpsborg's, which Fredrikstad does not follow.
describe.each(drivers)("following another municipality's project (%s)", (driver) => {
  let fredrikstad: TestInstance;
  let sarpsborg: TestInstance;

  beforeAll(async () => {
    [fredrikstad, sarpsborg] = await Promise.all([startMunicipality("fredrikstad", { driver }), startMunicipality("sarpsborg", { driver })]);
  });
  afterAll(async () => {
    await Promise.all([fredrikstad?.close(), sarpsborg?.close()]);
  });

  it("follows Sarpsborg on the staff member's behalf, says why, and tells them when the project moves to a new phase", async () => {
    const project = await publish(sarpsborg, { title: "Felles legevakt i Nedre Glomma", phase: "test", serviceAreas: ["helse-omsorg"] });
    const { agent, csrf } = await signInAdmin(fredrikstad);
    await agent.post("/varsler/folg").type("form").send({ _csrf: csrf, kind: "project", target: project.url, neste: "/varsler" }).expect(303);

    // The instance now follows Sarpsborg, and its follow is accepted.
    const follows = await eventually(async () => {
      const { json } = await api(fredrikstad, "GET", "/api/v1/follows");
      const row = json.items.find((f: { actorUrl: string; status: string }) => f.actorUrl === sarpsborg.municipality!.actorUrl);
      return row?.status === "accepted" ? row : undefined;
    });
    expect(follows).toBeTruthy();
    const page = await agent.get("/varsler").expect(200);
    expect(page.text).toContain("Instansen følger Sarpsborg kommune fordi Anne Admin følger prosjektet «Felles legevakt i Nedre Glomma».");

    const changed = await api(sarpsborg, "PATCH", `/api/v1/projects/${project.id}`, { phase: "skalering" });
    expect(changed.status).toBe(200);
    const row = await eventually(async () => {
      const rows = (await notificationsSeen(fredrikstad)).filter((n) => n.kind === "phase").map(({ title, reason }) => ({ title, reason }));
      return rows[0];
    }, 30_000);
    expect(row).toEqual({ title: "Felles legevakt i Nedre Glomma", reason: "Fasen er endret fra Test til Skalering." });
  });
});
