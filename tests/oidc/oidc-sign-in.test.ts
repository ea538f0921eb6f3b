import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { drivers } from "../helpers/databases.ts";
import type { TestInstance } from "../helpers/instance.ts";
import { getAccount, getAccountByEmail, updateAccount } from "../../db/accounts.ts";
import { accountIdentities } from "../../db/schema-oidc.ts";
import { accounts, sessions } from "../../db/schema.ts";
import { CookieClient } from "./cookie-client.ts";
import { adminGroup, editorGroup, startWithProvider, type TestProvider } from "./provider.ts";
import { reachCallback, setsSession, signIn } from "./sign-in-flow.ts";


describe.each(drivers)("staff sign-in through the municipality's identity provider on %s", (driver) => {
  let inst: TestInstance;
  let idp: TestProvider;

  beforeAll(async () => {
    ({ inst, idp } = await startWithProvider({ driver, env: { KOMINN_OIDC_EDITOR_GROUPS: `${editorGroup}, en-annen-gruppe` } }));
    idp.users.set("kari", { name: "Kari Kvam", email: "kari.kvam@fredrikstad.test", groups: [editorGroup] });
    idp.users.set("brit", { name: "Brit Brakstad", email: "ADMIN@fredrikstad.test", groups: [adminGroup] });
  });
  afterAll(async () => {
    await inst?.close();
    await idp?.close();
  });

  const counts = async () => {
    const [a] = await inst.ctx.db.select({ n: sql<number>`count(*)::int` }).from(accounts);
    const [s] = await inst.ctx.db.select({ n: sql<number>`count(*)::int` }).from(sessions);
    const [i] = await inst.ctx.db.select({ n: sql<number>`count(*)::int` }).from(accountIdentities);
    return { accounts: a.n, sessions: s.n, identities: i.n };
  };

  /** A page as the browser sees it, with its cookies. */
  const page = (client: CookieClient, path: string) => client.request(`${inst.url}${path}`);

  it("creates the account on first sign-in with the role its groups give, and signs in", async () => {
    const browser = new CookieClient();
    const done = await signIn(browser, inst.url, "anne");
    expect(done.status, done.body).toBe(303);
    expect(done.location).toBe(`${inst.url}/admin/prosjekter`);
    expect(setsSession(done)).toBe(true);
    expect(browser.cookie("kominn_oidc_flow")).toBeUndefined();

    const anne = await getAccountByEmail(inst.ctx.db, "anne.aasen@fredrikstad.test");
    expect(anne).toMatchObject({ name: "Anne Aasen", role: "admin", passwordHash: null });
    expect(anne!.lastLoginAt).toBeInstanceOf(Date);
    const [identity] = await inst.ctx.db.select().from(accountIdentities).where(eq(accountIdentities.accountId, anne!.id));
    expect(identity).toMatchObject({ issuer: idp.issuer, subject: "anne" });

    const staffList = await page(browser, "/admin/ansatte");
    expect(staffList.status).toBe(200);
    expect(staffList.body).toContain("Anne Aasen");

    const erik = new CookieClient();
    expect((await signIn(erik, inst.url, "erik")).status).toBe(303);
    expect(await getAccountByEmail(inst.ctx.db, "erik.eng@fredrikstad.test")).toMatchObject({ role: "editor", name: "Erik Eng" });
    expect((await page(erik, "/admin/prosjekter")).status).toBe(200);
    expect((await page(erik, "/admin/ansatte")).status).toBe(403);
  });

  it("recomputes the role from the groups at every sign-in", async () => {
    const browser = new CookieClient();
    await signIn(browser, inst.url, "erik");
    const before = (await getAccountByEmail(inst.ctx.db, "erik.eng@fredrikstad.test"))!;
    const n = await counts();

    // Signed out here, still signed in at the provider: no login form the second time.
    const signOutHere = () => browser.store(["kominn_session=; Path=/; Max-Age=0"]);
    signOutHere();
    idp.users.get("erik")!.groups = [editorGroup, adminGroup];
    expect((await signIn(browser, inst.url, "erik")).status).toBe(303);
    const promoted = (await getAccount(inst.ctx.db, before.id))!;
    expect(promoted.role).toBe("admin");
    expect((await page(browser, "/admin/ansatte")).status).toBe(200);

    signOutHere();
    idp.users.get("erik")!.groups = [editorGroup];
    expect((await signIn(browser, inst.url, "erik")).status).toBe(303);
    expect((await getAccount(inst.ctx.db, before.id))!.role).toBe("editor");
    expect((await counts()).accounts).toBe(n.accounts);
  });

  it("refuses someone in neither group with a clear page: no account, no session", async () => {
    const n = await counts();
    const browser = new CookieClient();
    const done = await signIn(browser, inst.url, "ola");
    expect(done.status).toBe(403);
    expect(done.body).toContain("Du har ikke tilgang til portalen");
    expect(setsSession(done)).toBe(false);
    expect(await getAccountByEmail(inst.ctx.db, "ola.olsen@fredrikstad.test")).toBeUndefined();
    expect(await counts()).toEqual(n);
    expect((await page(browser, "/admin/prosjekter")).status).toBe(303);
  });

  it("refuses a sign-in without a groups claim, and one whose groups no longer give access, changing nothing", async () => {
    const n = await counts();
    const gro = await signIn(new CookieClient(), inst.url, "gro");
    expect(gro.status).toBe(403);
    expect(gro.body).toContain("oppga ikke gruppene");
    expect(setsSession(gro)).toBe(false);

    const erikBefore = (await getAccountByEmail(inst.ctx.db, "erik.eng@fredrikstad.test"))!;
    idp.users.get("erik")!.groups = ["alle-ansatte"];
    const erik = await signIn(new CookieClient(), inst.url, "erik");
    idp.users.get("erik")!.groups = [editorGroup];
    expect(erik.status).toBe(403);
    expect(setsSession(erik)).toBe(false);
    expect(await getAccount(inst.ctx.db, erikBefore.id)).toEqual(erikBefore);
    expect(await counts()).toEqual(n);
  });

  it("says what to change at Entra ID when the token leaves out the groups of someone in very many", async () => {
    const n = await counts();
    const erikBefore = (await getAccountByEmail(inst.ctx.db, "erik.eng@fredrikstad.test"))!;
    idp.tokenMode = {
      kind: "rewrite",
      change: ({ groups: _left, ...claims }) => ({
        ...claims,
        _claim_names: { groups: "src1" },
        _claim_sources: { src1: { endpoint: "https://graph.microsoft.com/v1.0/users/erik/getMemberObjects" } },
      }),
    };
    try {
      const done = await signIn(new CookieClient(), inst.url, "erik");
      expect(done.status).toBe(403);
      expect(done.body).toContain("for mange grupper");
      expect(done.body).toContain("Groups assigned to the application");
      expect(setsSession(done)).toBe(false);
    } finally {
      idp.tokenMode = { kind: "normal" };
    }
    expect(await getAccount(inst.ctx.db, erikBefore.id)).toEqual(erikBefore);
    expect(await counts()).toEqual(n);
  });

  it("refuses a disabled account, and never takes over a local account with the same e-mail", async () => {
    const erik = (await getAccountByEmail(inst.ctx.db, "erik.eng@fredrikstad.test"))!;
    await updateAccount(inst.ctx.db, erik.id, { disabledAt: new Date() });
    const n = await counts();
    const disabled = await signIn(new CookieClient(), inst.url, "erik");
    expect(disabled.status).toBe(403);
    expect(disabled.body).toContain("Kontoen din er deaktivert");
    await updateAccount(inst.ctx.db, erik.id, { disabledAt: null });

    const admin = (await getAccountByEmail(inst.ctx.db, "admin@fredrikstad.test"))!;
    const brit = await signIn(new CookieClient(), inst.url, "brit");
    expect(brit.status).toBe(409);
    expect(brit.body).toContain("E-postadressen er allerede i bruk");
    expect(setsSession(brit)).toBe(false);
    expect(await getAccount(inst.ctx.db, admin.id)).toEqual(admin);
    expect(await counts()).toEqual(n);
  });

  it("says so when the person cancels at the provider", async () => {
    const n = await counts();
    const browser = new CookieClient();
    const start = await browser.request(`${inst.url}/logg-inn/oidc`);
    const form = (await browser.follow(start.location!)).at(-1)!;
    const abort = /href="([^"]*abort[^"]*)"/.exec(form.body)![1];
    const hops = await browser.follow(new URL(abort.replaceAll("&amp;", "&"), form.url).href);
    const done = hops.at(-1)!;
    expect(done.url.startsWith(`${inst.url}/logg-inn/oidc/callback`)).toBe(true);
    expect(done.status).toBe(400);
    expect(done.body).toContain("Innloggingen ble avbrutt");
    expect(setsSession(done)).toBe(false);
    expect(await counts()).toEqual(n);
  });

  it("creates one account when the same person's first sign-in arrives twice at once", async () => {
    idp.users.set("siri", { name: "Siri Sand", email: "siri.sand@fredrikstad.test", groups: [editorGroup] });
    const [a, b] = [new CookieClient(), new CookieClient()];
    const urls = await Promise.all([reachCallback(a, inst.url, "siri"), reachCallback(b, inst.url, "siri")]);
    const [ra, rb] = await Promise.all([a.request(urls[0]), b.request(urls[1])]);
    expect([ra.status, rb.status]).toEqual([303, 303]);
    const siri = (await getAccountByEmail(inst.ctx.db, "siri.sand@fredrikstad.test"))!;
    const ids = await inst.ctx.db.select().from(accountIdentities).where(eq(accountIdentities.accountId, siri.id));
    expect(ids).toHaveLength(1);
  });

  it("ignores a flow cookie that was tampered with", async () => {
    const n = await counts();
    const browser = new CookieClient();
    const url = await reachCallback(browser, inst.url, "anne");
    const [payload, mac] = browser.cookie("kominn_oidc_flow")!.split(".");
    const flow = JSON.parse(Buffer.from(payload, "base64url").toString());
    const forged = Buffer.from(JSON.stringify({ ...flow, next: "/admin/ansatte" })).toString("base64url");
    browser.store([`kominn_oidc_flow=${forged}.${mac}; Path=/logg-inn/oidc`]);
    const done = await browser.request(url);
    expect(done.status).toBe(400);
    expect(done.body).toContain("Innloggingen er utløpt eller allerede fullført");
    expect(setsSession(done)).toBe(false);
    expect(await counts()).toEqual(n);
  });

  it("refuses a wrong state and a replayed callback", async () => {
    const n = await counts();
    const browser = new CookieClient();
    const callback = new URL(await reachCallback(browser, inst.url, "kari"));
    callback.searchParams.set("state", "en-helt-annen-tilstand-som-ikke-passer");
    const wrong = await browser.request(callback.href);
    expect(wrong.status).toBe(400);
    expect(wrong.body).toContain("Innloggingen kunne ikke bekreftes");
    expect(setsSession(wrong)).toBe(false);
    expect(await counts()).toEqual(n);

    // A successful sign-in, then the same callback again: once with the jar as the
    // browser left it (flow cookie gone), once with the old flow cookie put back.
    const anne = new CookieClient();
    const url = await reachCallback(anne, inst.url, "anne");
    const flowCookie = anne.cookie("kominn_oidc_flow")!;
    expect((await anne.request(url)).status).toBe(303);
    const afterFirst = await counts();

    const replay = await new CookieClient().request(url);
    expect(replay.status).toBe(400);
    expect(replay.body).toContain("Innloggingen er utløpt eller allerede fullført");
    expect(setsSession(replay)).toBe(false);

    const thief = new CookieClient();
    thief.store([`kominn_oidc_flow=${flowCookie}; Path=/logg-inn/oidc`]);
    const reused = await thief.request(url);
    expect(reused.status).toBe(400);
    expect(reused.body).toContain("Innloggingen ble avvist");
    expect(setsSession(reused)).toBe(false);
    expect(await counts()).toEqual(afterFirst);
  });

  it("refuses an ID token with the wrong nonce, issuer or audience, or one that has expired", async () => {
    const anneBefore = (await getAccountByEmail(inst.ctx.db, "anne.aasen@fredrikstad.test"))!;
    const n = await counts();
    const now = Math.floor(Date.now() / 1000);
    const cases: { label: string; detail: string; run: (b: CookieClient, login: string) => Promise<import("./cookie-client.ts").Hop> }[] = [
      {
        label: "nonce",
        detail: "nonce",
        run: (b, login) => signIn(b, inst.url, login, { editAuthorizeUrl: (u) => u.searchParams.set("nonce", "en-annen-engangsverdi-0123456789") }),
      },
      ...(
        [
          ["issuer", "utstederen", (c: Record<string, unknown>) => ({ ...c, iss: "http://127.0.0.1:9/en-annen-utsteder" })],
          ["audience", "annen klient", (c: Record<string, unknown>) => ({ ...c, aud: "en-annen-app" })],
          ["expiry", "utløpt", (c: Record<string, unknown>) => ({ ...c, iat: now - 7200, exp: now - 3600 })],
        ] as const
      ).map(([label, detail, change]) => ({
        label,
        detail,
        run: async (b: CookieClient, login: string) => {
          idp.tokenMode = { kind: "rewrite", change };
          try {
            return await signIn(b, inst.url, login);
          } finally {
            idp.tokenMode = { kind: "normal" };
          }
        },
      })),
    ];
    for (const c of cases) {
      for (const login of ["kari", "anne"]) {
        const done = await c.run(new CookieClient(), login);
        expect(done.status, `${c.label} ${login}`).toBe(400);
        expect(done.body).toContain("Innloggingen ble avvist");
        expect(done.body).toContain(c.detail);
        expect(setsSession(done)).toBe(false);
      }
    }
    expect(await getAccountByEmail(inst.ctx.db, "kari.kvam@fredrikstad.test")).toBeUndefined();
    expect(await getAccount(inst.ctx.db, anneBefore.id)).toEqual(anneBefore);
    expect(await counts()).toEqual(n);

    // The same person gets in once the tokens are right again.
    expect((await signIn(new CookieClient(), inst.url, "kari")).status).toBe(303);
    expect(await getAccountByEmail(inst.ctx.db, "kari.kvam@fredrikstad.test")).toMatchObject({ role: "editor" });
  });

  it("shows a clear page when the provider answers garbage at its token endpoint", async () => {
    const n = await counts();
    idp.tokenMode = { kind: "garbage" };
    try {
      const done = await signIn(new CookieClient(), inst.url, "anne");
      expect(done.status).toBe(502);
      expect(done.body).toContain("Fikk ikke kontakt med kommunens innloggingstjeneste");
      expect(setsSession(done)).toBe(false);
    } finally {
      idp.tokenMode = { kind: "normal" };
    }
    expect(await counts()).toEqual(n);
  });

  it("keeps password sign-in for the local administrator", async () => {
    const browser = new CookieClient();
    const login = await page(browser, "/logg-inn");
    const csrf = /name="_csrf" value="([^"]+)"/.exec(login.body)![1];
    const done = await browser.request(`${inst.url}/logg-inn`, {
      form: { _csrf: csrf, email: "admin@fredrikstad.test", password: inst.adminPassword },
    });
    expect(done.status).toBe(303);
    expect(setsSession(done)).toBe(true);
  });

  it("signs out locally and sends the browser on to the provider's end-session endpoint", async () => {
    const browser = new CookieClient();
    await signIn(browser, inst.url, "anne");
    const signedIn = await page(browser, "/admin/prosjekter");
    expect(signedIn.status).toBe(200);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(signedIn.body)![1];
    const out = await browser.request(`${inst.url}/logg-inn/oidc/logg-ut`, { form: { _csrf: csrf } });
    expect(out.status).toBe(303);
    const end = new URL(out.location!);
    expect(end.origin).toBe(idp.issuer);
    expect(end.searchParams.get("client_id")).toBe(idp.clientId);
    expect(end.searchParams.get("post_logout_redirect_uri")).toBe(`${inst.url}/`);
    expect((await page(browser, "/admin/prosjekter")).status).toBe(303);
    // The provider knows the client and shows its sign-out confirmation.
    expect((await browser.request(end.href)).status).toBe(200);
  });

  it("shows a clear page when the provider goes down in the middle of a sign-in", async () => {
    const n = await counts();
    const browser = new CookieClient();
    const callback = await reachCallback(browser, inst.url, "anne");
    await idp.close();
    const done = await browser.request(callback);
    expect(done.status).toBe(502);
    expect(done.body).toContain("Fikk ikke kontakt med kommunens innloggingstjeneste");
    expect(setsSession(done)).toBe(false);
    expect(await counts()).toEqual(n);
  });
});
