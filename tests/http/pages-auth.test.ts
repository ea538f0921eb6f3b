import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { drivers } from "../helpers/databases.ts";
import { startTestInstance, type TestInstance } from "../helpers/instance.ts";
import { listProjects } from "../../db/projects.ts";
import { listDomainBlocks } from "../../db/domain-blocks.ts";
import { addEditor, csrfFrom, expectNb, signIn, signInAdmin } from "./pages-support.ts";

describe.each(drivers)("sign-in, sign-out and CSRF on %s", (driver) => {
  let inst: TestInstance;
  let clock = Date.now();

  beforeAll(async () => {
    inst = await startTestInstance({ driver, now: () => clock });
  });
  afterAll(() => inst?.close());

  async function loginForm() {
    const agent = request.agent(inst.url);
    const page = await agent.get("/logg-inn").expect(200);
    return { agent, csrf: csrfFrom(page.text), page };
  }

  it("signs in with the right password, goes to a local `neste` path, and signs out", async () => {
    const { agent, csrf, page } = await loginForm();
    expectNb(page.text);
    const res = await agent.post("/logg-inn").type("form")
      .send({ _csrf: csrf, email: "ADMIN@fredrikstad.test", password: inst.adminPassword, neste: "/prosjekter?phase=drift" })
      .expect(303);
    expect(res.headers.location).toBe("/prosjekter?phase=drift");
    const cookie = String(res.headers["set-cookie"]);
    expect(cookie).toMatch(/kominn_session=[^;]+;.*HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);

    const mine = await agent.get("/admin/prosjekter").expect(200);
    expect(mine.text).toContain("Mine prosjekter");
    expect(mine.text).toContain("Anne Admin");
    await agent.post("/logg-ut").type("form").send({ _csrf: csrfFrom(mine.text) }).expect(303).expect("location", "/");
    await agent.get("/admin/prosjekter").expect(303).expect("location", "/logg-inn?neste=%2Fadmin%2Fprosjekter");
  });

  it("brings a visitor back to the staff page they asked for, and refuses sign-out without a token", async () => {
    const agent = request.agent(inst.url);
    const redirect = await agent.get("/admin/prosjekter/ny").expect(303);
    expect(redirect.headers.location).toBe("/logg-inn?neste=%2Fadmin%2Fprosjekter%2Fny");
    const login = await agent.get(redirect.headers.location).expect(200);
    expect(login.text).toContain('name="neste" value="/admin/prosjekter/ny"');
    const done = await agent.post("/logg-inn").type("form")
      .send({ _csrf: csrfFrom(login.text), email: inst.admin!.email, password: inst.adminPassword, neste: "/admin/prosjekter/ny" }).expect(303);
    expect(done.headers.location).toBe("/admin/prosjekter/ny");
    await agent.post("/logg-ut").type("form").send({}).expect(403);
    await agent.get("/admin/prosjekter").expect(200);
  });

  it("never redirects to another site after sign-in", async () => {
    for (const neste of ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)"]) {
      const { agent, csrf } = await loginForm();
      const res = await agent.post("/logg-inn").type("form")
        .send({ _csrf: csrf, email: inst.admin!.email, password: inst.adminPassword, neste }).expect(303);
      expect(res.headers.location).toBe("/admin/prosjekter");
    }
  });

  it("tells a wrong password and an unknown e-mail apart from nothing", async () => {
    const { agent, csrf } = await loginForm();
    const wrong = await agent.post("/logg-inn").type("form").send({ _csrf: csrf, email: "nobody@fredrikstad.test", password: "feil-passord" }).expect(401);
    expect(wrong.text).toContain("Feil e-post eller passord.");
    expect(wrong.text).toContain('value="nobody@fredrikstad.test"');
    const empty = await agent.post("/logg-inn").type("form").send({ _csrf: csrf, email: "", password: "" }).expect(400);
    expect(empty.text).toContain('aria-describedby="f-email-feil"');
    expect(empty.text).toContain('href="#f-password"');
  });

  it("limits wrong passwords: 429 with Retry-After after repeated failures, then works again later", async () => {
    const { agent, csrf } = await loginForm();
    const statuses: number[] = [];
    let last: request.Response | undefined;
    for (let i = 0; i < 20; i++) {
      last = await agent.post("/logg-inn").type("form").send({ _csrf: csrf, email: inst.admin!.email, password: `feil-${i}` });
      statuses.push(last.status);
    }
    expect(statuses.slice(0, 5).every((s) => s === 401)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
    expect(Number(last!.headers["retry-after"])).toBeGreaterThan(0);
    expect(last!.text).toContain("For mange mislykkede forsøk");
    // Even the right password is refused while limited.
    await agent.post("/logg-inn").type("form").send({ _csrf: csrf, email: inst.admin!.email, password: inst.adminPassword }).expect(429);

    clock += 16 * 60 * 1000;
    await agent.post("/logg-inn").type("form").send({ _csrf: csrf, email: inst.admin!.email, password: inst.adminPassword }).expect(303);
  });

  it("refuses posts without or with a forged CSRF token, and stores nothing", async () => {
    const { agent, csrf } = await signInAdmin(inst);
    const before = (await listProjects(inst.ctx.db, { includeDrafts: true })).total;
    const form = { title: "Forfalsket", summary: "Skulle ikke lagres", phase: "ide" };
    const missing = await agent.post("/admin/prosjekter/ny").type("form").send(form).expect(403);
    expectNb(missing.text);
    expect(missing.text).toContain("Skjemaet er utløpt");
    await agent.post("/admin/prosjekter/ny").type("form").send({ ...form, _csrf: "forfalsket" }).expect(403);
    await agent.post("/admin/prosjekter/ny").type("form").send({ ...form, _csrf: `${csrf.slice(0, -2)}xx` }).expect(403);
    // A token from another visitor's session does not work either.
    const other = await loginForm();
    await agent.post("/admin/prosjekter/ny").type("form").send({ ...form, _csrf: other.csrf }).expect(403);
    // Sign-in without a token is refused too.
    await request(inst.url).post("/logg-inn").type("form").send({ email: inst.admin!.email, password: inst.adminPassword }).expect(403);
    expect((await listProjects(inst.ctx.db, { includeDrafts: true })).total).toBe(before);

    await agent.post("/admin/prosjekter/ny").type("form").send({ ...form, _csrf: csrf }).expect(303);
    expect((await listProjects(inst.ctx.db, { includeDrafts: true })).total).toBe(before + 1);
  });

  it("refuses on a signed-in session a token bound to an anonymous cookie planted by a sibling host", async () => {
    // The attacker controls a sibling host (sarpsborg.<domain> next to fredrikstad.<domain>),
    // which may set a cookie for the parent domain. They pick the anonymous cookie's
    // value and read its token from our sign-in page.
    const planted = "angriperens-valgte-anonyme-informasjonskapsel";
    const attackerPage = await request(inst.url).get("/logg-inn").set("Cookie", `kominn_anon=${planted}`).expect(200);
    const plantedToken = csrfFrom(attackerPage.text);

    const { agent } = await signInAdmin(inst);
    const session = agent.jar.getCookie("kominn_session", { domain: "127.0.0.1", path: "/", secure: false, script: false })!.value;
    const asVictim = () => request(inst.url).post("/admin/foderasjon/blokker").type("form").set("Cookie", `kominn_session=${session}; kominn_anon=${planted}`);
    const refused = await asVictim().send({ _csrf: plantedToken, domain: "sarpsborg.test", reason: "forfalsket" }).expect(403);
    expectNb(refused.text);
    expect(refused.text).toContain("Skjemaet er utløpt");
    expect((await listDomainBlocks(inst.ctx.db)).map((b) => b.domain)).not.toContain("sarpsborg.test");

    // A token of another signed-in session (the same administrator in another browser) is refused too.
    const other = await signInAdmin(inst);
    await asVictim().send({ _csrf: other.csrf, domain: "sarpsborg.test", reason: "forfalsket" }).expect(403);
    expect((await listDomainBlocks(inst.ctx.db)).map((b) => b.domain)).not.toContain("sarpsborg.test");
  });

  it("rotates the token at sign-in: the anonymous token and cookie stop working, and each sign-in has its own", async () => {
    const agent = request.agent(inst.url);
    const login = await agent.get("/logg-inn").expect(200);
    const anonToken = csrfFrom(login.text);
    const signedIn = await agent.post("/logg-inn").type("form")
      .send({ _csrf: anonToken, email: inst.admin!.email, password: inst.adminPassword }).expect(303);
    // The anonymous cookie goes at sign-in.
    expect(String(signedIn.headers["set-cookie"])).toMatch(/kominn_anon=;/);
    const first = csrfFrom((await agent.get("/admin/prosjekter").expect(200)).text);
    expect(first).not.toBe(anonToken);
    const form = { title: "Med gammel nøkkel", summary: "Skulle ikke lagres", phase: "ide" };
    await agent.post("/admin/prosjekter/ny").type("form").send({ ...form, _csrf: anonToken }).expect(403);

    // Signed out, the old session's token is dead; signed in again, a new one works.
    await agent.post("/logg-ut").type("form").send({ _csrf: first }).expect(303);
    const again = await agent.get("/logg-inn").expect(200);
    await agent.post("/logg-inn").type("form")
      .send({ _csrf: csrfFrom(again.text), email: inst.admin!.email, password: inst.adminPassword }).expect(303);
    const second = csrfFrom((await agent.get("/admin/prosjekter").expect(200)).text);
    expect(second).not.toBe(first);
    await agent.post("/admin/prosjekter/ny").type("form").send({ ...form, _csrf: first }).expect(403);
    await agent.post("/admin/prosjekter/ny").type("form").send({ ...form, title: "Med ny nøkkel", _csrf: second }).expect(303);
  });

  /** One sign-in attempt as a browser at `address` (the proxy in front of us names it in X-Forwarded-For). */
  async function attempt(address: string, email: string, password: string, agent = request.agent(inst.url)) {
    const page = await agent.get("/logg-inn").set("X-Forwarded-For", address).expect(200);
    return agent.post("/logg-inn").set("X-Forwarded-For", address).type("form").send({ _csrf: csrfFrom(page.text), email, password });
  }

  it("checks at most the limit of passwords when 150 guesses arrive at once", async () => {
    const victim = await addEditor(inst, "parallell@fredrikstad.test", "parallell-passord-1");
    const agent = request.agent(inst.url);
    const page = await agent.get("/logg-inn").expect(200);
    const csrf = csrfFrom(page.text);
    const answers = await Promise.all(Array.from({ length: 150 }, (_, i) =>
      agent.post("/logg-inn").set("X-Forwarded-For", "203.0.113.7").type("form").send({ _csrf: csrf, email: victim.email, password: `gjetning-${i}` })));
    const statuses = answers.map((a) => a.status);
    // A 401 is a password checked and found wrong; a 429 is a guess refused unchecked.
    const checked = statuses.filter((s) => s === 401).length;
    expect(checked).toBeGreaterThan(0);
    expect(checked).toBeLessThanOrEqual(10);
    expect(statuses.filter((s) => s === 429).length).toBe(150 - checked);
  });

  it("throttles guesses from many addresses without locking the owner out", async () => {
    const owner = await addEditor(inst, "eier@fredrikstad.test", "eierens-passord-1");
    // The owner has signed in from this browser before, and signed out.
    const browser = request.agent(inst.url);
    await attempt("192.0.2.10", owner.email, owner.password, browser).then((r) => expect(r.status).toBe(303));
    const mine = await browser.get("/admin/prosjekter").expect(200);
    await browser.post("/logg-ut").type("form").send({ _csrf: csrfFrom(mine.text) }).expect(303);

    // One address that keeps guessing is stopped, even with the right password.
    for (let i = 0; i < 10; i++) expect((await attempt("198.51.100.1", owner.email, `feil-${i}`)).status).toBe(401);
    expect((await attempt("198.51.100.1", owner.email, "feil-10")).status).toBe(429);
    expect((await attempt("198.51.100.1", owner.email, owner.password)).status).toBe(429);

    // Guesses from twenty other addresses at once: the account is now throttled, so at most one more password is checked.
    const spread = await Promise.all(Array.from({ length: 20 }, (_, i) => attempt(`198.51.100.${100 + i}`, owner.email, `spredt-${i}`)));
    expect(spread.filter((r) => r.status === 401).length).toBeLessThanOrEqual(1);
    const slowed = spread.find((r) => r.status === 429)!;
    expect(slowed.text).toContain("For mange mislykkede forsøk");
    const wait = Number(slowed.headers["retry-after"]);
    // Slowed down, not locked out for the whole window.
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(30);

    // The owner's own browser gets in at once.
    expect((await attempt("192.0.2.11", owner.email, owner.password, browser)).status).toBe(303);

    // From a new browser at a new address the owner waits at most the few seconds named, then gets in.
    const fresh = await attempt("192.0.2.12", owner.email, owner.password);
    if (fresh.status === 429) {
      clock += Number(fresh.headers["retry-after"]) * 1000;
      expect((await attempt("192.0.2.12", owner.email, owner.password)).status).toBe(303);
    } else {
      expect(fresh.status).toBe(303);
    }
  });
});
