import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AggregatorPublishesNoProjectsError } from "../../services/projects.ts";
import type { TestInstance } from "../helpers/instance.ts";
import { startAggregator } from "../federation/aggregator-helpers.ts";
import { api, startMunicipality } from "../federation/helpers.ts";
import { signInAdmin, type Agent } from "../http/pages-support.ts";

// "An aggregator publishes no projects" lives in the project service: every
// way in (a script, the API, a form, imitating) is refused there, with a 409.
describe("the aggregator publishes no projects of its own", () => {
  let ks: TestInstance;
  let a: TestInstance;
  let admin: { agent: Agent; csrf: string };

  beforeAll(async () => {
    [ks, a] = await Promise.all([startAggregator(), startMunicipality("fredrikstad")]);
    admin = await signInAdmin(ks);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([ks?.close(), a?.close()]);
  });

  it("the project service refuses to create one, whoever calls it", async () => {
    const actor = { accountId: null, name: "skript" };
    await expect(ks.ctx.projects.create(ks.municipality!, { title: "Noe", summary: "Noe", phase: "ide" }, actor)).rejects.toBeInstanceOf(
      AggregatorPublishesNoProjectsError,
    );
    expect((await api(ks, "GET", "/api/v1/projects?origin=local")).json.total).toBe(0);
  });

  it("the API and the staff pages answer 409 with the reason", async () => {
    const created = await api(ks, "POST", "/api/v1/projects", { title: "Noe", summary: "Noe", phase: "ide" });
    expect(created.status).toBe(409);
    expect(created.json.error.message).toContain("samleinstans");

    const original = (await api(a, "POST", "/api/v1/projects", { title: "Delt", summary: "Noe", phase: "ide", published: true })).json;
    const imitated = await api(ks, "POST", "/api/v1/imitations", { original: original.url });
    expect(imitated.status).toBe(409);

    const form = await admin.agent.post("/admin/imitasjoner").type("form").send({ _csrf: admin.csrf, original: original.url });
    expect(form.status).toBe(409);
    expect(form.text).toContain("samleinstans");
    expect((await api(ks, "GET", "/api/v1/projects?origin=local")).json.total).toBe(0);
  });
});
