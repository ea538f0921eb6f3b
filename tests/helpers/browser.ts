// Real Chromium for browser tests: launch it, run axe-core on a page, check a narrow viewport.
// Reusable by every area (search, federation, web).
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { expect } from "vitest";

export const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** Why browser tests are skipped here, or undefined when Chromium is available. */
export const browserSkipReason: string | undefined = existsSync(chromiumPath)
  ? undefined
  : `Chromium not found at ${chromiumPath}: browser tests are skipped (apt-get install chromium)`;
if (browserSkipReason) console.warn(browserSkipReason);

const launchArgs = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export interface TestBrowser {
  context: BrowserContext;
  close(): Promise<void>;
}

/**
 * Starts Chromium with a fresh user data directory. `bypassCSP` lets axe-core be
 * injected into our pages, whose Content-Security-Policy forbids inline scripts.
 */
export async function launchBrowser(options: { bypassCSP?: boolean; width?: number; height?: number } = {}): Promise<TestBrowser> {
  const userDataDir = await mkdtemp(join(tmpdir(), "kominn-chromium-"));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath,
    headless: true,
    args: launchArgs,
    bypassCSP: options.bypassCSP ?? false,
    viewport: { width: options.width ?? 1280, height: options.height ?? 900 },
    locale: "nb-NO",
  });
  return {
    context,
    async close() {
      await context.close();
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}

const axePath = fileURLToPath(new URL("../../node_modules/axe-core/axe.min.js", import.meta.url));
export const wcag21aa = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/** Runs axe-core on the page as it is now; returns the WCAG violations (empty when clean). */
export async function axeViolations(page: Page, tags: string[] = wcag21aa): Promise<AxeViolation[]> {
  const loaded = await page.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe !== "undefined");
  if (!loaded) await page.addScriptTag({ path: axePath });
  return page.evaluate(async (runTags) => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: unknown) => Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: "tag", values: runTags }, resultTypes: ["violations"] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(" ")) }));
  }, tags);
}

/** Widths of the document and the viewport: a page that fits has no horizontal scrolling. */
export async function horizontalOverflow(page: Page): Promise<{ scrollWidth: number; viewport: number; widest?: string }> {
  return page.evaluate(() => {
    const viewport = document.documentElement.clientWidth;
    let widest: string | undefined;
    for (const el of Array.from(document.querySelectorAll("body *"))) {
      const rect = el.getBoundingClientRect();
      if (rect.right > viewport + 1 && !el.closest(".table-scroll")) {
        widest = `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ""}${el.className ? `.${String(el.className).split(" ").join(".")}` : ""}`;
        break;
      }
    }
    return { scrollWidth: document.documentElement.scrollWidth, viewport, widest };
  });
}

/** Where browser tests save their screenshots (KOMINN_SCREENSHOTS), or undefined. */
export const screenshotsDir: string | undefined = process.env.KOMINN_SCREENSHOTS;

/** The two sizes every page is checked at: a laptop and a phone. */
export const pageSizes = [
  { width: 1280, height: 900 },
  { width: 390, height: 844 },
] as const;

/**
 * The page as it is now, at both sizes: no WCAG 2.1 A/AA violation and no
 * sideways scrolling; a screenshot of each when KOMINN_SCREENSHOTS is set.
 * Leaves the page at the laptop size.
 */
export async function expectCleanAtBothSizes(page: Page, name: string): Promise<void> {
  for (const { width, height } of pageSizes) {
    await page.setViewportSize({ width, height });
    const violations = await axeViolations(page);
    expect(violations, `${name} at ${width}: ${JSON.stringify(violations, null, 1)}`).toEqual([]);
    const overflow = await horizontalOverflow(page);
    expect(overflow.scrollWidth, `${name} at ${width}: ${overflow.widest}`).toBeLessThanOrEqual(overflow.viewport);
    if (screenshotsDir) await page.screenshot({ path: `${screenshotsDir}/${name}-${width}.png`, fullPage: true });
  }
  await page.setViewportSize(pageSizes[0]);
}

/** Signs an instance's administrator in through the sign-in form, and waits until the form is left behind. */
export async function signInAsAdmin(page: Page, instance: { url: string; admin?: { email: string }; adminPassword: string }): Promise<void> {
  await page.goto(`${instance.url}/logg-inn`);
  await page.getByLabel("E-post").fill(instance.admin!.email);
  await page.getByLabel("Passord").fill(instance.adminPassword);
  await page.getByRole("button", { name: "Logg inn" }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/logg-inn"));
}
