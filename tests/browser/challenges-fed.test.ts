import { mkdirSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import type { TestInstance } from "../helpers/instance.ts";
import { browserSkipReason, expectCleanAtBothSizes, launchBrowser, signInAsAdmin, type TestBrowser } from "../helpers/browser.ts";
import { listPublicIdeas } from "../../db/ideas.ts";
import { eventually, follow, startMunicipality } from "../federation/helpers.ts";

// KOMINN_SCREENSHOTS=/some/dir keeps a full-page screenshot of each page at 1280 and 390 px.
const shotsDir = process.env.KOMINN_SCREENSHOTS;
if (shotsDir) mkdirSync(shotsDir, { recursive: true });

const isoDay = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);

// Fredrikstad's staff open a competition to other municipalities; in
// Sarpsborg (which follows Fredrikstad) a visitor sees it, and staff send an
// idea to it (plain forms), in Chromium.
describe.skipIf(browserSkipReason)("a competition from another municipality in Chromium", () => {
  let a: TestInstance;
  let b: TestInstance;
  let browsers: TestBrowser[] = [];
  let staffA: Page;
  let staffB: Page;
  let visitor: Page;

  beforeAll(async () => {
    [a, b] = await Promise.all([startMunicipality("fredrikstad"), startMunicipality("sarpsborg")]);
    await follow(b, a);
    browsers = await Promise.all([0, 1, 2].map(() => launchBrowser({ bypassCSP: true })));
    // Each in a browser of its own: no shared cookies.
    [staffA, staffB, visitor] = await Promise.all(browsers.map(async (br) => br.context.pages()[0] ?? br.context.newPage()));
  }, 90_000);
  afterAll(async () => {
    await Promise.all(browsers.map((br) => br.close()));
    await Promise.all([a?.close(), b?.close()]);
  });

  it("is opened to others, shown as from its owner, and takes an idea from the follower's staff", async () => {
    await signInAsAdmin(staffA, a);
    await staffA.goto(`${a.url}/admin/konkurranser/ny`);
    await staffA.getByLabel("Tittel", { exact: true }).fill("Mindre matsvinn i kantinene");
    await staffA.getByLabel("Problemet dere vil ha idéer til").fill("Vi kaster **for mye** mat.");
    await staffA.getByLabel("Hvem kan delta").fill("Ansatte i kommunene");
    await staffA.getByLabel("Åpner").fill(isoDay(0));
    await staffA.getByLabel("Stenger").fill(isoDay(14));
    await staffA.getByLabel("Kriterium 1", { exact: true }).fill("Nytte");
    await staffA.getByLabel("Åpne konkurransen for andre kommuner").check();
    await staffA.getByRole("button", { name: "Opprett konkurransen" }).click();
    await staffA.waitForURL(/\/konkurranser\/[a-z0-9]+$/);
    expect(await staffA.locator("main").textContent()).toContain("Åpen for andre kommuner");
    const challengePath = new URL(staffA.url()).pathname;

    await eventually(async () => {
      await visitor.goto(`${b.url}/konkurranser`);
      return (await visitor.locator("main").textContent())?.includes("Mindre matsvinn i kantinene");
    });
    expect(await visitor.locator("main").textContent()).toContain("fra Fredrikstad kommune");
    await expectCleanAtBothSizes(visitor, "b-konkurranser");
    await visitor.getByRole("link", { name: "Mindre matsvinn i kantinene" }).click();
    expect(await visitor.locator("main").textContent()).toContain("Ansatte som er logget inn kan sende idéer");
    expect(await visitor.locator("form[action$='/forslag']").count()).toBe(0);
    await expectCleanAtBothSizes(visitor, "b-ekstern-besokende");
    const remotePath = new URL(visitor.url()).pathname;

    await signInAsAdmin(staffB, b);
    await staffB.goto(`${b.url}${remotePath}`);
    await staffB.getByRole("button", { name: "Send idéen" }).click();
    expect(await staffB.locator(".error-summary").count()).toBe(1);
    await expectCleanAtBothSizes(staffB, "b-ekstern-feil");
    await staffB.getByLabel("Kort tittel på idéen").fill("Del overskuddsmat med frivillige");
    await staffB.getByLabel("Hvilket problem ser du?").fill("Mat som er igjen etter lunsj kastes.");
    await staffB.getByLabel("Hva er idéen din?").fill("Avtal henting med frivillige lag.");
    await staffB.getByRole("button", { name: "Send idéen" }).click();
    expect(await staffB.locator("main").textContent()).toContain("Idéen er sendt.");
    await expectCleanAtBothSizes(staffB, "b-ekstern-sendt");

    const challengeId = challengePath.split("/").pop()!;
    await eventually(async () => (await listPublicIdeas(a.ctx.db, { challengeId })).length === 1);
    await visitor.goto(`${a.url}${challengePath}`);
    expect(await visitor.locator("main").textContent()).toContain("Del overskuddsmat med frivillige");
  });
});
