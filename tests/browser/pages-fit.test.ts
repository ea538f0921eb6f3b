import { mkdirSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { startTestInstance, type TestInstance } from "../helpers/instance.ts";
import { axeViolations, browserSkipReason, horizontalOverflow, launchBrowser, signInAsAdmin, type TestBrowser } from "../helpers/browser.ts";
import { upsertRemoteMunicipality } from "../../db/municipalities.ts";
import { upsertFollow } from "../../db/follows.ts";
import { getProjectByUrl } from "../../db/projects.ts";
import { projects } from "../../db/schema.ts";
import { upsertImitationLink } from "../../db/imitations.ts";
import { rebuildOverviewCounts } from "../../db/overview-counters.ts";
import { createAccount, createApiToken } from "../../db/accounts.ts";

// Issue 15's checks for the pages of helper "pages": at 1280 and 390 px the
// front page, list, project page, search, federation admin and the KS
// overview are axe-clean, never scroll sideways, cut no text and show every
// action. KOMINN_SCREENSHOTS=/dir keeps a picture of each.
const shotsDir = process.env.KOMINN_SCREENSHOTS;
if (shotsDir) mkdirSync(shotsDir, { recursive: true });
const widths = [1280, 390] as const;

/** Elements whose text is cut (content wider than its box, or outside the viewport), and actions not visible. */
async function fitProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const viewport = document.documentElement.clientWidth;
    const name = (el: Element) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ""}${el.className && typeof el.className === "string" ? `.${el.className.split(" ").join(".")}` : ""} «${(el.textContent ?? "").trim().slice(0, 40)}»`;
    // Clipped to nothing on purpose (text for screen readers only): not shown, so not cut.
    const clippedAway = (el: Element) => {
      for (let a: Element | null = el; a; a = a.parentElement) {
        const s = getComputedStyle(a);
        if (s.clipPath !== "none" || (s.clip !== "auto" && s.clip !== "")) return true;
      }
      return false;
    };
    const visible = (el: Element) => {
      const style = getComputedStyle(el);
      return style.display !== "none" && style.visibility !== "hidden" && !el.closest("details:not([open]) > :not(summary), [hidden]") && !clippedAway(el);
    };
    for (const el of Array.from(document.querySelectorAll("main *"))) {
      if (!visible(el) || el.closest("svg")) continue;
      const rect = el.getBoundingClientRect();
      if (rect.width === 0 && rect.height === 0) continue;
      if (rect.left < -1 || rect.right > viewport + 1) problems.push(`outside the viewport: ${name(el)} (${Math.round(rect.left)}–${Math.round(rect.right)})`);
      const style = getComputedStyle(el);
      const clips = style.overflowX !== "visible" || style.textOverflow === "ellipsis";
      if (clips && el.scrollWidth > el.clientWidth + 1 && !["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName)) {
        problems.push(`text cut: ${name(el)} (${el.scrollWidth} > ${el.clientWidth})`);
      }
      // A date or number broken into one letter per line.
      if (el.tagName === "TIME" && rect.height > parseFloat(style.lineHeight || "20") * 1.6) problems.push(`date wraps: ${name(el)}`);
    }
    for (const el of Array.from(document.querySelectorAll("main a[href], main button, main input[type=submit], main summary"))) {
      if (!visible(el)) continue;
      const rect = el.getBoundingClientRect();
      if (rect.width < 1 || rect.height < 1) problems.push(`action without size: ${name(el)}`);
    }
    return problems;
  });
}

describe.skipIf(browserSkipReason)("pages that fit, at 1280 and 390 px", () => {
  let inst: TestInstance;
  let ks: TestInstance;
  let browser: TestBrowser;
  let page: Page;
  let copySlug: string;

  beforeAll(async () => {
    [inst, ks] = await Promise.all([
      startTestInstance(),
      startTestInstance({ env: { KOMINN_ROLE: "aggregator" }, setup: { name: "KS", handle: "ks", kommunenummer: null, fylke: null, adminEmail: "admin@ks.test" } }),
    ]);
    const actor = { accountId: inst.admin!.id, name: "Anne Admin" };
    for (const db of [inst.ctx.db, ks.ctx.db]) {
      const asker = await upsertRemoteMunicipality(db, {
        actorUrl: "https://asker.example/kommune/asker", handle: "asker", domain: "asker.example",
        name: "Asker kommune", kommunenummer: "3203", fylke: "Akershus",
      });
      const sarpsborg = await upsertRemoteMunicipality(db, {
        actorUrl: "https://sarpsborg.example/kommune/sarpsborg", handle: "sarpsborg", domain: "sarpsborg.example",
        name: "Sarpsborg kommune", kommunenummer: "3105", fylke: "Østfold",
      });
      await db.insert(projects).values([
        {
          id: "askerbolig001", slug: "boligkontor", url: "https://asker.example/prosjekter/boligkontor", local: false, municipalityId: asker.id,
          published: true, publishedAt: new Date("2026-01-01"), title: "Samordnet boligkontor for vanskeligstilte på boligmarkedet",
          summary: "Ett sted å spørre om bolig, laget med tjenestedesign sammen med brukerne.", phase: "drift", seekingPartners: true,
          serviceAreas: ["nav-sosial", "plan-bygg", "administrasjon-digitalisering"],
          contacts: [{ name: "Aslak Asker", role: "Leder", email: "aslak@asker.example" }],
        },
        {
          id: "sarpsborgsjo01", slug: "sjobad", url: "https://sarpsborg.example/prosjekter/sjobad", local: false, municipalityId: sarpsborg.id,
          published: true, publishedAt: new Date("2026-02-01"), title: "Svømmeopplæring i sjøen", summary: "Sjøen som klasserom.",
          phase: "test", serviceAreas: ["oppvekst-utdanning"],
        },
      ]);
      await upsertFollow(db, {
        targetActorUrl: "https://asker.example/kommune/asker", targetHandle: "@asker@asker.example", targetName: "Asker kommune",
        targetInbox: "https://asker.example/kommune/asker/inbox", followActivityId: "https://asker.example/kommune/asker#follow",
      });
    }
    // On the national instance, Sarpsborg's copy of Asker's solution, so "Mest imiterte" has a row.
    const sarpsborgKs = (await ks.ctx.db.query.municipalities.findFirst({ where: (m, { eq }) => eq(m.handle, "sarpsborg") }))!;
    await ks.ctx.db.insert(projects).values({
      id: "sarpsborgbol01", slug: "bolig", url: "https://sarpsborg.example/prosjekter/bolig", local: false, municipalityId: sarpsborgKs.id,
      published: true, publishedAt: new Date("2026-03-01"), title: "Samordnet boligkontor for vanskeligstilte på boligmarkedet",
      summary: "Ett sted å spørre om bolig.", phase: "test", serviceAreas: ["nav-sosial"],
      imitationOf: "https://asker.example/prosjekter/boligkontor", adaptation: "Mindre kontor",
    });
    await upsertImitationLink(ks.ctx.db, {
      copyUrl: "https://sarpsborg.example/prosjekter/bolig", originalUrl: "https://asker.example/prosjekter/boligkontor",
      copyTitle: "Samordnet boligkontor for vanskeligstilte på boligmarkedet", copyPhase: "test",
      copyMunicipalityActorUrl: sarpsborgKs.actorUrl, copyMunicipalityName: "Sarpsborg kommune", copyKommunenummer: "3105", copyFylke: "Østfold",
      originalTitle: "Samordnet boligkontor for vanskeligstilte på boligmarkedet", originalMunicipalityName: "Asker kommune", createdAt: new Date("2026-03-01"),
    });
    await rebuildOverviewCounts(ks.ctx.db);
    const own = await inst.ctx.projects.create(inst.municipality!, {
      title: "Fallsensorer som varsler alarmsentralen når eldre faller hjemme", summary: "Sensorer i hjemmet varsler alarmsentralen.",
      phase: "drift", serviceAreas: ["helse-omsorg"], floke: "Eldre faller hjemme og blir liggende.", behov: "Trygghet hjemme lenger.",
      description: "Vi testet sensorer hos 40 brukere i et halvt år.", lessons: "Opplæring av pårørende var viktig.",
      realisedBenefits: [{ kind: "kvalitet", description: "Tryggere hverdag" }], plannedBenefits: [{ kind: "tid", description: "Færre utrykninger" }],
      contacts: [{ name: "Kari Kontakt", role: "Prosjektleder", email: "kari@fredrikstad.test" }],
      methods: ["tjenestedesign"], innovationTypes: ["produkt-tjeneste"], startDate: "2024-01-15", published: true,
    }, actor);
    void own;
    const draft = await inst.ctx.imitations.imitate(inst.municipality!, (await getProjectByUrl(inst.ctx.db, "https://asker.example/prosjekter/boligkontor"))!, actor);
    const copy = await inst.ctx.projects.update(inst.municipality!, draft, { adaptation: "Vi tok med Husbanken.", published: true }, actor);
    copySlug = copy.slug;
    await Promise.all([inst.ctx.events.settled(), ks.ctx.events.settled()]);
    browser = await launchBrowser({ bypassCSP: true });
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
  });
  afterAll(async () => {
    await browser?.close();
    await Promise.all([inst?.close(), ks?.close()]);
  });

  async function signIn(target: TestInstance) {
    await page.setViewportSize({ width: 1280, height: 900 });
    await signInAsAdmin(page, target);
  }

  async function fits(target: TestInstance, path: string, name: string) {
    for (const width of widths) {
      await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
      const response = await page.goto(`${target.url}${path}`);
      expect(response?.status(), `${name}`).toBe(200);
      expect(await axeViolations(page), `${name} at ${width} px`).toEqual([]);
      const overflow = await horizontalOverflow(page);
      expect(overflow.scrollWidth, `${name} at ${width} px: ${overflow.widest}`).toBeLessThanOrEqual(overflow.viewport);
      expect(await fitProblems(page), `${name} at ${width} px`).toEqual([]);
      if (shotsDir) await page.screenshot({ path: `${shotsDir}/${name}-${width}.png`, fullPage: true });
    }
  }

  it("a municipality's public pages fit", async () => {
    await fits(inst, "/", "front");
    await fits(inst, "/prosjekter", "list");
    await fits(inst, `/prosjekter/${copySlug}`, "project-imitation");
    await fits(inst, "/prosjekter/fra/askerbolig001", "project-remote");
    // The project page with everything it loads, pictures excluded, within 40 kB uncompressed.
    await page.goto(`${inst.url}/prosjekter/${copySlug}`);
    const weight = await page.evaluate(() => {
      const nav = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming;
      const resources = (performance.getEntriesByType("resource") as PerformanceResourceTiming[]).filter((r) => r.initiatorType !== "img");
      return nav.decodedBodySize + resources.reduce((sum, r) => sum + r.decodedBodySize, 0);
    });
    expect(weight).toBeGreaterThan(10_000);
    expect(weight).toBeLessThanOrEqual(40_000);
    await fits(inst, "/sok?q=bolig", "search");
    await fits(inst, "/kommune/fredrikstad", "profile");
  });

  it("the federation admin page fits, with every action visible", async () => {
    await signIn(inst);
    await fits(inst, "/admin/foderasjon", "federation-admin");
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${inst.url}/admin/foderasjon`);
    expect(await page.getByRole("button", { name: /Slutt å følge/ }).first().isVisible()).toBe(true);
    await fits(inst, `/prosjekter/${copySlug}`, "project-staff");
  });

  it("the staff and API token tables stack on a phone, with every action in view", async () => {
    await createAccount(inst.ctx.db, { email: "rita.redaktor.med.langt.navn@fredrikstad.test", name: "Rita Redaktør", role: "editor", passwordHash: null });
    await createApiToken(inst.ctx.db, inst.admin!.id, "Publisering til kommunens nettsted");
    // Still signed in when the federation admin test ran first.
    await page.goto(`${inst.url}/logg-inn`);
    if ((await page.getByLabel("Passord").count()) > 0) await signIn(inst);
    await fits(inst, "/admin/ansatte", "admin-staff");
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${inst.url}/admin/ansatte`);
    for (const button of [page.getByRole("button", { name: "Endre rolle for Rita Redaktør" }), page.getByRole("button", { name: "Deaktiver Rita Redaktør" })]) {
      await button.scrollIntoViewIfNeeded();
      expect(await button.evaluate((el) => { const r = el.getBoundingClientRect(); return r.left >= 0 && r.right <= document.documentElement.clientWidth; })).toBe(true);
    }
    await fits(inst, "/admin/nokler", "admin-tokens");
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${inst.url}/admin/nokler`);
    const revoke = page.getByRole("button", { name: "Trekk tilbake Publisering til kommunens nettsted" });
    await revoke.scrollIntoViewIfNeeded();
    expect(await revoke.evaluate((el) => { const r = el.getBoundingClientRect(); return r.left >= 0 && r.right <= document.documentElement.clientWidth; })).toBe(true);
  });

  it("the KS instance offers its overview, municipalities, national search and its admin, and no project authoring", async () => {
    await fits(ks, "/", "ks-overview");
    // The charts' labels are text in the page, whole ("Administrasjon og digitalisering", not "dministrasjon og dig…").
    expect(await page.locator("#tjenesteomrade-tittel + table").textContent()).toContain("Administrasjon og digitalisering");
    expect(await page.locator("section", { has: page.locator("#mest-imitert") }).getByRole("row").count()).toBeGreaterThan(1);
    await fits(ks, "/kommuner", "ks-municipalities");
    await fits(ks, "/kommune/ks", "ks-profile");
    await fits(ks, "/sok", "ks-search");
    const nav = await page.getByRole("navigation", { name: "Hovedmeny" }).getByRole("link").allTextContents();
    expect(nav).toEqual(expect.arrayContaining(["Oversikt", "Kommuner", "Søk", "Om oss"]));
    expect(nav).not.toContain("Mine prosjekter");
    expect(await page.locator("main").textContent()).not.toMatch(/Vårt fylke|Vår region/);
    expect(await page.locator("main").textContent()).not.toMatch(/Prosjektene våre/);

    await signIn(ks);
    expect(new URL(page.url()).pathname).toBe("/admin/foderasjon");
    const staffNav = await page.getByRole("navigation", { name: "Hovedmeny" }).getByRole("link").allTextContents();
    expect(staffNav).not.toContain("Nytt prosjekt");
    expect(staffNav).not.toContain("Mine prosjekter");
    await fits(ks, "/admin/foderasjon", "ks-federation-admin");
  });
});
