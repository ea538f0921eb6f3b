// The search page in real Chromium: facets narrow the results (at once with
// JavaScript, through the button without), highlighted snippets, "Mente du",
// and axe-core finds no WCAG 2.1 A/AA violation.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import request from "supertest";
import { axeViolations, browserSkipReason, horizontalOverflow, launchBrowser, type TestBrowser } from "../helpers/browser.ts";
import { startTestInstance, type TestInstance } from "../helpers/instance.ts";

describe.skipIf(browserSkipReason)("the search page in Chromium", () => {
  let inst: TestInstance;
  let browser: TestBrowser;
  let page: Page;

  async function accessible(name: string): Promise<void> {
    const violations = await axeViolations(page);
    expect(violations, `${name}: ${JSON.stringify(violations, null, 1)}`).toEqual([]);
  }

  beforeAll(async () => {
    inst = await startTestInstance();
    const auth = { Authorization: `Bearer ${inst.adminToken}` };
    const projects = [
      { title: "Fallsensorer for eldre", summary: "Sensorer varsler alarmsentralen når eldre faller hjemme.", phase: "drift", serviceAreas: ["helse-omsorg"] },
      { title: "Digitalt tilsyn om natten", summary: "Sensorer og kamera gir eldre på sykehjem ro om natten.", phase: "test", serviceAreas: ["helse-omsorg"] },
      { title: "Sensorer for inneklima i skolen", summary: "Måler luften i klasserommene.", phase: "skalering", serviceAreas: ["oppvekst-utdanning"] },
      { title: "Svømmeundervisning i sjøen", summary: "Elevene lærer å svømme der de bader.", phase: "drift", serviceAreas: ["oppvekst-utdanning"] },
    ];
    for (const p of projects) await request(inst.app).post("/api/v1/projects").set(auth).send({ ...p, published: true }).expect(201);
    await inst.ctx.events.settled();
    browser = await launchBrowser({ bypassCSP: true });
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
  });
  afterAll(async () => {
    await browser?.close();
    await inst?.close();
  });

  it("searches, shows highlighted snippets and facet counts, and is accessible", async () => {
    await page.goto(`${inst.url}/sok`);
    await accessible("search-empty");
    await page.getByLabel("Hva leter du etter?").fill("sensor");
    await page.getByRole("button", { name: "Søk", exact: true }).click();
    await expect.poll(() => page.locator("#treff").textContent()).toBe("3 treff");
    expect(await page.locator(".snippet mark").first().textContent()).toMatch(/^Sensorer$/i);
    expect(await page.locator("#facet-phase label").allTextContents()).toEqual(
      expect.arrayContaining(["Drift (1)", "Test (1)", "Skalering (1)"]),
    );
    await accessible("search-results");
  });

  it("narrows by a facet at once with JavaScript, keeping the query in the address", async () => {
    await page.getByLabel("Helse og omsorg (2)").check();
    await expect.poll(() => page.locator("#treff").textContent()).toBe("2 treff");
    // The address uses the page's bokmål names (core/page-params.ts).
    expect(new URL(page.url()).searchParams.getAll("tjenesteomrade")).toEqual(["helse-omsorg"]);
    expect(await page.locator(".search-hit h3").allTextContents()).toEqual(
      expect.arrayContaining(["Fallsensorer for eldre", "Digitalt tilsyn om natten"]),
    );
    await accessible("search-facet");
  });

  it("finds the project despite a typo, and offers Mente du … when even that finds nothing", async () => {
    await page.goto(`${inst.url}/sok?q=sv%C3%B8mmeundervisnig`);
    await expect.poll(() => page.locator("#treff").textContent()).toBe("1 treff");
    expect(await page.locator(".search-hit h3").allTextContents()).toEqual(["Svømmeundervisning i sjøen"]);
    // Three edits are more than typo tolerance allows.
    await page.goto(`${inst.url}/sok?q=sv%C3%B8mmundervsnig`);
    await expect.poll(() => page.locator("#treff").textContent()).toBe("0 treff");
    await page.getByRole("link", { name: "svømmeundervisning" }).click();
    await expect.poll(() => page.locator("#treff").textContent()).toBe("1 treff");
    await accessible("search-suggestion");
  });

  it("fits a narrow phone screen", async () => {
    await page.setViewportSize({ width: 360, height: 740 });
    await page.goto(`${inst.url}/sok?q=sensor`);
    const overflow = await horizontalOverflow(page);
    expect(overflow.scrollWidth, overflow.widest).toBeLessThanOrEqual(overflow.viewport);
    await accessible("search-narrow");
  });
});
