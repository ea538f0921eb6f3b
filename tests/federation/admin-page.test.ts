import { createServer as createHttpServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { freePort, type TestInstance } from "../helpers/instance.ts";
import { csrfFrom, signInAdmin, type Agent } from "../http/pages-support.ts";
import { addEditor, signIn } from "../http/pages-support.ts";
import { addFollowerAt, api, eventually, follow, listenOnLoopback, publish, startMunicipality } from "./helpers.ts";

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

  it("shows each failing receiver under its own host, why in plain words, whether it is paused and when the next try is; the log has one line per failure", async () => {
    const lines: string[] = [];
    const capture = (...args: unknown[]) => void lines.push(args.map(String).join(" | "));
    const spies = [vi.spyOn(console, "error").mockImplementation(capture), vi.spyOn(console, "log").mockImplementation(capture)];
    const c = await startMunicipality("hvaler", { env: { KOMINN_LOG_LEVEL: "info" } });
    const servers: Server[] = [];
    try {
      const listen = (server: Server) => (servers.push(server), listenOnLoopback(server));
      const busy = await listen(createHttpServer((_req, res) => res.writeHead(503, "Service Unavailable").end("<html>overloaded</html>")));
      const dead = `http://127.0.0.1:${await freePort()}`;
      for (const [name, base] of Object.entries({ busy, dead })) await addFollowerAt(c.ctx.db, base, name);
      for (const title of ["Felles vikarpool", "Digital postkasse", "Felles innkjøp av el-sykler"]) await publish(c, { title });

      const { agent: cAgent } = await signInAdmin(c);
      const section = (page: string) => page.slice(page.indexOf('id="feil"'));
      // Three failures open a host's circuit (fastTuning): both hosts end up paused.
      const page = await eventually(async () => {
        const text = section((await cAgent.get("/admin/foderasjon")).text);
        return (text.match(/<tr class="delivery-paused">/g) ?? []).length === 2 && text;
      }, 30_000);
      const row = (host: string) => page.slice(page.indexOf(`>${host}</th>`)).split("</tr>")[0];
      const deadRow = row(new URL(dead).host);
      const busyRow = row(new URL(busy).host);
      expect(page).not.toContain("ukjent");
      expect(deadRow).toContain("Mottakeren tok ikke imot tilkoblingen");
      expect(busyRow).toContain("Mottakeren er midlertidig utilgjengelig (HTTP 503)");
      for (const r of [deadRow, busyRow]) {
        expect(r).toContain("På pause");
        // The next try is named, with the time it is due.
        expect(r).toMatch(/data-label="Neste forsøk"><span>(nå|om \d+ (s|min)) <span class="muted">\(<time datetime="[^"]+">kl\. /);
        expect(r).toMatch(/data-label="Venter"><span>\d+ leveranse/);
      }
      // Plain words, not the raw error.
      expect(page).not.toMatch(/ECONNREFUSED|Service Unavailable|overloaded|fetch failed|Failed to send/);

      // The log: one line per failure, naming the inbox and the cause, never a stack trace.
      const failures = lines.filter((l) => l.includes("delivery of") && l.includes(" failed"));
      expect(failures.some((l) => l.includes(`${dead}/users/dead/inbox`) && l.includes("refused: "))).toBe(true);
      expect(failures.some((l) => l.includes(`${busy}/users/busy/inbox`) && l.includes("http 503: Service Unavailable"))).toBe(true);
      for (const l of failures) expect(l).not.toMatch(/\n| \| /);
      expect(lines.filter((l) => /\n\s+at /.test(l))).toEqual([]);
    } finally {
      for (const spy of spies) spy.mockRestore();
      for (const s of servers) s.closeAllConnections();
      await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
      await c.close();
    }
  }, 60_000);

  it("is for administrators only", async () => {
    const editor = await addEditor(b, "redaktor@sarpsborg.test");
    const { agent: editorAgent } = await signIn(b, editor.email, editor.password);
    expect((await editorAgent.get("/admin/foderasjon")).status).toBe(403);
    expect((await fetch(`${b.url}/admin/foderasjon`, { redirect: "manual" })).status).toBe(303);
  });
});
