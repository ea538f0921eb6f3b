import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import type { TestInstance } from "../helpers/instance.ts";
import { axeViolations, browserSkipReason, launchBrowser, type TestBrowser } from "../helpers/browser.ts";
import { getAccountByEmail } from "../../db/accounts.ts";
import { startWithProvider, type TestProvider } from "../oidc/provider.ts";

describe.skipIf(browserSkipReason)("staff sign in with the municipality's account in Chromium", () => {
  let inst: TestInstance;
  let idp: TestProvider;
  let browser: TestBrowser;
  let page: Page;

  beforeAll(async () => {
    ({ inst, idp } = await startWithProvider());
    browser = await launchBrowser({ bypassCSP: true });
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
  });
  afterAll(async () => {
    await browser?.close();
    await inst?.close();
    await idp?.close();
  });

  async function accessible(name: string): Promise<void> {
    const violations = await axeViolations(page);
    expect(violations, `${name}: ${JSON.stringify(violations, null, 1)}`).toEqual([]);
  }

  /** From the portal's login page through the provider's login form and back. */
  async function signInAs(login: string): Promise<void> {
    await page.goto(`${inst.url}/logg-inn`);
    await page.getByRole("link", { name: "Logg inn med kommunens konto" }).click();
    await page.waitForURL((u) => u.origin === idp.issuer);
    await page.locator('input[name="login"]').fill(login);
    await page.locator('input[name="password"]').fill("hva-som-helst");
    await page.locator('button[type="submit"]').click();
    await page.waitForURL((u) => u.origin === inst.url);
  }

  async function signOut(): Promise<void> {
    await page.getByRole("button", { name: "Logg ut" }).first().click();
    await page.waitForURL((u) => u.pathname === "/");
    await browser.context.clearCookies();
  }

  it("offers the municipality's account on the login page, which passes axe-core", async () => {
    await page.goto(`${inst.url}/logg-inn`);
    await expect.poll(() => page.getByRole("link", { name: "Logg inn med kommunens konto" }).count()).toBe(1);
    await accessible("login page with OIDC");
  });

  it("signs an administrator in through the provider and lands on the staff pages with the admin role", async () => {
    await signInAs("anne");
    expect(new URL(page.url()).pathname).toBe("/admin/prosjekter");
    expect(await page.locator(".signed-in").textContent()).toContain("Anne Aasen");
    expect(await page.getByRole("link", { name: "Administrasjon" }).count()).toBe(1);
    expect(await getAccountByEmail(inst.ctx.db, "anne.aasen@fredrikstad.test")).toMatchObject({ role: "admin" });
    await page.goto(`${inst.url}/admin/innlogging`);
    expect(await page.getByRole("heading", { level: 2 }).first().textContent()).toBe("Innlogging med kommunens konto");
    await accessible("OIDC admin page");
    await page.goto(`${inst.url}/admin/ansatte`);
    await accessible("staff list");
    await signOut();
  });

  it("signs an editor in with the editor role", async () => {
    await signInAs("erik");
    expect(new URL(page.url()).pathname).toBe("/admin/prosjekter");
    expect(await page.locator(".signed-in").textContent()).toContain("Erik Eng");
    expect(await page.getByRole("link", { name: "Administrasjon" }).count()).toBe(0);
    await signOut();
  });

  it("shows someone in neither group a clear refusal page that passes axe-core", async () => {
    await signInAs("ola");
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Du har ikke tilgang til portalen");
    expect(await page.locator(".signed-in").count()).toBe(0);
    await accessible("refused page");
    await browser.context.clearCookies();
  });
});
