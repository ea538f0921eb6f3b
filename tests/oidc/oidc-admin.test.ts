import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { drivers } from "../helpers/databases.ts";
import { freePort, startTestInstance, type TestInstance } from "../helpers/instance.ts";
import { createAccount, getAccountByEmail } from "../../db/accounts.ts";
import { hashPassword } from "../../services/passwords.ts";
import { oidcLoginOptions, type StoredOidc } from "../../server/auth/oidc/settings.ts";
import { getSetting, setSetting } from "../../db/settings.ts";
import { secretBox } from "../../server/secret-box.ts";
import { CookieClient } from "./cookie-client.ts";
import { adminGroup, editorGroup, startTestProvider, type TestProvider } from "./provider.ts";
import { csrfOf, passwordSignIn, signIn } from "./sign-in-flow.ts";

describe.each(drivers)("the administrator connects the portal to the provider on the admin page, on %s", (driver) => {
  let inst: TestInstance;
  let idp: TestProvider;
  let admin: CookieClient;

  beforeAll(async () => {
    const port = await freePort();
    const portal = `http://127.0.0.1:${port}`;
    idp = await startTestProvider({ redirectUri: `${portal}/logg-inn/oidc/callback`, postLogoutRedirectUri: `${portal}/` });
    inst = await startTestInstance({ driver, port });
    admin = new CookieClient();
    expect((await passwordSignIn(admin, inst.url, "admin@fredrikstad.test", inst.adminPassword)).status).toBe(303);
  });
  afterAll(async () => {
    await inst?.close();
    await idp?.close();
  });

  const save = async (fields: Record<string, string>) => {
    const page = await admin.request(`${inst.url}/admin/innlogging`);
    return admin.request(`${inst.url}/admin/innlogging`, { form: { _csrf: csrfOf(page.body), ...fields } });
  };
  const good = () => ({
    enabled: "true",
    issuer: idp.issuer,
    clientId: idp.clientId,
    clientSecret: idp.clientSecret,
    adminGroups: `${adminGroup}\nen-gruppe-til`,
    editorGroups: editorGroup,
  });

  it("shows the addresses to register and that nothing is set up yet", async () => {
    const page = await admin.request(`${inst.url}/admin/innlogging`);
    expect(page.status).toBe(200);
    expect(page.body).toContain(`${inst.url}/logg-inn/oidc/callback`);
    expect(page.body).toContain("Nå: ikke satt opp.");
  });

  it("refuses incomplete settings, naming each field, and changes nothing", async () => {
    const res = await save({ enabled: "true", issuer: "ikke-en-adresse", clientId: "", clientSecret: "", adminGroups: "", editorGroups: "" });
    expect(res.status).toBe(400);
    expect(res.body).toContain("Utsteder (issuer): må være en http(s)-adresse");
    const missing = await save({ ...good(), clientId: "", clientSecret: "", adminGroups: " ", editorGroups: "" });
    expect(missing.status).toBe(400);
    for (const label of ["Klient-ID", "Klienthemmelighet", "Grupper som gir rollen administrator"]) expect(missing.body).toContain(`${label}: `);
    expect(await oidcLoginOptions(inst.ctx)).toEqual({ enabled: false, only: false });
  });

  it("refuses an issuer that does not answer, so nobody is locked out", async () => {
    const res = await save({ ...good(), issuer: `http://127.0.0.1:${await freePort()}` });
    expect(res.status).toBe(422);
    expect(res.body).toContain("fant ingen innloggingstjeneste som svarte riktig");
    expect(await oidcLoginOptions(inst.ctx)).toEqual({ enabled: false, only: false });
  });

  it("saves working settings, after which staff sign in with their groups' role", async () => {
    const res = await save({ ...good(), only: "true" });
    expect(res.status).toBe(303);
    expect(await oidcLoginOptions(inst.ctx)).toEqual({ enabled: true, only: true });
    const done = await signIn(new CookieClient(), inst.url, "erik");
    expect(done.status).toBe(303);
    expect(await getAccountByEmail(inst.ctx.db, "erik.eng@fredrikstad.test")).toMatchObject({ role: "editor" });

    // An empty secret keeps the saved one; switching off keeps the values for later.
    const page = await admin.request(`${inst.url}/admin/innlogging`);
    expect(page.body).toContain("Nå: slått på med innstillingene på denne siden.");
    expect(page.body).not.toContain(idp.clientSecret);
    expect(JSON.stringify(await getSetting(inst.ctx.db, "oidc"))).not.toContain(idp.clientSecret);
    expect((await save({ ...good(), clientSecret: "" })).status).toBe(303);
    expect((await signIn(new CookieClient(), inst.url, "anne")).status).toBe(303);
    expect((await save({ ...good(), enabled: "", clientSecret: "" })).status).toBe(303);
    expect((await new CookieClient().request(`${inst.url}/logg-inn/oidc`)).status).toBe(404);
    const off = await admin.request(`${inst.url}/admin/innlogging`);
    expect(off.body).toContain("Nå: slått av på denne siden.");
    expect(off.body).toContain(idp.issuer);
  });

  it("asks for the secret again when the key that sealed it was changed, and signs nobody in meanwhile", async () => {
    expect((await save(good())).status).toBe(303);
    const stored = (await getSetting<StoredOidc>(inst.ctx.db, "oidc"))!;
    const otherKey = secretBox(async () => Buffer.alloc(32, 5));
    await setSetting(inst.ctx.db, "oidc", { ...stored, clientSecret: await otherKey.seal(idp.clientSecret) });
    expect(await oidcLoginOptions(inst.ctx)).toEqual({ enabled: false, only: false });
    const page = await admin.request(`${inst.url}/admin/innlogging`);
    expect(page.body).toContain("kan ikke lenger leses");
    expect((await new CookieClient().request(`${inst.url}/logg-inn/oidc`)).status).toBe(404);
    expect((await save({ ...good(), clientSecret: "" })).status).toBe(400);
    expect((await save(good())).status).toBe(303);
    expect((await signIn(new CookieClient(), inst.url, "anne")).status).toBe(303);
  });

  it("goes back to the environment's settings on request", async () => {
    const page = await admin.request(`${inst.url}/admin/innlogging`);
    const res = await admin.request(`${inst.url}/admin/innlogging/miljo`, { form: { _csrf: csrfOf(page.body) } });
    expect(res.status).toBe(303);
    expect((await admin.request(`${inst.url}/admin/innlogging`)).body).toContain("Nå: ikke satt opp.");
  });

  it("is for administrators only", async () => {
    await createAccount(inst.ctx.db, { email: "red@fredrikstad.test", name: "Rita Redaktør", role: "editor", passwordHash: await hashPassword("et-langt-passord-456") });
    const editor = new CookieClient();
    await passwordSignIn(editor, inst.url, "red@fredrikstad.test", "et-langt-passord-456");
    expect((await editor.request(`${inst.url}/admin/innlogging`)).status).toBe(403);
    const page = await editor.request(`${inst.url}/admin/prosjekter`);
    const post = await editor.request(`${inst.url}/admin/innlogging`, { form: { _csrf: csrfOf(page.body), ...good() } });
    expect(post.status).toBe(403);
    expect(await oidcLoginOptions(inst.ctx)).toEqual({ enabled: false, only: false });
  });
});

describe("a key file damaged between two starts (pglite on disk)", () => {
  it("keeps the login page up, closes provider sign-in, and asks for the secret again", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "kominn-secret-"));
    const port = await freePort();
    const portal = `http://127.0.0.1:${port}`;
    const idp = await startTestProvider({ redirectUri: `${portal}/logg-inn/oidc/callback`, postLogoutRedirectUri: `${portal}/` });
    let inst = await startTestInstance({ dataDir, port });
    try {
      const admin = new CookieClient();
      await passwordSignIn(admin, inst.url, "admin@fredrikstad.test", inst.adminPassword);
      const page = await admin.request(`${inst.url}/admin/innlogging`);
      const form = { _csrf: csrfOf(page.body), enabled: "true", issuer: idp.issuer, clientId: idp.clientId, clientSecret: idp.clientSecret, adminGroups: adminGroup, editorGroups: editorGroup };
      expect((await admin.request(`${inst.url}/admin/innlogging`, { form })).status).toBe(303);
      const password = inst.adminPassword;
      await inst.close();
      writeFileSync(join(dataDir, "secret.key"), "skadet\n");

      inst = await startTestInstance({ dataDir, port, setup: false });
      const login = await new CookieClient().request(`${inst.url}/logg-inn`);
      expect(login.status).toBe(200);
      expect(login.body).not.toContain("Logg inn med kommunens konto");
      const again = new CookieClient();
      expect((await passwordSignIn(again, inst.url, "admin@fredrikstad.test", password)).status).toBe(303);
      expect((await again.request(`${inst.url}/admin/innlogging`)).body).toContain("kan ikke lenger leses");
    } finally {
      await inst.close();
      await idp.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
