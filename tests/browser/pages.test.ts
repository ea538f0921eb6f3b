import { mkdirSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { startTestInstance, type TestInstance } from "../helpers/instance.ts";
import { axeViolations, browserSkipReason, horizontalOverflow, launchBrowser, type TestBrowser } from "../helpers/browser.ts";
import { upsertRemoteMunicipality } from "../../db/municipalities.ts";
import { projects } from "../../db/schema.ts";

// Set KOMINN_SCREENSHOTS=/some/dir to keep full-page screenshots of what the tests saw.
const shotsDir = process.env.KOMINN_SCREENSHOTS;
if (shotsDir) mkdirSync(shotsDir, { recursive: true });

describe.skipIf(browserSkipReason)("the web interface in Chromium", () => {
  let inst: TestInstance;
  let browser: TestBrowser;
  let page: Page;
  const visited = new Set<string>();

  beforeAll(async () => {
    inst = await startTestInstance({ setup: false });
    browser = await launchBrowser({ bypassCSP: true });
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
  });
  afterAll(async () => {
    await browser?.close();
    await inst?.close();
  });

  const url = (path: string) => `${inst.url}${path}`;

  /** axe-core must find no WCAG 2.1 A/AA violation on the page as it is now. */
  async function accessible(name: string): Promise<void> {
    const violations = await axeViolations(page);
    expect(violations, `${name}: ${JSON.stringify(violations, null, 1)}`).toEqual([]);
    expect(await page.getAttribute("html", "lang")).toBe("nb");
    visited.add(new URL(page.url()).pathname + new URL(page.url()).search);
    if (shotsDir) await page.screenshot({ path: `${shotsDir}/${name}.png`, fullPage: true });
  }

  it("sets up the instance, signs in, creates and publishes a project through the form, and shows it publicly", async () => {
    await page.goto(url("/"));
    expect(new URL(page.url()).pathname).toBe("/oppsett");
    await accessible("setup");

    await page.getByRole("button", { name: "Sett opp portalen" }).click();
    await expect.poll(() => page.locator(".error-summary").count()).toBe(1);
    await accessible("setup-errors");

    await page.getByLabel("Navn på kommunen").fill("Fredrikstad kommune");
    await page.getByLabel("Kommunenummer").fill("3107");
    await page.getByLabel("Kortnavn i adresser").fill("fredrikstad");
    await page.getByLabel("Ditt navn").fill("Anne Admin");
    await page.getByLabel("Din e-post").fill("anne@fredrikstad.test");
    await page.getByLabel("Passord", { exact: true }).fill("et-langt-passord-123");
    await page.getByLabel("Gjenta passordet").fill("et-langt-passord-123");
    await page.getByRole("button", { name: "Sett opp portalen" }).click();
    await page.waitForURL(/\/admin\/prosjekter$/);
    await accessible("staff-projects-empty");

    await page.getByRole("button", { name: "Logg ut" }).click();
    await page.waitForURL(url("/"));
    await accessible("front-empty");

    await page.getByRole("link", { name: "Logg inn" }).click();
    await accessible("login");
    await page.getByLabel("E-post").fill("anne@fredrikstad.test");
    await page.getByLabel("Passord").fill("feil-passord");
    await page.getByRole("button", { name: "Logg inn" }).click();
    await expect.poll(() => page.locator(".error-summary").textContent()).toContain("Feil e-post eller passord");
    await accessible("login-failed");
    await page.getByLabel("Passord").fill("et-langt-passord-123");
    await page.getByRole("button", { name: "Logg inn" }).click();
    await page.waitForURL(/\/admin\/prosjekter$/);

    await page.getByRole("link", { name: "Nytt prosjekt" }).first().click();
    await accessible("project-form-new");

    // First without a title: the errors are shown and linked.
    await page.getByLabel("Sammendrag").fill("Sensorer varsler alarmsentralen når noen faller.");
    await page.getByRole("button", { name: "Lagre og publiser" }).click();
    await expect.poll(() => page.locator(".error-summary a[href='#f-title']").count()).toBe(1);
    expect(await page.getByLabel("Sammendrag").inputValue()).toBe("Sensorer varsler alarmsentralen når noen faller.");
    // The little script in /static/site.js moves focus to the error summary.
    await expect.poll(() => page.evaluate(() => document.activeElement?.className)).toContain("error-summary");
    await accessible("project-form-errors");
    await page.locator(".error-summary a[href='#f-title']").click();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("f-title");

    await page.getByLabel("Tittel").fill("Fallsensorer for eldre");
    await page.getByLabel("Fase").selectOption("test");
    await page.getByLabel("Beskrivelse", { exact: false }).first().fill("Flere eldre kan bo **trygt** hjemme.");
    await page.getByRole("checkbox", { name: "Helse og omsorg" }).check();
    await page.getByRole("checkbox", { name: "Smart kommune" }).check();
    await page.locator("#f-plannedBenefits-0-kind").selectOption("tid");
    await page.locator("#f-plannedBenefits-0-description").fill("Færre utrykninger");
    await page.locator("#f-contacts-0-name").fill("Kari Kontakt");
    await page.locator("#f-contacts-0-email").fill("kari@fredrikstad.test");
    await page.getByLabel("Hva virket ikke").fill("Armbåndene ble lagt bort om natten.");
    await page.getByRole("button", { name: "Lagre som utkast" }).click();
    await page.waitForURL(/\/rediger\?melding=opprettet$/);
    expect(await page.locator(".notice").textContent()).toContain("Prosjektet er opprettet");
    expect(await page.locator(".status-box").textContent()).toContain("Utkast");
    const anonymous = await fetch(url("/prosjekter/fallsensorer-for-eldre"));
    expect(anonymous.status).toBe(404);
    await page.getByRole("button", { name: "Publiser" }).click();
    await page.waitForURL(/\/rediger\?melding=lagret-publisert$/);
    expect(await page.locator(".status-box").textContent()).toContain("Publisert");
    await accessible("project-form-edit");
    const editUrl = page.url();

    await page.getByRole("link", { name: "Slett prosjektet" }).click();
    await accessible("project-delete-confirm");
    await page.getByRole("link", { name: "Avbryt" }).click();
    expect(page.url()).toBe(url(new URL(editUrl).pathname));

    await page.goto(url("/admin/prosjekter"));
    await accessible("staff-projects");
    await page.goto(url("/admin/kommune"));
    await accessible("admin-profile");
    await page.goto(url("/admin/ansatte"));
    await accessible("admin-staff");
    await page.goto(url("/admin/nokler"));
    await page.getByLabel("Hva skal nøkkelen brukes til?").fill("Integrasjon");
    await page.getByRole("button", { name: "Lag ny nøkkel" }).click();
    await expect.poll(() => page.locator("code.token").count()).toBe(1);
    await accessible("admin-tokens");

    // The project as staff see it (with history), then as the public sees it.
    await page.goto(url("/prosjekter/fallsensorer-for-eldre"));
    expect(await page.getByRole("heading", { name: "Endringshistorikk" }).count()).toBe(1);
    await accessible("project-staff");
    await page.getByRole("button", { name: "Logg ut" }).click();
    await page.waitForURL(url("/"));
    await accessible("front");
    await page.getByRole("link", { name: "Prosjekter", exact: true }).click();
    await accessible("list");
    await page.getByRole("link", { name: "Fallsensorer for eldre" }).click();
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Fallsensorer for eldre");
    expect(await page.locator(".prose strong").textContent()).toBe("trygt");
    expect(await page.getByRole("heading", { name: "Endringshistorikk" }).count()).toBe(0);
    await accessible("project");
  });

  it("passes axe on the remaining page types: filtered list, remote copy, profile, error pages", async () => {
    const m = await upsertRemoteMunicipality(inst.ctx.db, {
      actorUrl: "https://asker.example/kommune/asker", handle: "asker", domain: "asker.example", name: "Asker kommune", fylke: "Akershus",
    });
    await inst.ctx.db.insert(projects).values({
      id: "remotebrowser1", slug: "boligkontor", url: "https://asker.example/prosjekter/boligkontor", local: false,
      municipalityId: m.id, published: true, publishedAt: new Date(), title: "Samordnet boligkontor",
      summary: "Ett sted å spørre om bolig.", phase: "drift", serviceAreas: ["nav-sosial"],
    });
    await page.goto(url("/prosjekter"));
    await page.getByLabel("Fase").selectOption("test");
    await page.getByLabel("Bare prosjekter som søker samarbeidspartnere").uncheck();
    await page.getByRole("button", { name: "Vis prosjekter" }).click();
    await page.waitForURL(/fase=test/);
    expect(await page.locator(".results-count").textContent()).toBe("1 prosjekt");
    await accessible("list-filtered");

    await page.goto(url("/prosjekter?origin=remote"));
    await page.getByRole("link", { name: "Samordnet boligkontor" }).click();
    expect(new URL(page.url()).pathname).toBe("/prosjekter/fra/remotebrowser1");
    expect(await page.locator(".banner-remote").textContent()).toContain("Asker kommune");
    await accessible("project-remote");

    await page.getByRole("link", { name: "Om kommunen" }).click();
    expect(new URL(page.url()).pathname).toBe("/kommune/fredrikstad");
    await accessible("profile");

    await page.goto(url("/prosjekter?phase=%27%20OR%201%3D1--"));
    await accessible("error-400");
    await page.goto(url("/prosjekter/finnes-ikke"));
    await accessible("error-404");
  });

  it("fits a 360 px wide screen on every page type without horizontal scrolling", async () => {
    const narrow = await launchBrowser({ width: 360, height: 740 });
    try {
      const p = narrow.context.pages()[0] ?? (await narrow.context.newPage());
      // Sign in on the narrow screen too, so staff pages are measured.
      await p.goto(url("/logg-inn"));
      await p.getByLabel("E-post").fill("anne@fredrikstad.test");
      await p.getByLabel("Passord").fill("et-langt-passord-123");
      await p.getByRole("button", { name: "Logg inn" }).click();
      await p.waitForURL(/\/admin\/prosjekter$/);
      const paths = [...visited, "/admin/prosjekter/ny", "/admin/kommune", "/admin/ansatte", "/admin/nokler"].filter((x) => !x.startsWith("/oppsett"));
      for (const path of paths) {
        await p.goto(url(path));
        const result = await horizontalOverflow(p);
        expect(result.scrollWidth, `${path} overflows: ${result.widest}`).toBeLessThanOrEqual(result.viewport);
      }
      if (shotsDir) {
        await p.goto(url("/prosjekter/fallsensorer-for-eldre"));
        await p.screenshot({ path: `${shotsDir}/narrow-project.png`, fullPage: true });
        await p.goto(url("/admin/prosjekter/ny"));
        await p.screenshot({ path: `${shotsDir}/narrow-form.png`, fullPage: false });
      }
    } finally {
      await narrow.close();
    }
  });

  it("runs under the strict Content-Security-Policy without a single violation", async () => {
    const strict = await launchBrowser();
    try {
      const p = strict.context.pages()[0] ?? (await strict.context.newPage());
      const problems: string[] = [];
      p.on("console", (msg) => {
        if (msg.type() === "error") problems.push(msg.text());
      });
      p.on("pageerror", (err) => problems.push(err.message));
      for (const path of ["/", "/prosjekter", "/prosjekter/fallsensorer-for-eldre", "/kommune/fredrikstad", "/logg-inn"]) {
        await p.goto(url(path));
      }
      expect(problems).toEqual([]);
    } finally {
      await strict.close();
    }
  });
});
