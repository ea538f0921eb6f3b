import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestInstance, type TestInstance } from "../helpers/instance.ts";
import { CookieClient } from "./cookie-client.ts";
import { startWithProvider, type TestProvider } from "./provider.ts";
import { passwordSignIn, signIn } from "./sign-in-flow.ts";

const button = "Logg inn med kommunens konto";

describe("the login page, the sign-out page and the staff list with OIDC", () => {
  let inst: TestInstance;
  let plain: TestInstance;
  let idp: TestProvider;

  beforeAll(async () => {
    [{ inst, idp }, plain] = await Promise.all([
      startWithProvider({ env: { KOMINN_OIDC_ONLY: "true" } }),
      startTestInstance({}),
    ]);
  });
  afterAll(async () => {
    await Promise.all([inst?.close(), plain?.close()]);
    await idp?.close();
  });

  it("offers only the municipality's account when set so, with a way to the password form", async () => {
    const page = await new CookieClient().request(`${inst.url}/logg-inn?neste=%2Fadmin%2Fkommune`);
    expect(page.body).toContain(button);
    expect(page.body).toContain('href="/logg-inn/oidc?neste=%2Fadmin%2Fkommune"');
    expect(page.body).not.toContain('name="password"');
    expect(page.body).toContain("Logg inn med passord i stedet");

    const withForm = await new CookieClient().request(`${inst.url}/logg-inn?passord=1`);
    expect(withForm.body).toContain(button);
    expect(withForm.body).toContain('name="password"');
  });

  it("keeps the password sign-in working for the break-glass administrator", async () => {
    const done = await passwordSignIn(new CookieClient(), inst.url, "admin@fredrikstad.test", inst.adminPassword);
    expect(done.status).toBe(303);
  });

  it("shows no provider button where OIDC is not set up", async () => {
    const page = await new CookieClient().request(`${plain.url}/logg-inn`);
    expect(page.body).not.toContain(button);
    expect(page.body).toContain('name="password"');
  });

  it("offers signing out at the provider too", async () => {
    const browser = new CookieClient();
    await signIn(browser, inst.url, "anne");
    const page = await browser.request(`${inst.url}/logg-ut`);
    expect(page.body).toContain("Logg også ut av kommunens konto");
    expect(page.body).toContain('action="/logg-inn/oidc/logg-ut"');
    const local = new CookieClient();
    await passwordSignIn(local, plain.url, "admin@fredrikstad.test", plain.adminPassword);
    const plainPage = await local.request(`${plain.url}/logg-ut`);
    expect(plainPage.status).toBe(200);
    expect(plainPage.body).not.toContain("kommunens konto");
  });

  it("lists how each person signs in on the staff page", async () => {
    await signIn(new CookieClient(), inst.url, "erik");
    const admin = new CookieClient();
    await passwordSignIn(admin, inst.url, "admin@fredrikstad.test", inst.adminPassword);
    const page = await admin.request(`${inst.url}/admin/ansatte`);
    expect(page.status).toBe(200);
    expect(page.body).toContain("Logger inn med");
    const row = (name: string) => {
      // The cell carries its column's label (data-label) for the stacked phone layout.
      const start = page.body.search(new RegExp(`<td[^>]*>${name}</td>`));
      expect(start, name).toBeGreaterThan(-1);
      return page.body.slice(start, page.body.indexOf("</tr>", start));
    };
    expect(row("Erik Eng")).toContain("Kommunens konto");
    expect(row("Anne Admin")).toContain("Passord");
  });
});
