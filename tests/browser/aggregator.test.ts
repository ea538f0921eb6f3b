import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { freePort, startTestInstance, type TestInstance } from "../helpers/instance.ts";
import { upsertFollow } from "../../db/follows.ts";
import { axeViolations, browserSkipReason, horizontalOverflow, launchBrowser, signInAsAdmin, type TestBrowser } from "../helpers/browser.ts";
import { upsertRemoteMunicipality } from "../../db/municipalities.ts";
import { upsertImitationLink } from "../../db/imitations.ts";
import { projects } from "../../db/schema.ts";

// The national (KS) instance's public pages in a real browser: the overview as
// front page, the list of municipalities and one municipality, each checked
// with axe-core (WCAG 2.1 AA) and for horizontal scrolling on a 360 px phone.
describe.skipIf(browserSkipReason)("the aggregator's pages in Chromium", () => {
  let ks: TestInstance;
  let browser: TestBrowser;
  let page: Page;
  let fredrikstadId: string;

  beforeAll(async () => {
    ks = await startTestInstance({
      env: { KOMINN_ROLE: "aggregator" },
      setup: { name: "KS", handle: "ks", kommunenummer: null, adminEmail: "admin@ks.test" },
    });
    const db = ks.ctx.db;
    const remote = async (handle: string, name: string, kommunenummer: string, fylke: string) =>
      upsertRemoteMunicipality(db, { actorUrl: `https://${handle}.example/kommune/${handle}`, handle, domain: `${handle}.example`, name, kommunenummer, fylke });
    const fredrikstad = await remote("fredrikstad", "Fredrikstad kommune", "3107", "Østfold");
    // A followed municipality that never answers (nothing listens on its port), for the peer check.
    const silent = `http://127.0.0.1:${await freePort()}/kommune/halden`;
    await upsertFollow(db, { targetActorUrl: silent, targetHandle: "@halden@halden.example", targetName: "Halden kommune", targetInbox: `${silent}/inbox`, followActivityId: `${silent}#follow` });
    const bodo = await remote("bodo", "Bodø kommune", "1804", "Nordland");
    fredrikstadId = fredrikstad.id;
    const project = (id: string, m: { id: string; handle: string }, title: string, extra: Partial<typeof projects.$inferInsert> = {}) =>
      db.insert(projects).values({
        id, slug: id, url: `https://${m.handle}.example/prosjekter/${id}`, local: false, municipalityId: m.id, published: true,
        publishedAt: new Date("2026-03-01"), title, summary: `Kort om ${title.toLowerCase()}.`, phase: "test", serviceAreas: ["helse-omsorg"], ...extra,
      });
    await project("fallsensor0001", fredrikstad, "Fallsensorer som varsler alarmsentralen når eldre faller hjemme", { phase: "drift", innovationTypes: ["produkt-tjeneste"] });
    await project("sjobad00000001", fredrikstad, "Svømmeopplæring i sjøen", { serviceAreas: ["oppvekst-utdanning"] });
    await project("fallsensorbodo", bodo, "Fallsensorer i Bodø", {
      imitationOf: "https://fredrikstad.example/prosjekter/fallsensor0001", adaptation: "Tilpasset spredt bosetting",
      publishedAt: new Date("2026-06-01"),
    });
    await upsertImitationLink(db, {
      copyUrl: "https://bodo.example/prosjekter/fallsensorbodo", originalUrl: "https://fredrikstad.example/prosjekter/fallsensor0001",
      copyTitle: "Fallsensorer i Bodø", copyPhase: "test", copyMunicipalityActorUrl: bodo.actorUrl, copyMunicipalityName: bodo.name,
      copyKommunenummer: "1804", copyFylke: "Nordland", originalTitle: "Fallsensorer som varsler alarmsentralen når eldre faller hjemme",
      originalMunicipalityName: "Fredrikstad kommune", createdAt: new Date("2026-06-01"),
    });
    browser = await launchBrowser({ bypassCSP: true });
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
  });
  afterAll(async () => {
    await browser?.close();
    await ks?.close();
  });

  async function check(path: string, name: string) {
    for (const width of [1280, 360]) {
      await page.setViewportSize({ width, height: 800 });
      const response = await page.goto(`${ks.url}${path}`);
      expect(response?.status(), name).toBe(200);
      expect(await axeViolations(page), `${name} at ${width} px`).toEqual([]);
      const overflow = await horizontalOverflow(page);
      expect(overflow.scrollWidth, `${name} at ${width} px: ${overflow.widest}`).toBeLessThanOrEqual(overflow.viewport);
    }
  }

  it("the front page is the national overview and leads on to the municipalities", async () => {
    await check("/", "front page");
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Nasjonal oversikt over kommunal innovasjon");
    await page.getByRole("link", { name: /Se hver deltakende kommune/ }).click();
    await page.waitForURL(/\/kommuner$/);
  });

  it("lists the participating municipalities and shows one with what it imitated and was imitated for", async () => {
    await check("/kommuner", "municipality list");
    const rows = await page.locator("tbody tr").evaluateAll((trs) => trs.map((tr) => Array.from(tr.children, (c) => c.textContent?.trim())));
    expect(rows).toEqual([
      ["Bodø kommune", "Nordland", "1", "1", "0"],
      ["Fredrikstad kommune", "Østfold", "2", "0", "1"],
    ]);

    await check(`/kommuner/${fredrikstadId}`, "municipality page");
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Fredrikstad kommune");
    const received = page.locator("section", { has: page.getByRole("heading", { name: "Dette har andre imitert fra kommunen" }) });
    expect(await received.locator("tbody tr").allTextContents()).toEqual([expect.stringContaining("Bodø kommune (Nordland)")]);

    await page.goto(`${ks.url}/kommuner`);
    await page.getByRole("link", { name: "Bodø kommune" }).click();
    const made = page.locator("section", { has: page.getByRole("heading", { name: "Dette har kommunen imitert" }) });
    expect(await made.locator("tbody tr").textContent()).toContain("(Fredrikstad kommune)");
  });

  it("the bulk-follow field can be filled from a file picked on the admin page", async () => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await signInAsAdmin(page, ks);
    await page.goto(`${ks.url}/admin/foderasjon`);
    await page.getByLabel(/hent listen fra en fil/).setInputFiles({
      name: "kommuner.csv",
      mimeType: "text/csv",
      buffer: Buffer.from("adresse\n@fredrikstad@fredrikstad.example\n"),
    });
    await expect.poll(() => page.getByLabel("Kommunenes adresser").inputValue()).toContain("@fredrikstad@fredrikstad.example");
    expect(await axeViolations(page)).toEqual([]);
  });

  it("the administrator asks the followed municipalities whether they still answer, and sees who did not", async () => {
    await page.goto(`${ks.url}/admin/foderasjon`);
    await page.getByRole("button", { name: "Sjekk om de svarer" }).click();
    await page.waitForLoadState();
    const status = page.getByRole("status").filter({ hasText: "Sjekket" });
    expect(await status.textContent()).toContain("@halden@halden.example: svarte ikke");
    expect(await axeViolations(page)).toEqual([]);
  });
});
