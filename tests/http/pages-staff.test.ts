import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { drivers } from "../helpers/databases.ts";
import { startTestInstance, type TestInstance } from "../helpers/instance.ts";
import { getLocalProjectBySlug, getProject, listProjects } from "../../db/projects.ts";
import { addEditor, addProject, csrfFrom, expectNb, signIn, signInAdmin, type Agent } from "./pages-support.ts";

describe.each(drivers)("staff project pages on %s", (driver) => {
  let inst: TestInstance;
  let editor: { agent: Agent; csrf: string };

  beforeAll(async () => {
    inst = await startTestInstance({ driver });
    const { email, password } = await addEditor(inst);
    editor = await signIn(inst, email, password);
  });
  afterAll(() => inst?.close());

  const fullForm = {
    title: "Fallsensorer for eldre",
    summary: "Sensorer varsler alarmsentralen når noen faller.",
    phase: "test",
    description: "## Bakgrunn\n\nFlere eldre vil bo **hjemme**.",
    floke: "Færre hender i eldreomsorgen.",
    behov: "Trygghet om natten.",
    n3Stage: "nyttig",
    scale: "tjenesteomrade",
    innovationTypes: ["produkt-tjeneste", "prosess"],
    serviceAreas: "helse-omsorg",
    strategicAreas: "smart-kommune",
    municipalRoles: "tjenesteprodusent",
    methods: ["tjenestedesign", "gevinstrealisering"],
    funding: "skjonnsmidler",
    "plannedBenefits.0.kind": "tid",
    "plannedBenefits.0.description": "Færre utrykninger",
    "plannedBenefits.1.kind": "",
    "plannedBenefits.1.description": "",
    "realisedBenefits.0.kind": "kvalitet",
    "realisedBenefits.0.description": "Tryggere hverdag",
    "partners.0.type": "naeringsliv",
    "partners.0.name": "Sensor AS",
    "contacts.0.name": "Kari Kontakt",
    "contacts.0.role": "Prosjektleder",
    "contacts.0.email": "kari@fredrikstad.test",
    lessons: "Opplæring var viktig.",
    lessonsFailed: "Armbåndene ble lagt bort om natten.",
    risk: "Lav: vi kan stoppe når som helst.",
    cost: "200 000 kr",
    seekingPartners: "true",
    startDate: "2024-02-01",
    endDate: "2025-06-30",
    publish: "true",
  };

  it("creates a project with every field through the form and shows it publicly", async () => {
    const form = await editor.agent.get("/admin/prosjekter/ny").expect(200);
    expectNb(form.text);
    for (const name of ["title", "summary", "description", "floke", "behov", "phase", "n3Stage", "scale", "innovationTypes", "serviceAreas",
      "strategicAreas", "municipalRoles", "plannedBenefits.0.kind", "realisedBenefits.2.description", "partners.2.name", "funding", "methods",
      "contacts.2.email", "lessons", "lessonsFailed", "risk", "cost", "seekingPartners", "startDate", "endDate"]) {
      expect(form.text, name).toContain(`name="${name}"`);
    }
    const res = await editor.agent.post("/admin/prosjekter/ny").type("form").send({ ...fullForm, _csrf: csrfFrom(form.text) }).expect(303);
    expect(res.headers.location).toMatch(/^\/admin\/prosjekter\/[a-z0-9]+\/rediger\?melding=opprettet$/);

    const project = (await getLocalProjectBySlug(inst.ctx.db, "fallsensorer-for-eldre"))!;
    expect(project).toMatchObject({
      published: true,
      phase: "test",
      n3Stage: "nyttig",
      scale: "tjenesteomrade",
      innovationTypes: ["produkt-tjeneste", "prosess"],
      serviceAreas: ["helse-omsorg"],
      strategicAreas: ["smart-kommune"],
      methods: ["tjenestedesign", "gevinstrealisering"],
      plannedBenefits: [{ kind: "tid", description: "Færre utrykninger" }],
      realisedBenefits: [{ kind: "kvalitet", description: "Tryggere hverdag" }],
      partners: [{ type: "naeringsliv", name: "Sensor AS" }],
      contacts: [{ name: "Kari Kontakt", role: "Prosjektleder", email: "kari@fredrikstad.test" }],
      seekingPartners: true,
      startDate: "2024-02-01",
      endDate: "2025-06-30",
    });
    const page = await request(inst.app).get("/prosjekter/fallsensorer-for-eldre").expect(200);
    expect(page.text).toContain("<strong>hjemme</strong>");

    const edit = await editor.agent.get(res.headers.location).expect(200);
    expect(edit.text).toContain("Prosjektet er opprettet.");
    expect(edit.text).toContain('value="Færre utrykninger"');
    expect(edit.text).toMatch(/name="methods" value="gevinstrealisering" checked/);
    expect(edit.text).toContain('name="plannedBenefits.3.kind"');
  });

  it("shows validation errors next to each field, with a linked summary, keeps the input and stores nothing", async () => {
    const before = (await listProjects(inst.ctx.db, { includeDrafts: true })).total;
    const form = await editor.agent.get("/admin/prosjekter/ny");
    const res = await editor.agent.post("/admin/prosjekter/ny").type("form").send({
      _csrf: csrfFrom(form.text),
      title: "",
      summary: "Beholdes <i>slik</i>",
      phase: "ferdig",
      startDate: "2025-13-40",
      "plannedBenefits.0.kind": "",
      "plannedBenefits.1.kind": "tid",
      "plannedBenefits.1.description": "",
      "contacts.0.name": "Uten e-post",
      "contacts.0.email": "ikke-en-adresse",
      serviceAreas: "finnes-ikke",
    }).expect(400);
    expectNb(res.text);
    expect(res.text).toContain("Skjemaet har feil");
    for (const id of ["f-title", "f-phase", "f-startDate", "f-plannedBenefits-1-description", "f-contacts-0-email", "f-serviceAreas"]) {
      expect(res.text, id).toContain(`href="#${id}"`);
      expect(res.text, id).toContain(`id="${id}-feil"`);
    }
    expect(res.text).toMatch(/id="f-title" name="title"[^>]*aria-invalid="true" aria-describedby="f-title-feil"/);
    expect(res.text).toContain("må fylles ut");
    expect(res.text).toContain("Beholdes &lt;i&gt;slik&lt;/i&gt;");
    expect(res.text).toContain('value="Uten e-post"');
    // The returned form keeps the rows as numbered, plus three empty ones; it does not grow on every error.
    expect(res.text).toContain('name="plannedBenefits.4.kind"');
    expect(res.text).not.toContain('name="plannedBenefits.5.kind"');
    expect(res.text).toContain('name="partners.2.type"');
    expect(res.text).not.toContain('name="partners.3.type"');
    expect((await listProjects(inst.ctx.db, { includeDrafts: true })).total).toBe(before);

    const tooLong = await editor.agent.post("/admin/prosjekter/ny").type("form")
      .send({ _csrf: csrfFrom(form.text), title: "x".repeat(10_000), summary: "S", phase: "ide" }).expect(400);
    expect(tooLong.text).toContain("kan ha høyst 200 tegn");
    const unknownArea = await editor.agent.post("/admin/prosjekter/ny").type("form")
      .send({ _csrf: csrfFrom(form.text), title: "T", summary: "S", phase: "ide", strategicAreas: "ukjent-omrade" }).expect(422);
    expect(unknownArea.text).toContain("ukjent strategisk område");
    const huge = await editor.agent.post("/admin/prosjekter/ny").type("form")
      .send({ _csrf: csrfFrom(form.text), title: "Stor", summary: "S", phase: "ide", description: "x".repeat(2 * 1024 * 1024) }).expect(413);
    expectNb(huge.text);
    expect(huge.text).toContain("Innholdet er for stort");
    expect((await listProjects(inst.ctx.db, { includeDrafts: true })).total).toBe(before);
    await editor.agent.get("/admin/prosjekter").expect(200);
  });

  it("edits, unpublishes and publishes; the history tells staff who changed what", async () => {
    const project = await addProject(inst, { title: "Svømming i sjøen", summary: "Sjøen som klasserom", phase: "ide", published: true });
    const editPath = `/admin/prosjekter/${project.id}/rediger`;
    const form = await editor.agent.get(editPath).expect(200);
    const csrf = csrfFrom(form.text);
    await editor.agent.post(editPath).type("form")
      .send({ _csrf: csrf, title: "Svømming i sjøen", summary: "Sjøen som klasserom", phase: "drift", serviceAreas: "oppvekst-utdanning" })
      .expect(303).expect("location", `${editPath}?melding=lagret`);
    expect((await getProject(inst.ctx.db, project.id))!.phase).toBe("drift");

    await editor.agent.post(`/admin/prosjekter/${project.id}/avpubliser`).type("form").send({ _csrf: csrf }).expect(303);
    await request(inst.app).get(`/prosjekter/${project.slug}`).expect(404);
    const preview = await editor.agent.get(`/prosjekter/${project.slug}`).expect(200);
    expect(preview.text).toContain("Dette er et utkast");
    await editor.agent.post(`/admin/prosjekter/${project.id}/publiser`).type("form").send({ _csrf: csrf }).expect(303);

    const staffView = await editor.agent.get(`/prosjekter/${project.slug}`).expect(200);
    expect(staffView.text).toContain("Endringshistorikk");
    expect(staffView.text).toContain("Rita Redaktør");
    expect(staffView.text).toContain("Fase, Tjenesteområder");
    expect(staffView.text).toContain("avpublisert");
    const publicView = await request(inst.app).get(`/prosjekter/${project.slug}`).expect(200);
    expect(publicView.text).not.toContain("Endringshistorikk");
    expect(publicView.text).not.toContain("Rita Redaktør");
  });

  it("asks an imitation for its adaptation before it can be published", async () => {
    const original = await addProject(inst, { title: "Originalen", published: true });
    const copy = await inst.ctx.projects.create(
      inst.municipality!,
      { title: "Kopien", summary: "Etter originalen", phase: "forstaelse" },
      { accountId: inst.admin!.id, name: "Anne Admin" },
      { imitationOf: original.url },
    );
    const edit = await editor.agent.get(`/admin/prosjekter/${copy.id}/rediger`).expect(200);
    expect(edit.text).toContain('name="adaptation"');
    expect(edit.text).toContain(`href="${original.url}"`);
    const refused = await editor.agent.post(`/admin/prosjekter/${copy.id}/publiser`).type("form").send({ _csrf: editor.csrf }).expect(422);
    expect(refused.text).toContain('href="#f-adaptation"');
    expect((await getProject(inst.ctx.db, copy.id))!.published).toBe(false);

    await editor.agent.post(`/admin/prosjekter/${copy.id}/rediger`).type("form")
      .send({ _csrf: editor.csrf, title: "Kopien", summary: "Etter originalen", phase: "ide", adaptation: "Tilpasset en mindre kommune." })
      .expect(303);
    await editor.agent.post(`/admin/prosjekter/${copy.id}/publiser`).type("form").send({ _csrf: editor.csrf }).expect(303);
    const page = await request(inst.app).get(`/prosjekter/${copy.slug}`).expect(200);
    expect(page.text).toContain("Tilpasset en mindre kommune.");
    expect(page.text).toContain("Bygger på");
  });

  it("deletes only after a confirm step", async () => {
    const project = await addProject(inst, { title: "Slettes snart", published: true });
    const confirm = await editor.agent.get(`/admin/prosjekter/${project.id}/slett`).expect(200);
    expect(confirm.text).toContain("Slette «Slettes snart»?");
    expect(await getProject(inst.ctx.db, project.id)).toBeDefined();
    await editor.agent.post(`/admin/prosjekter/${project.id}/slett`).type("form").send({ _csrf: csrfFrom(confirm.text) })
      .expect(303).expect("location", "/admin/prosjekter?melding=slettet");
    expect(await getProject(inst.ctx.db, project.id)).toBeUndefined();
    // A project that was public answers 410 Gone at once, with a page that says it was deleted.
    const gone = await request(inst.app).get(`/prosjekter/${project.slug}`).expect(410);
    expect(gone.text).toContain("Prosjektet er slettet");
  });

  it("lists drafts for staff only and sends the public to sign in", async () => {
    await addProject(inst, { title: "Et utkast i lista" });
    const list = await editor.agent.get("/admin/prosjekter").expect(200);
    expect(list.text).toContain("Et utkast i lista");
    expect(list.headers["cache-control"]).toBe("no-store");
    await request(inst.app).get("/admin/prosjekter").expect(303);
    await request(inst.app).get("/admin/prosjekter/ny").expect(303);
    await request(inst.app).get("/admin/prosjekter/finnesikke/rediger").expect(303);
    await editor.agent.get("/admin/prosjekter/finnesikke/rediger").expect(404);
  });

  it("keeps editors out of the administrator's pages and actions", async () => {
    for (const path of ["/admin/kommune", "/admin/ansatte", "/admin/nokler"]) {
      const res = await editor.agent.get(path).expect(403);
      expectNb(res.text);
      expect(res.text).toContain("Ingen tilgang");
    }
    const admin = await signInAdmin(inst);
    const adminId = inst.admin!.id;
    const posts: [string, Record<string, string>][] = [
      ["/admin/kommune", { name: "Kapret kommune" }],
      ["/admin/ansatte", { name: "Ny", email: "ny@fredrikstad.test", role: "admin", password: "et-langt-passord-999" }],
      [`/admin/ansatte/${adminId}/rolle`, { role: "editor" }],
      [`/admin/ansatte/${adminId}/deaktiver`, {}],
      ["/admin/nokler", { name: "min nøkkel" }],
    ];
    for (const [path, body] of posts) {
      await editor.agent.post(path).type("form").send({ ...body, _csrf: editor.csrf }).expect(403);
    }
    const staff = await admin.agent.get("/admin/ansatte").expect(200);
    expect(staff.text).not.toContain("ny@fredrikstad.test");
    const profile = await admin.agent.get("/admin/kommune").expect(200);
    expect(profile.text).toContain('value="Fredrikstad kommune"');
    expect(profile.text).not.toContain("Kapret");
  });
});
