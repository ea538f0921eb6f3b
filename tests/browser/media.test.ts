// Pictures on projects and the actor's pictures, driven in Chromium as staff
// use them: the upload forms on the edit page and the profile page (no
// JavaScript needed), a refused upload that keeps the typed text, and the
// project page with its pictures. axe-core clean and no horizontal overflow
// at 1280 × 900 and 390 × 844.
import { mkdirSync, writeFileSync } from "node:fs";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestInstance, type TestInstance } from "../helpers/instance.ts";
import { browserSkipReason, expectCleanAtBothSizes, launchBrowser, signInAsAdmin, type TestBrowser } from "../helpers/browser.ts";
import { addProject } from "../http/pages-support.ts";

// Set KOMINN_SCREENSHOTS=/some/dir to keep full-page screenshots of what the tests saw.
const shotsDir = process.env.KOMINN_SCREENSHOTS;
if (shotsDir) mkdirSync(shotsDir, { recursive: true });

describe.skipIf(browserSkipReason)("pictures and documents in Chromium", () => {
  let inst: TestInstance;
  let browser: TestBrowser;
  let page: Page;
  let files: string;
  let project: Awaited<ReturnType<typeof addProject>>;

  beforeAll(async () => {
    inst = await startTestInstance();
    browser = await launchBrowser({ bypassCSP: true });
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
    files = mkdtempSync(join(tmpdir(), "kominn-upload-"));
    const photo = (w: number, h: number, colour: string) => sharp({ create: { width: w, height: h, channels: 3, background: colour } }).jpeg().toBuffer();
    writeFileSync(join(files, "hjemmebesok.jpg"), await photo(2400, 1600, "#2e6f9e"));
    writeFileSync(join(files, "sensor.jpg"), await photo(1200, 1200, "#c0703a"));
    writeFileSync(join(files, "logo.png"), await sharp({ create: { width: 600, height: 600, channels: 4, background: "#1f4e7980" } }).png().toBuffer());
    writeFileSync(join(files, "ikke-et-bilde.jpg"), "<svg xmlns='http://www.w3.org/2000/svg'/>");
    writeFileSync(join(files, "rapport.pdf"), "%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n");
    project = await addProject(inst, {
      title: "Trygghetsteknologi i hjemmetjenesten",
      summary: "Sensorer og digitalt tilsyn gir færre unødvendige besøk om natten.",
      published: true,
    });
    await signInAsAdmin(page, inst);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await inst?.close();
  });


  it("staff upload pictures, a PDF and a video link on the edit page; a refused file keeps the typed text", async () => {
    await page.goto(`${inst.url}/admin/prosjekter/${project.id}/rediger`);
    const section = page.locator("#vedlegg");
    await section.getByLabel("Fil").setInputFiles(join(files, "ikke-et-bilde.jpg"));
    await section.getByLabel("Bildetekst eller dokumenttittel").fill("Et bilde som ikke er det");
    await section.getByRole("button", { name: "Last opp" }).click();
    await expect.poll(() => page.locator("#vedlegg .field-error").first().textContent()).toContain("SVG-bilder tas ikke imot");
    expect(await page.locator("#f-vedlegg-alt").inputValue()).toBe("Et bilde som ikke er det");

    for (const [file, alt] of [
      ["hjemmebesok.jpg", "En sykepleier viser en bruker hvordan trygghetsalarmen virker"],
      ["sensor.jpg", "Bevegelsessensor montert over en dør"],
      ["rapport.pdf", "Evalueringsrapport 2026"],
    ]) {
      await page.locator("#vedlegg").getByLabel("Fil").setInputFiles(join(files, file));
      await page.locator("#vedlegg").getByLabel("Bildetekst eller dokumenttittel").fill(alt);
      await page.locator("#vedlegg").getByRole("button", { name: "Last opp" }).click();
      await page.waitForURL(/vedlegg=lagt-til/);
    }
    await page.getByLabel("Adresse til videoen").fill("https://video.example/trygghet");
    await page.getByLabel("Tittel på lenken").fill("Film: en natt med digitalt tilsyn");
    await page.getByRole("button", { name: "Legg til lenke" }).click();
    await page.waitForURL(/vedlegg=lagt-til/);
    expect(await page.locator(".media-admin-list li").count()).toBe(4);
    await page.locator("#vedlegg").scrollIntoViewIfNeeded();
    await expectCleanAtBothSizes(page, "edit-upload");
  });

  it("the project page shows the pictures with their alt text, the report and the video", async () => {
    await page.goto(`${inst.url}/prosjekter/${project.slug}`);
    const lead = page.locator(".media-lead img");
    expect(await lead.getAttribute("alt")).toBe("En sykepleier viser en bruker hvordan trygghetsalarmen virker");
    expect(await lead.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(1600);
    expect(await page.getByRole("link", { name: "Evalueringsrapport 2026" }).count()).toBe(1);
    expect(await page.getByRole("link", { name: "Film: en natt med digitalt tilsyn" }).getAttribute("href")).toBe("https://video.example/trygghet");
    await expectCleanAtBothSizes(page, "project-page");
  });

  it("the administrator uploads a logo on the profile page and pins the project", async () => {
    await page.goto(`${inst.url}/admin/kommune`);
    const icon = page.locator(".profile-picture").first();
    await icon.getByLabel("Fil").setInputFiles(join(files, "logo.png"));
    await icon.getByLabel("Beskrivelse av bildet").fill("Fredrikstads kommunevåpen");
    await icon.getByRole("button", { name: "Last opp" }).click();
    await page.waitForURL(/fodiverset=bilde/);
    expect(await page.locator(".profile-picture-icon").getAttribute("alt")).toBe("Fredrikstads kommunevåpen");
    await page.getByRole("button", { name: `Fest «${project.title}»` }).click();
    await page.waitForURL(/fodiverset=festet/);
    expect(await page.getByRole("button", { name: `Løsne «${project.title}»` }).count()).toBe(1);
    await expectCleanAtBothSizes(page, "admin-profile");
  });
});
