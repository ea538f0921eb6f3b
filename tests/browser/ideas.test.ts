import { mkdirSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromium, type Page } from "playwright-core";
import { startTestInstance, type TestInstance } from "../helpers/instance.ts";
import { axeViolations, browserSkipReason, chromiumPath, horizontalOverflow, launchBrowser, type TestBrowser } from "../helpers/browser.ts";

// KOMINN_SCREENSHOTS=/some/dir keeps a full-page screenshot of each page at 1280 and 390 px.
const shotsDir = process.env.KOMINN_SCREENSHOTS;
if (shotsDir) mkdirSync(shotsDir, { recursive: true });

const isoDay = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);

describe.skipIf(browserSkipReason)("ideas and competitions in Chromium", () => {
  let inst: TestInstance;
  let browser: TestBrowser;
  let visitor: Page;
  let staff: Page;
  const visited = new Map<string, string>();

  beforeAll(async () => {
    inst = await startTestInstance();
    browser = await launchBrowser({ bypassCSP: true });
    visitor = browser.context.pages()[0] ?? (await browser.context.newPage());
    // Staff in a second window of the same browser would share cookies: a browser of their own.
    staff = await (await launchBrowser({ bypassCSP: true })).context.newPage();
  });
  afterAll(async () => {
    await staff?.context().close();
    await browser?.close();
    await inst?.close();
  });

  const url = (path: string) => `${inst.url}${path}`;

  async function accessible(page: Page, name: string): Promise<void> {
    const violations = await axeViolations(page);
    expect(violations, `${name}: ${JSON.stringify(violations, null, 1)}`).toEqual([]);
    expect(await page.getAttribute("html", "lang")).toBe("nb");
    visited.set(name, new URL(page.url()).pathname + new URL(page.url()).search);
    if (shotsDir) await page.screenshot({ path: `${shotsDir}/${name}-1280.png`, fullPage: true });
  }

  it("a visitor submits an idea with JavaScript: errors first, then thanks", async () => {
    await visitor.goto(url("/ideer"));
    await accessible(visitor, "ideas-empty");
    await visitor.getByRole("link", { name: "Send inn en idé" }).first().click();
    await visitor.getByRole("button", { name: "Send inn idéen" }).click();
    await expect.poll(() => visitor.locator(".error-summary").count()).toBe(1);
    await accessible(visitor, "idea-form-errors");
    await visitor.getByLabel("Kort tittel på idéen").fill("Benker langs turveien");
    await visitor.getByLabel("Hvilket problem ser du?").fill("Eldre orker ikke gå hele turveien uten å hvile.");
    await visitor.getByLabel("Hva er idéen din?").fill("Sett opp en benk hver 300. meter.");
    await visitor.getByLabel("Tjenesteområde").selectOption("teknisk-miljo");
    await visitor.getByRole("textbox", { name: /^Navn/ }).fill("Kari Nordmann");
    await visitor.getByLabel("E-post for svar").fill("kari@example.no");
    await visitor.getByLabel("Vis navnet mitt sammen med idéen").check();
    await visitor.getByRole("button", { name: "Send inn idéen" }).click();
    await expect.poll(() => visitor.locator("h1").textContent()).toBe("Takk for idéen");
    await accessible(visitor, "idea-thanks");
  });

  it("a visitor without JavaScript submits an idea too", async () => {
    const b = await chromium.launch({ executablePath: chromiumPath, headless: true, args: ["--no-sandbox", "--disable-gpu"] });
    try {
      const ctx = await b.newContext({ javaScriptEnabled: false, locale: "nb-NO" });
      const p = await ctx.newPage();
      await p.goto(url("/ideer/ny"));
      await p.getByLabel("Kort tittel på idéen").fill("Lys i gangvegen");
      await p.getByLabel("Hvilket problem ser du?").fill("Det er mørkt om vinteren.");
      await p.getByLabel("Hva er idéen din?").fill("Gatelys med bevegelsessensor.");
      await p.getByRole("button", { name: "Send inn idéen" }).click();
      await p.waitForLoadState();
      expect(await p.locator("h1").textContent()).toBe("Takk for idéen");
    } finally {
      await b.close();
    }
  });

  it("staff sign in, moderate, answer, and the visitor sees the answer", async () => {
    await staff.goto(url("/logg-inn"));
    await staff.getByLabel("E-post").fill(inst.admin!.email);
    await staff.getByLabel("Passord").fill(inst.adminPassword);
    await staff.getByRole("button", { name: "Logg inn" }).click();
    await staff.waitForURL(/\/admin/);
    await staff.goto(url("/admin/ideer"));
    await accessible(staff, "idea-queue");
    await staff.getByRole("button", { name: /Godkjenn.*Benker langs turveien/ }).click();
    await staff.waitForURL(/\/admin\/ideer\?melding=lagret/);
    await staff.goto(url("/ideer"));
    await staff.getByRole("link", { name: "Benker langs turveien" }).click();
    await accessible(staff, "idea-staff");
    await staff.getByLabel("Ny status").selectOption("blitt_prosjekt");
    await staff.getByLabel("Begrunnelse (vises offentlig)").fill("Teknisk drift setter opp benkene i vår.");
    await staff.getByRole("button", { name: "Lagre svaret" }).click();
    await expect.poll(() => staff.locator(".error-summary").count()).toBe(1);
    expect(await staff.getByLabel("Begrunnelse (vises offentlig)").inputValue()).toBe("Teknisk drift setter opp benkene i vår.");
    await accessible(staff, "idea-answer-errors");
    await staff.getByLabel("Ny status").selectOption("tatt_videre");
    await staff.getByRole("button", { name: "Lagre svaret" }).click();
    await staff.waitForURL(/melding=lagret/);

    await visitor.goto(url(new URL(staff.url()).pathname));
    await expect.poll(() => visitor.locator(".idea-history").textContent()).toContain("Teknisk drift setter opp benkene i vår.");
    expect(await visitor.locator(".idea-facts").textContent()).toContain("Kari Nordmann");
    await accessible(visitor, "idea-public");
  });

  it("runs a competition: opened, an idea submitted, scored by the jury, winners announced", async () => {
    await staff.goto(url("/konkurranser"));
    await staff.getByRole("link", { name: "Ny idékonkurranse" }).click();
    await accessible(staff, "challenge-form");
    await staff.getByLabel("Tittel").fill("Mindre matsvinn i skolekantinene");
    await staff.getByLabel("Problemet dere vil ha idéer til").fill("Skolekantinene kaster mye mat hver uke.");
    await staff.getByLabel("Hvem kan delta", { exact: true }).fill("Elever, foreldre og ansatte");
    await staff.getByLabel("Åpner (dato)").fill(isoDay(-1));
    await staff.getByLabel("Stenger (siste dag)").fill(isoDay(20));
    await staff.getByRole("textbox", { name: /^Kriterium 1/ }).fill("Nytte");
    await staff.getByRole("textbox", { name: /^Kriterium 2/ }).fill("Kostnad");
    await staff.getByLabel("Premier").fill("Pizza til klassen");
    await staff.getByRole("button", { name: "Opprett konkurransen" }).click();
    await staff.waitForURL(/\/konkurranser\/[a-z0-9]+$/);
    const challengePath = new URL(staff.url()).pathname;

    await visitor.goto(url(challengePath));
    await accessible(visitor, "challenge-public");
    await visitor.getByRole("link", { name: "Send inn en idé til konkurransen" }).click();
    await visitor.getByLabel("Kort tittel på idéen").fill("Bestill porsjoner dagen før");
    await visitor.getByLabel("Hvilket problem ser du?").fill("Kjøkkenet vet ikke hvor mange som spiser.");
    await visitor.getByLabel("Hva er idéen din?").fill("Elevene krysser av i en app dagen før.");
    await visitor.getByRole("button", { name: "Send inn idéen" }).click();
    await expect.poll(() => visitor.locator("h1").textContent()).toBe("Takk for idéen");
    await staff.goto(url("/admin/ideer"));
    await staff.getByRole("button", { name: /Godkjenn.*Bestill porsjoner dagen før/ }).click();
    await staff.waitForURL(/melding=lagret/);

    await staff.goto(url(challengePath));
    await accessible(staff, "challenge-jury");
    await staff.getByLabel("Nytte (1–5)").fill("9");
    await staff.getByLabel("Kostnad (1–5)").fill("4");
    await staff.getByRole("button", { name: /Lagre poeng.*Bestill porsjoner dagen før/ }).click();
    await expect.poll(() => staff.locator(".error-summary").count()).toBe(1);
    await accessible(staff, "challenge-score-errors");
    await staff.getByLabel("Nytte (1–5)").fill("5");
    await staff.getByRole("button", { name: /Lagre poeng.*Bestill porsjoner dagen før/ }).click();
    await staff.waitForURL(/melding=lagret/);
    expect(await staff.locator("table").first().textContent()).toContain("9");
    await staff.getByLabel("Bestill porsjoner dagen før").check();
    await staff.getByLabel("Kunngjøring (vises offentlig)").fill("Enkel å få til, og sparer mye mat.");
    await staff.getByRole("button", { name: "Kår vinnerne" }).click();
    await staff.waitForURL(new RegExp(`${challengePath}$`));

    await visitor.goto(url(challengePath));
    expect(await visitor.locator("#vinnere").textContent()).toBe("Vinnere");
    expect(await visitor.locator("main").textContent()).toContain("Enkel å få til, og sparer mye mat.");
    await accessible(visitor, "challenge-winners");
    await visitor.goto(url("/konkurranser"));
    await accessible(visitor, "challenges");
    await visitor.goto(url("/ideer/tall"));
    await accessible(visitor, "idea-measure");
    await staff.goto(url("/admin/e-post"));
    await accessible(staff, "mail-admin");
  });

  it("every page is clean and fits at 390 px", async () => {
    for (const page of [visitor, staff]) await page.setViewportSize({ width: 390, height: 844 });
    const staffPages = new Set(["idea-queue", "idea-staff", "idea-answer-errors", "challenge-form", "challenge-jury", "challenge-score-errors", "mail-admin"]);
    for (const [name, path] of visited) {
      if (name.endsWith("-errors") || name === "idea-thanks") continue; // results of a POST
      const page = staffPages.has(name) ? staff : visitor;
      await page.goto(url(path));
      const violations = await axeViolations(page);
      expect(violations, `${name} at 390: ${JSON.stringify(violations, null, 1)}`).toEqual([]);
      const overflow = await horizontalOverflow(page);
      expect(overflow.scrollWidth, `${name} at 390: ${overflow.widest}`).toBeLessThanOrEqual(overflow.viewport);
      if (shotsDir) await page.screenshot({ path: `${shotsDir}/${name}-390.png`, fullPage: true });
    }
  });
});
