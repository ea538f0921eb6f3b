import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestInstance } from "../helpers/instance.ts";
import { csrfFrom, signInAdmin, type Agent } from "../http/pages-support.ts";
import { addEditor, signIn } from "../http/pages-support.ts";
import { api, eventually, follow, startMunicipality } from "./helpers.ts";

describe("the federation admin page", () => {
  let a: TestInstance;
  let b: TestInstance;
  let agent: Agent;
  let csrf: string;

  beforeAll(async () => {
    [a, b] = await Promise.all([startMunicipality("fredrikstad"), startMunicipality("sarpsborg")]);
    ({ agent, csrf } = await signInAdmin(b));
  }, 60_000);
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
  });

  it("follows a municipality by address and shows its status", async () => {
    const bad = await agent.post("/admin/foderasjon/folg").type("form").send({ _csrf: csrf, target: "hei" });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain("@navn@domene");
    expect((await api(b, "GET", "/api/v1/follows")).json.items).toEqual([]);

    const handle = `@fredrikstad@${new URL(a.url).host}`;
    await agent.post("/admin/foderasjon/folg").type("form").send({ _csrf: csrf, target: handle }).expect(303);
    await eventually(async () => (await agent.get("/admin/foderasjon")).text.includes("Godtatt"));
    const page = await agent.get("/admin/foderasjon").expect(200);
    expect(page.text).toContain(handle);
    expect(page.text).toContain("Fredrikstad kommune");
  });

  it("refuses a form without a CSRF token and changes nothing", async () => {
    const r = await agent.post("/admin/foderasjon/blokker").type("form").send({ domain: "spam.example" });
    expect(r.status).toBe(403);
    expect((await agent.get("/admin/foderasjon")).text).not.toContain("spam.example");
  });

  it("holds incoming follows for approval when set, and an administrator approves or removes followers", async () => {
    const { agent: aAgent, csrf: aCsrf } = await signInAdmin(a);
    await aAgent.post("/admin/foderasjon/innstillinger").type("form").send({ _csrf: aCsrf, approveFollowers: "ja", backfillLimit: "50" }).expect(303);
    const badLimit = await aAgent.post("/admin/foderasjon/innstillinger").type("form").send({ _csrf: aCsrf, backfillLimit: "mange" });
    expect(badLimit.status).toBe(400);
    expect(badLimit.text).toContain("mellom 0 og 1000");

    // b (already following) stays; a new follower from b's side after unfollow+refollow waits.
    const follows = (await api(b, "GET", "/api/v1/follows")).json.items;
    await api(b, "DELETE", `/api/v1/follows/${follows[0].id}`);
    await eventually(async () => !(await aAgent.get("/admin/foderasjon")).text.includes("Sarpsborg kommune"));
    const again = await api(b, "POST", "/api/v1/follows", { target: a.municipality!.actorUrl });
    expect(again.status).toBe(201);
    const pendingPage = await eventually(async () => {
      const p = (await aAgent.get("/admin/foderasjon")).text;
      return p.includes("Venter på godkjenning") && p;
    });
    const approve = /action="(\/admin\/foderasjon\/folgere\/[a-z0-9]+\/godkjenn)"/.exec(pendingPage)![1];
    await aAgent.post(approve).type("form").send({ _csrf: csrfFrom(pendingPage) }).expect(303);
    await eventually(async () => (await api(b, "GET", `/api/v1/follows/${again.json.id}`)).json.status === "accepted");

    const page = (await aAgent.get("/admin/foderasjon")).text;
    const remove = /action="(\/admin\/foderasjon\/folgere\/[a-z0-9]+\/fjern)"/.exec(page)![1];
    await aAgent.post(remove).type("form").send({ _csrf: csrfFrom(page) }).expect(303);
    expect((await aAgent.get("/admin/foderasjon")).text).not.toContain("Sarpsborg kommune");
    await eventually(async () => (await api(b, "GET", `/api/v1/follows/${again.json.id}`)).json.status === "rejected");
  });

  it("blocks domains, imports and exports the list as CSV", async () => {
    const bad = await agent.post("/admin/foderasjon/blokker").type("form").send({ _csrf: csrf, domain: "ikke gyldig!" });
    expect(bad.status).toBe(400);
    await agent.post("/admin/foderasjon/blokker").type("form").send({ _csrf: csrf, domain: "spam.example", reason: "søppel" }).expect(303);
    const badCsv = await agent.post("/admin/foderasjon/blokker/import").type("form").send({ _csrf: csrf, csv: "ok.example\nikke gyldig!" });
    expect(badCsv.status).toBe(400);
    expect(badCsv.text).toContain("linje 2");
    await agent.post("/admin/foderasjon/blokker/import").type("form").send({ _csrf: csrf, csv: "domain,reason\nreklame.example,reklame" }).expect(303);
    const csv = await agent.get("/admin/foderasjon/blokkeringer.csv").expect(200);
    expect(csv.headers["content-type"]).toContain("text/csv");
    expect(csv.text).toBe("domain,reason\nreklame.example,reklame\nspam.example,søppel\n");
  });

  it("shows failing receivers with the last error and the next retry", async () => {
    const { recordDeliveryFailure } = await import("../../db/delivery-state.ts");
    await recordDeliveryFailure(b.ctx.db, "nede.example", "HTTP 503 Service Unavailable", new Date(Date.now() + 60_000));
    const page = (await agent.get("/admin/foderasjon")).text;
    expect(page).toContain("nede.example");
    expect(page).toContain("HTTP 503 Service Unavailable");
  });

  it("is for administrators only", async () => {
    const editor = await addEditor(b, "redaktor@sarpsborg.test");
    const { agent: editorAgent } = await signIn(b, editor.email, editor.password);
    expect((await editorAgent.get("/admin/foderasjon")).status).toBe(403);
    expect((await fetch(`${b.url}/admin/foderasjon`, { redirect: "manual" })).status).toBe(303);
  });
});
