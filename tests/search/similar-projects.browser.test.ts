// "Lignende prosjekter" on a project page in real Chromium, at desktop and
// phone width: the section lists the projects with the same problem, links to
// them, fits the screen and has no WCAG 2.1 A/AA violation (axe-core).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { axeViolations, browserSkipReason, horizontalOverflow, launchBrowser, screenshotsDir, type TestBrowser } from "../helpers/browser.ts";
import { startTestInstance, type TestInstance } from "../helpers/instance.ts";

describe.skipIf(browserSkipReason)("Lignende prosjekter in Chromium", () => {
  let inst: TestInstance;
  let browser: TestBrowser;
  let slug: string;

  beforeAll(async () => {
    inst = await startTestInstance();
    const auth = { Authorization: `Bearer ${inst.adminToken}` };
    const projects = [
      { title: "Fallsensorer for hjemmeboende", summary: "Sensorer i taket oppdager fall og varsler alarmsentralen.", floke: "Eldre som faller om natten blir liggende lenge før noen finner dem." },
      { title: "Digitalt nattilsyn", summary: "Hjemmetjenesten ser til brukerne om natten med sensorer i stedet for besøk.", floke: "Nattlige besøk vekker brukerne, og eldre som faller blir oppdaget for sent." },
      { title: "Trygghetsalarm med GPS", summary: "Eldre med demens kan gå tur alene; alarmsentralen ser hvor de er når de faller eller går seg bort.", floke: "Pårørende er redde for at eldre faller ute." },
      { title: "Regnbed mot overvann", summary: "Regnvannet ledes til regnbed i stedet for avløpet.", floke: "Kjellere blir oversvømt når det kommer styrtregn." },
    ];
    const created = [];
    for (const p of projects) created.push((await request(inst.app).post("/api/v1/projects").set(auth).send({ ...p, phase: "drift", published: true }).expect(201)).body);
    slug = created[0].slug;
    await inst.ctx.events.settled();
    browser = await launchBrowser({ bypassCSP: true });
  });
  afterAll(async () => {
    await browser?.close();
    await inst?.close();
  });

  for (const [width, height] of [[1280, 900], [390, 844]] as const) {
    it(`shows the projects with the same problem at ${width}×${height}, accessible and without sideways scrolling`, async () => {
      const page = await browser.context.newPage();
      await page.setViewportSize({ width, height });
      await page.goto(`${inst.url}/prosjekter/${slug}`);
      const section = page.locator("section.similar-projects");
      await expect.poll(() => section.locator("h2").textContent()).toBe("Lignende prosjekter");
      const titles = await section.locator("li > a").allTextContents();
      expect(titles.slice(0, 2).sort()).toEqual(["Digitalt nattilsyn", "Trygghetsalarm med GPS"]);
      expect(titles).not.toContain("Fallsensorer for hjemmeboende");
      expect(titles).not.toContain("Regnbed mot overvann");
      await section.scrollIntoViewIfNeeded();
      if (screenshotsDir) await page.screenshot({ path: `${screenshotsDir}/lignende-${width}.png`, fullPage: false });
      expect(await axeViolations(page)).toEqual([]);
      const overflow = await horizontalOverflow(page);
      expect(overflow.scrollWidth, JSON.stringify(overflow)).toBeLessThanOrEqual(overflow.viewport);
      await section.locator("li > a", { hasText: "Digitalt nattilsyn" }).click();
      await expect.poll(() => page.locator("h1").textContent()).toBe("Digitalt nattilsyn");
      await page.close();
    });
  }
});
