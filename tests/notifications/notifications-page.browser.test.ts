import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { startTestInstance, type TestInstance } from "../helpers/instance.ts";
import { browserSkipReason, expectCleanAtBothSizes, launchBrowser, signInAsAdmin, type TestBrowser } from "../helpers/browser.ts";
import { addProject } from "../http/pages-support.ts";
import { peerMunicipality, receiveRemote } from "./helpers.ts";

// The notifications page and the follow buttons in a real browser, at desktop and phone widths.
describe.skipIf(browserSkipReason)("notifications in Chromium", () => {
  let inst: TestInstance;
  let browser: TestBrowser;
  let page: Page;

  beforeAll(async () => {
    inst = await startTestInstance();
    browser = await launchBrowser({ bypassCSP: true });
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
    await signInAsAdmin(page, inst);
  });
  afterAll(async () => {
    await browser?.close();
    await inst?.close();
  });

  it("follows a service area and a project with the buttons, shows what moved with the unread count, and saves the settings", async () => {
    await page.goto(`${inst.url}/varsler`);
    await expectCleanAtBothSizes(page, "varsler-tom");
    await page.getByLabel("Følg et tjenesteområde").selectOption("helse-omsorg");
    await page.locator("form", { has: page.getByLabel("Følg et tjenesteområde") }).getByRole("button", { name: "Følg" }).click();
    await page.waitForURL(/melding=fulgt/);
    expect(await page.getByRole("status").textContent()).toContain("Du følger nå dette.");

    const project = await addProject(inst, { title: "Digital hjemmeoppfølging", published: true, phase: "test", serviceAreas: ["helse-omsorg"] });
    await page.goto(`${inst.url}/prosjekter/${project.slug}`);
    await page.getByRole("button", { name: "Følg prosjektet" }).click();
    await page.waitForURL(new RegExp(`/prosjekter/${project.slug}$`));
    expect(await page.locator(".project-actions").textContent()).toContain("Du følger prosjektet");
    await expectCleanAtBothSizes(page, "prosjekt-folges");

    const peer = await peerMunicipality(inst);
    await receiveRemote(inst, peer, "sensor", { title: "Fallsensorer for eldre", serviceAreas: ["helse-omsorg"] });
    await inst.ctx.projects.update(inst.municipality!, project, { phase: "skalering" }, { accountId: inst.admin!.id, name: "Anne Admin" });
    await inst.ctx.events.settled();

    await page.goto(`${inst.url}/prosjekter`);
    const badge = page.locator(".header-notifications");
    expect(await badge.textContent()).toMatch(/Varsler\s*3\s*uleste/);
    await badge.click();
    await page.waitForURL(/\/varsler$/);
    const list = page.locator(".notifications");
    expect(await list.textContent()).toContain("Fasen er endret fra Test til Skalering.");
    expect(await list.textContent()).toContain("Nytt prosjekt innen helse og omsorg fra Sarpsborg kommune.");
    await expectCleanAtBothSizes(page, "varsler");

    await page.getByRole("radio", { name: "Ukentlig sammendrag" }).check();
    await page.getByLabel("Et prosjekt du følger blir imitert").uncheck();
    await page.getByRole("button", { name: "Lagre innstillingene" }).click();
    await page.waitForURL(/melding=lagret/);
    expect(await page.getByRole("radio", { name: "Ukentlig sammendrag" }).isChecked()).toBe(true);
    expect(await page.getByLabel("Et prosjekt du følger blir imitert").isChecked()).toBe(false);

    await page.getByRole("button", { name: "Merk alle som lest" }).click();
    await page.waitForURL(/melding=lest/);
    expect(await page.locator(".header-notifications .count-badge").count()).toBe(0);

    // A search that cannot be followed comes back with its error and what was typed.
    await page.getByLabel("Følg et søk").fill("/sok?q=velferd&phase=ukjent");
    await page.locator("form", { has: page.getByLabel("Følg et søk") }).getByRole("button", { name: "Følg" }).click();
    expect(await page.getByRole("alert").textContent()).toContain("ukjent fase");
    expect(await page.getByLabel("Følg et søk").inputValue()).toBe("/sok?q=velferd&phase=ukjent");
    await expectCleanAtBothSizes(page, "varsler-feil");

    // The unsubscribe link of an e-mail: a page that asks, then says what happened.
    const token = inst.ctx.notifications.unsubscribeToken(inst.admin!.id, 0);
    await page.goto(`${inst.url}/varsler/avmeld?t=${token}`);
    await expectCleanAtBothSizes(page, "avmelding");
    await page.getByRole("button", { name: "Ja, stopp e-posten" }).click();
    expect(await page.getByRole("status").textContent()).toContain("Du får ikke lenger e-post om varsler");
    await expectCleanAtBothSizes(page, "avmeldt");
    await page.goto(`${inst.url}/varsler`);
    expect(await page.getByRole("radio", { name: "Ingen e-post, bare her i portalen" }).isChecked()).toBe(true);

    await page.locator(".subscriptions li", { hasText: "Digital hjemmeoppfølging" }).getByRole("button", { name: /Slutt å følge/ }).click();
    await page.waitForURL(/melding=sluttet/);
    expect(await page.locator(".subscriptions").textContent()).not.toContain("Digital hjemmeoppfølging");
  });
});
