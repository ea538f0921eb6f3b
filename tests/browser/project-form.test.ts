// The staff project form in Chromium: one action bar that sends what is typed,
// nothing lost on a refused submit, a warning before leaving unsaved changes,
// and a compact staff header on phones.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { startTestInstance, type TestInstance } from "../helpers/instance.ts";
import { axeViolations, browserSkipReason, horizontalOverflow, launchBrowser, signInAsAdmin, type TestBrowser } from "../helpers/browser.ts";
import { getProject } from "../../db/projects.ts";
import { drivers } from "../helpers/databases.ts";
import type { ProjectCreate } from "../../core/project.ts";

describe.skipIf(browserSkipReason).each(drivers)("the project form in Chromium on %s", (driver) => {
  let inst: TestInstance;
  let wide: TestBrowser;
  let narrow: TestBrowser;
  let page: Page;
  let phone: Page;

  const actor = () => ({ accountId: inst.admin!.id, name: "Anne Admin" });
  const draft = (title: string, extra: Partial<ProjectCreate> = {}) =>
    inst.ctx.projects.create(inst.municipality!, { title, summary: "Første utgave", phase: "ide", ...extra } as ProjectCreate, actor());

  async function accessible(p: Page, name: string): Promise<void> {
    expect(await axeViolations(p), name).toEqual([]);
    const overflow = await horizontalOverflow(p);
    expect(overflow.scrollWidth, `${name} overflows: ${overflow.widest}`).toBeLessThanOrEqual(overflow.viewport);
  }

  beforeAll(async () => {
    inst = await startTestInstance({ driver });
    wide = await launchBrowser({ bypassCSP: true });
    narrow = await launchBrowser({ bypassCSP: true, width: 390, height: 844 });
    page = wide.context.pages()[0] ?? (await wide.context.newPage());
    phone = narrow.context.pages()[0] ?? (await narrow.context.newPage());
    await signInAsAdmin(page, inst);
    await signInAsAdmin(phone, inst);
  });
  afterAll(async () => {
    await wide?.close();
    await narrow?.close();
    await inst?.close();
  });

  it("Publiser publishes the title and summary just typed, and followers get that version", async () => {
    const project = await draft("Gammel tittel");
    await page.goto(`${inst.url}/admin/prosjekter/${project.id}/rediger`);
    await accessible(page, "draft edit form");
    await page.getByLabel("Tittel (må fylles ut)").fill("Ny tittel fra skjemaet");
    await page.getByLabel("Sammendrag").fill("Nytt sammendrag fra skjemaet");
    await page.getByRole("button", { name: "Publiser", exact: true }).click();
    await page.waitForURL(/melding=lagret-publisert$/);
    expect(await page.locator(".notice").textContent()).toContain("Endringene er lagret, og prosjektet er publisert.");
    expect(await page.locator(".status-box").textContent()).toContain("Publisert");
    expect(await getProject(inst.ctx.db, project.id)).toMatchObject({
      published: true, title: "Ny tittel fra skjemaet", summary: "Nytt sammendrag fra skjemaet",
    });
    await inst.ctx.events.settled();
    const ap = { accept: "application/activity+json" };
    const outbox = await (await fetch(`${inst.municipality!.actorUrl}/outbox`, { headers: ap })).json();
    const first = typeof outbox.first === "string" ? outbox.first : outbox.first.id;
    const items = (await (await fetch(first, { headers: ap })).json()).orderedItems as { type: string; object: { id: string; name: string } }[];
    expect(items.find((i) => i.object?.id === project.url)).toMatchObject({ type: "Create", object: { name: "Ny tittel fra skjemaet" } });

    // Lagre on the published project keeps it published, with the edit.
    await page.getByLabel("Sammendrag").fill("Rettet sammendrag");
    await page.getByRole("button", { name: "Lagre", exact: true }).click();
    await page.waitForURL(/melding=lagret$/);
    expect(await getProject(inst.ctx.db, project.id)).toMatchObject({ published: true, summary: "Rettet sammendrag" });
  });

  it("keeps every typed value when Publiser is refused, then publishes all of it once the adaptation is given", async () => {
    const original = await draft("Originalen", { published: true });
    const copy = await inst.ctx.projects.create(
      inst.municipality!, { title: "Kopien", summary: "Etter originalen", phase: "forstaelse" }, actor(), { imitationOf: original.url },
    );
    await page.goto(`${inst.url}/admin/prosjekter/${copy.id}/rediger`);
    await accessible(page, "imitation edit form");
    await page.getByLabel("Tittel (må fylles ut)").fill("Kopien, tilpasset");
    await page.getByLabel("Beskrivelse", { exact: true }).fill("Første linje\nAndre linje");
    await page.getByLabel("Fase").selectOption("test");
    await page.getByLabel("N3-status").selectOption("nyttig");
    await page.getByRole("checkbox", { name: "Helse og omsorg" }).check();
    await page.getByRole("checkbox", { name: "Tjenestedesign" }).check();
    await page.getByRole("checkbox", { name: "Prosjektet søker samarbeidspartnere" }).check();
    await page.locator("#f-contacts-0-name").fill("Kari Kontakt");
    await page.locator("#f-contacts-0-email").fill("kari@fredrikstad.test");
    // A second contact person, in a row the script adds.
    await page.getByRole("button", { name: "Legg til kontaktperson" }).click();
    await page.locator("#f-contacts-1-name").fill("Ola Nordmann");
    await page.locator("#f-contacts-1-role").fill("Fagleder");
    await page.getByLabel("Hva virket ikke").fill("Påminnelser på SMS ble ignorert.");
    await page.getByRole("button", { name: "Publiser", exact: true }).click();
    await page.waitForLoadState();

    await expect.poll(() => page.locator(".error-summary").textContent()).toContain("Tilpasning: fortell hva dere har tilpasset");
    expect(await page.locator(".error-summary").textContent()).not.toContain("?:");
    expect(await page.locator(".error-summary").textContent()).toContain("Ingenting er lagret eller publisert ennå");
    await accessible(page, "refused publish");
    expect(await page.getByLabel("Tittel (må fylles ut)").inputValue()).toBe("Kopien, tilpasset");
    expect(await page.getByLabel("Beskrivelse", { exact: true }).inputValue()).toBe("Første linje\nAndre linje");
    expect(await page.getByLabel("Fase").inputValue()).toBe("test");
    expect(await page.getByLabel("N3-status").inputValue()).toBe("nyttig");
    expect(await page.getByRole("checkbox", { name: "Helse og omsorg" }).isChecked()).toBe(true);
    expect(await page.getByRole("checkbox", { name: "Tjenestedesign" }).isChecked()).toBe(true);
    expect(await page.getByRole("checkbox", { name: "Prosjektet søker samarbeidspartnere" }).isChecked()).toBe(true);
    expect(await page.locator("#f-contacts-0-name").inputValue()).toBe("Kari Kontakt");
    expect(await page.locator("#f-contacts-0-email").inputValue()).toBe("kari@fredrikstad.test");
    expect(await page.locator("#f-contacts-1-name").inputValue()).toBe("Ola Nordmann");
    expect(await page.locator("#f-contacts-1-role").inputValue()).toBe("Fagleder");
    expect(await page.getByLabel("Hva virket ikke").inputValue()).toBe("Påminnelser på SMS ble ignorert.");
    expect(await getProject(inst.ctx.db, copy.id)).toMatchObject({ published: false, title: "Kopien", contacts: [] });

    await page.getByLabel("Hva har dere tilpasset?").fill("Vi bruker det i hjemmetjenesten i stedet for på sykehjem.");
    await page.getByRole("button", { name: "Publiser", exact: true }).click();
    await page.waitForURL(/melding=lagret-publisert$/);
    expect(await getProject(inst.ctx.db, copy.id)).toMatchObject({
      published: true,
      title: "Kopien, tilpasset",
      adaptation: "Vi bruker det i hjemmetjenesten i stedet for på sykehjem.",
      description: "Første linje\nAndre linje",
      phase: "test",
      n3Stage: "nyttig",
      serviceAreas: ["helse-omsorg"],
      methods: ["tjenestedesign"],
      seekingPartners: true,
      contacts: [
        { name: "Kari Kontakt", role: "", email: "kari@fredrikstad.test" },
        { name: "Ola Nordmann", role: "Fagleder", email: "" },
      ],
      lessonsFailed: "Påminnelser på SMS ble ignorert.",
    });
  });

  it("asks before leaving with unsaved changes, and not when saving", async () => {
    const project = await draft("Uferdig prosjekt");
    const dialogs: string[] = [];
    page.on("dialog", (dialog) => {
      dialogs.push(dialog.type());
      void dialog.dismiss();
    });
    await page.goto(`${inst.url}/admin/prosjekter/${project.id}/rediger`);
    // Nothing typed yet: leaving asks nothing.
    await page.getByRole("link", { name: "Forhåndsvis" }).click();
    await page.waitForURL(/\/prosjekter\/uferdig-prosjekt$/);
    expect(dialogs).toEqual([]);

    await page.goto(`${inst.url}/admin/prosjekter/${project.id}/rediger`);
    expect(await page.locator("[data-unsaved-note]").isVisible()).toBe(false);
    await page.getByLabel("Floke (samfunnsutfordringen)").fill("Ensomhet blant eldre");
    expect(await page.locator("[data-unsaved-note]").isVisible()).toBe(true);
    // The contents list counts what is filled in as it is typed.
    expect(await page.locator('[data-state-for="floke-behov"]').textContent()).toContain("1 av 2");
    await page.getByRole("link", { name: "Forhåndsvis" }).click();
    await expect.poll(() => dialogs).toEqual(["beforeunload"]);
    // Staying keeps the page and what was typed.
    expect(page.url()).toContain("/rediger");
    expect(await page.getByLabel("Floke (samfunnsutfordringen)").inputValue()).toBe("Ensomhet blant eldre");

    await page.getByRole("button", { name: "Lagre", exact: true }).click();
    await page.waitForURL(/melding=lagret$/);
    expect(dialogs).toEqual(["beforeunload"]);
    expect((await getProject(inst.ctx.db, project.id))!.floke).toBe("Ensomhet blant eldre");
    page.removeAllListeners("dialog");
  });

  it("fits a phone: a compact staff header whose menu reaches every link, and an accessible form", async () => {
    const project = await draft("Prosjekt på telefonen");
    for (const path of ["/admin/prosjekter/ny", `/admin/prosjekter/${project.id}/rediger`]) {
      await phone.goto(`${inst.url}${path}`);
      await accessible(phone, `${path} at 390 px`);
      const header = await phone.locator(".site-header").boundingBox();
      expect(header!.height).toBeLessThanOrEqual(100);
    }
    // Every link of the menu is reachable: open it, then each is visible.
    expect(await phone.getByRole("link", { name: "Mine prosjekter" }).isVisible()).toBe(false);
    await phone.getByText("Meny", { exact: true }).click();
    for (const name of ["Prosjekter", "Søk", "Mine prosjekter", "Nytt prosjekt", "Administrasjon"]) {
      expect(await phone.getByRole("link", { name, exact: true }).isVisible(), name).toBe(true);
    }
    expect(await phone.getByRole("button", { name: "Logg ut" }).isVisible()).toBe(true);
    await accessible(phone, "open menu at 390 px");

    // A refused submit on a phone keeps what was typed too.
    await phone.goto(`${inst.url}/admin/prosjekter/ny`);
    await phone.getByLabel("Sammendrag").fill("Uten tittel");
    await phone.getByRole("button", { name: "Lagre og publiser" }).click();
    await expect.poll(() => phone.locator(".error-summary a[href='#f-title']").count()).toBe(1);
    expect(await phone.getByLabel("Sammendrag").inputValue()).toBe("Uten tittel");
    await accessible(phone, "refused new project at 390 px");

    // On a wide screen the navigation is a plain bar, no menu button.
    expect(await page.getByRole("link", { name: "Mine prosjekter" }).isVisible()).toBe(true);
    expect(await page.getByText("Meny", { exact: true }).isVisible()).toBe(false);
  });
});
