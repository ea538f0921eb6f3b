import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { startTestInstance, type TestInstance } from "../helpers/instance.ts";
import { axeViolations, browserSkipReason, horizontalOverflow, launchBrowser, signInAsAdmin, type TestBrowser } from "../helpers/browser.ts";
import { upsertRemoteMunicipality } from "../../db/municipalities.ts";
import { projects } from "../../db/schema.ts";

// The imitating side of issue 5 in a real browser: a project from another
// municipality (a cached copy, as federation stores it) is imitated through
// the UI, adapted and published; every new page is checked with axe-core.
describe.skipIf(browserSkipReason)("imitation in Chromium", () => {
  let inst: TestInstance;
  let browser: TestBrowser;
  let page: Page;

  beforeAll(async () => {
    inst = await startTestInstance();
    const asker = await upsertRemoteMunicipality(inst.ctx.db, {
      actorUrl: "https://asker.example/kommune/asker", handle: "asker", domain: "asker.example", name: "Asker kommune", kommunenummer: "3203", fylke: "Akershus",
    });
    await inst.ctx.db.insert(projects).values({
      id: "askerbolig001", slug: "boligkontor", url: "https://asker.example/prosjekter/boligkontor", local: false,
      municipalityId: asker.id, published: true, publishedAt: new Date(), title: "Samordnet boligkontor",
      summary: "Ett sted å spørre om bolig.", floke: "Vanskeligstilte finner ikke bolig", phase: "drift",
      serviceAreas: ["nav-sosial"], seekingPartners: true,
      contacts: [{ name: "Aslak Asker", role: "Leder", email: "aslak@asker.example" }],
    });
    browser = await launchBrowser({ bypassCSP: true });
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
    await signInAsAdmin(page, inst);
  });
  afterAll(async () => {
    await browser?.close();
    await inst?.close();
  });

  async function accessible(name: string) {
    expect(await axeViolations(page), name).toEqual([]);
  }

  it("imitates a remote project, requires the adaptation, and publishes it with its lineage", async () => {
    await page.goto(`${inst.url}/prosjekter/fra/askerbolig001`);
    await accessible("remote project with actions");
    await page.getByRole("button", { name: "Imiter" }).click();
    await page.waitForURL(/\/admin\/prosjekter\/[a-z0-9]+\/rediger$/);
    await accessible("imitation form");
    expect(await page.getByLabel("Tittel (må fylles ut)").inputValue()).toBe("Samordnet boligkontor");
    expect(await page.getByLabel("Hva har dere tilpasset?").inputValue()).toBe("");

    const editUrl = page.url();
    await page.getByRole("button", { name: "Publiser", exact: true }).click();
    expect(await page.locator("main").textContent()).toMatch(/tilpasset/);
    await accessible("publishing refused without adaptation");

    await page.goto(editUrl);
    await page.getByLabel("Hva har dere tilpasset?").fill("Vi samler boligtjenestene i Fredrikstad sentrum og tar med Husbanken.");
    await page.getByRole("button", { name: "Lagre", exact: true }).click();
    await page.waitForLoadState();
    await page.goto(editUrl);
    await page.getByRole("button", { name: "Publiser", exact: true }).click();
    await page.waitForLoadState();
    const mine = await inst.ctx.db.query.projects.findFirst({ where: (p, { eq }) => eq(p.imitationOf, "https://asker.example/prosjekter/boligkontor") });
    expect(mine?.published).toBe(true);
    await page.goto(`${inst.url}/prosjekter/${mine!.slug}`);
    expect(await page.locator("#slektstre").textContent()).toBe("Slektstre");
    expect(await page.locator("ol.lineage").textContent()).toContain("Samordnet boligkontor");
    expect(await page.locator("ol.lineage").textContent()).toContain("Asker kommune");
    await accessible("published imitation with lineage");
  });

  it("asks to join a project that seeks partners", async () => {
    await page.goto(`${inst.url}/prosjekter/fra/askerbolig001`);
    await page.getByRole("link", { name: "Be om å bli med" }).click();
    await accessible("collaboration form");
    await page.getByRole("button", { name: "Send forespørsel" }).click();
    await accessible("collaboration form with errors");
    await page.getByLabel("Melding").fill("Vi vil gjerne prøve dette sammen med dere.");
    await page.getByRole("button", { name: "Send forespørsel" }).click();
    expect(await page.locator("main").textContent()).toContain("Forespørselen er sendt");
    expect(await page.locator("main").textContent()).toContain("Venter på svar");
    await accessible("collaboration list");
  });

  it("shows the overview accessibly, and every new page fits 360 px", async () => {
    await page.goto(`${inst.url}/oversikt`);
    await accessible("overview");
    const narrow = await launchBrowser({ width: 360, height: 740 });
    try {
      const p = narrow.context.pages()[0] ?? (await narrow.context.newPage());
      for (const path of ["/oversikt", "/prosjekter/fra/askerbolig001"]) {
        await p.goto(`${inst.url}${path}`);
        const r = await horizontalOverflow(p);
        expect(r.scrollWidth, `${path}: ${r.widest}`).toBeLessThanOrEqual(r.viewport);
      }
    } finally {
      await narrow.close();
    }
  });
});
