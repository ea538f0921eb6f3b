import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { drivers } from "../helpers/databases.ts";
import { startTestInstance, type TestInstance } from "../helpers/instance.ts";
import { getLocalProjectBySlug, getProject, listProjects } from "../../db/projects.ts";
import { journalHead, readEvents } from "../../db/journal.ts";
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
      "strategicAreas", "municipalRoles", "plannedBenefits.0.kind", "realisedBenefits.0.description", "partners.0.name", "funding", "methods",
      "contacts.0.email", "lessons", "lessonsFailed", "risk", "cost", "seekingPartners", "startDate", "endDate"]) {
      expect(form.text, name).toContain(`name="${name}"`);
    }
    // What is required is said once and as the service enforces it: title, summary and phase; nothing marked "(valgfritt)".
    expect([...form.text.matchAll(/<label for="(f-[a-zA-Z]+)">[^<]+ <span class="marker">\(må fylles ut\)<\/span>/g)].map((m) => m[1]))
      .toEqual(["f-title", "f-summary", "f-phase"]);
    expect(form.text).not.toContain('class="optional"');
    expect(form.text).toContain("Bare feltene merket «må fylles ut» trengs for å lagre.");
    // A contents list jumps to each part of the form.
    for (const id of ["grunnleggende", "floke-behov", "klassifisering", "gevinster", "samarbeid", "kontakter", "laering", "periode"]) {
      expect(form.text, id).toContain(`<a href="#${id}">`);
      expect(form.text, id).toContain(`<section class="form-section" id="${id}"`);
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
    // The filled rows and one empty row to add another.
    expect(edit.text).toContain('name="plannedBenefits.1.kind"');
    expect(edit.text).not.toContain('name="plannedBenefits.2.kind"');
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
    // The returned form keeps the rows as numbered, plus one empty one; it does not grow on every error.
    expect(res.text).toContain('name="plannedBenefits.2.kind"');
    expect(res.text).not.toContain('name="plannedBenefits.3.kind"');
    expect(res.text).toContain('name="partners.0.type"');
    expect(res.text).not.toContain('name="partners.1.type"');
    // Nothing was stored, and the page says so; the summary names rows as the page does.
    expect(res.text).toContain("Ingenting er lagret eller publisert ennå");
    expect(res.text).toContain("Kontaktperson 1, e-post: må være en gyldig e-postadresse");
    expect(res.text).toContain("Planlagt gevinst 2, beskrivelse av gevinsten: må fylles ut");
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

    await editor.agent.post(editPath).type("form")
      .send({ _csrf: csrf, title: "Svømming i sjøen", summary: "Sjøen som klasserom", phase: "drift", serviceAreas: "oppvekst-utdanning", handling: "avpubliser" })
      .expect(303).expect("location", `${editPath}?melding=lagret-avpublisert`);
    await request(inst.app).get(`/prosjekter/${project.slug}`).expect(404);
    const preview = await editor.agent.get(`/prosjekter/${project.slug}`).expect(200);
    expect(preview.text).toContain("Dette er et utkast");
    await editor.agent.post(editPath).type("form")
      .send({ _csrf: csrf, title: "Svømming i sjøen", summary: "Sjøen som klasserom", phase: "drift", serviceAreas: "oppvekst-utdanning", handling: "publiser" })
      .expect(303).expect("location", `${editPath}?melding=lagret-publisert`);

    const staffView = await editor.agent.get(`/prosjekter/${project.slug}`).expect(200);
    expect(staffView.text).toContain("Endringshistorikk");
    expect(staffView.text).toContain("Rita Redaktør");
    expect(staffView.text).toContain("Fase, Tjenesteområder");
    expect(staffView.text).toContain("avpublisert");
    const publicView = await request(inst.app).get(`/prosjekter/${project.slug}`).expect(200);
    expect(publicView.text).not.toContain("Endringshistorikk");
    expect(publicView.text).not.toContain("Rita Redaktør");
  });

  it("asks an imitation for its adaptation before it can be published, and Publiser keeps what was typed", async () => {
    const original = await addProject(inst, { title: "Originalen", published: true });
    const copy = await inst.ctx.projects.create(
      inst.municipality!,
      { title: "Kopien", summary: "Etter originalen", phase: "forstaelse" },
      { accountId: inst.admin!.id, name: "Anne Admin" },
      { imitationOf: original.url },
    );
    const editPath = `/admin/prosjekter/${copy.id}/rediger`;
    const edit = await editor.agent.get(editPath).expect(200);
    expect(edit.text).toContain('name="adaptation"');
    expect(edit.text).toContain(`href="${original.url}"`);
    // Said once and truthfully: the adaptation is needed to publish, not to save.
    expect(edit.text).toContain("Hva har dere tilpasset? <span class=\"marker\">(må fylles ut før publisering)</span>");
    expect(edit.text).not.toContain("Hva har dere tilpasset? <span class=\"optional\">");

    // Every kind of field typed, then Publiser without the adaptation: refused, nothing stored, everything typed comes back.
    const typed = {
      _csrf: editor.csrf, handling: "publiser",
      title: "Kopien, vår versjon", summary: "Vår <sammendrag> & mer", phase: "test", description: "Linje 1\r\nLinje 2",
      n3Stage: "nyttig", scale: "tverrfaglig", innovationTypes: ["prosess", "organisatorisk"], municipalRoles: "samfunnsutvikler",
      "plannedBenefits.0.kind": "okonomi", "plannedBenefits.0.description": "Lavere husleie",
      "partners.0.type": "forskning", "partners.0.name": "Høgskolen i Østfold",
      "contacts.0.name": "Per Prosjekt", "contacts.0.role": "Rådgiver", "contacts.0.email": "per@fredrikstad.test",
      "contacts.1.name": "Siri Sekretær", "contacts.1.role": "", "contacts.1.email": "siri@fredrikstad.test",
      seekingPartners: "true", lessons: "Start smått.", startDate: "2025-01-15", adaptation: "",
    };
    const refused = await editor.agent.post(editPath).type("form").send(typed);
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('href="#f-adaptation"');
    expect(refused.text).toContain("Tilpasning: fortell hva dere har tilpasset");
    expect(refused.text).not.toContain("?:");
    for (const html of [
      'value="Kopien, vår versjon"', "Vår &lt;sammendrag&gt; &amp; mer</textarea>", "Linje 1\r\nLinje 2</textarea>",
      '<option value="test" selected>', '<option value="nyttig" selected>', '<option value="tverrfaglig" selected>',
      'name="innovationTypes" value="prosess" checked', 'name="innovationTypes" value="organisatorisk" checked',
      'name="municipalRoles" value="samfunnsutvikler" checked', '<option value="okonomi" selected>', 'value="Lavere husleie"',
      '<option value="forskning" selected>', 'value="Høgskolen i Østfold"', 'value="Per Prosjekt"', 'value="Rådgiver"',
      'value="per@fredrikstad.test"', 'value="Siri Sekretær"', 'value="siri@fredrikstad.test"',
      'name="seekingPartners" value="true" checked', "Start smått.</textarea>", 'value="2025-01-15"',
    ]) {
      expect(refused.text, html).toContain(html);
    }
    expect(refused.text).toContain("Ingenting er lagret eller publisert ennå");
    const unchanged = (await getProject(inst.ctx.db, copy.id))!;
    expect(unchanged).toMatchObject({ published: false, title: "Kopien", contacts: [] });

    // The adaptation typed, then Publiser: saved and published in one step.
    await editor.agent.post(editPath).type("form").send({ ...typed, adaptation: "Tilpasset en mindre kommune.\r\nMed færre ansatte." })
      .expect(303).expect("location", `${editPath}?melding=lagret-publisert`);
    const published = (await getProject(inst.ctx.db, copy.id))!;
    expect(published).toMatchObject({
      published: true, title: "Kopien, vår versjon", adaptation: "Tilpasset en mindre kommune.\nMed færre ansatte.", description: "Linje 1\nLinje 2",
      contacts: [{ name: "Per Prosjekt", role: "Rådgiver", email: "per@fredrikstad.test" }, { name: "Siri Sekretær", role: "", email: "siri@fredrikstad.test" }],
    });
    const page = await request(inst.app).get(`/prosjekter/${published.slug}`).expect(200);
    expect(page.text).toContain("Tilpasset en mindre kommune.");
    expect(page.text).toContain("Bygger på");
  });

  it("publishes the edits in the form, not the version saved before, and followers get the new version", async () => {
    const draft = await addProject(inst, { title: "Gammel tittel", summary: "Gammelt sammendrag", phase: "ide" });
    const editPath = `/admin/prosjekter/${draft.id}/rediger`;
    const form = await editor.agent.get(editPath).expect(200);
    // One form, one action bar: Lagre and Publiser are buttons of the form being edited.
    expect(form.text).toMatch(/<div class="action-bar"[^>]*>[\s\S]*<button type="submit" name="handling" value="lagre"[^>]*>Lagre<\/button>\s*<button type="submit" name="handling" value="publiser">Publiser<\/button>[\s\S]*<\/div>\s*<\/form>/);
    expect(form.text).not.toContain(`action="/admin/prosjekter/${draft.id}/publiser"`);
    const before = await journalHead(inst.ctx.db);
    await editor.agent.post(editPath).type("form")
      .send({ _csrf: csrfFrom(form.text), title: "Ny tittel", summary: "Nytt sammendrag", phase: "ide", handling: "publiser" })
      .expect(303).expect("location", `${editPath}?melding=lagret-publisert`);
    const done = await editor.agent.get(`${editPath}?melding=lagret-publisert`).expect(200);
    expect(done.text).toContain("Endringene er lagret, og prosjektet er publisert.");
    expect((await getProject(inst.ctx.db, draft.id))!).toMatchObject({ published: true, title: "Ny tittel", summary: "Nytt sammendrag" });
    // One event, in the same transaction as the save: the published version is the edited one.
    const events = await readEvents(inst.ctx.db, before, 100);
    expect(events.map((e) => e.name)).toEqual(["project.published"]);
    expect(events[0].payload).toMatchObject({ project: { id: draft.id, title: "Ny tittel", summary: "Nytt sammendrag" } });
    // What followers read in the outbox is the new version too.
    await inst.ctx.events.settled();
    const ap = { accept: "application/activity+json" };
    const outbox = await (await fetch(`${inst.municipality!.actorUrl}/outbox`, { headers: ap })).json();
    const first = typeof outbox.first === "string" ? outbox.first : outbox.first.id;
    const items = (await (await fetch(first, { headers: ap })).json()).orderedItems as { type: string; object: { id: string; name: string } }[];
    const create = items.find((i) => i.object?.id === draft.url);
    expect(create).toMatchObject({ type: "Create", object: { name: "Ny tittel" } });
  });

  it("Lagre on a draft keeps it a draft; a refused Publiser on the edit form publishes nothing", async () => {
    const draft = await addProject(inst, { title: "Utkastet", summary: "Ikke ferdig", phase: "ide" });
    const editPath = `/admin/prosjekter/${draft.id}/rediger`;
    const form = await editor.agent.get(editPath).expect(200);
    await editor.agent.post(editPath).type("form")
      .send({ _csrf: csrfFrom(form.text), title: "Utkastet", summary: "Litt mer ferdig", phase: "ide", handling: "lagre" })
      .expect(303).expect("location", `${editPath}?melding=lagret`);
    expect((await getProject(inst.ctx.db, draft.id))!).toMatchObject({ published: false, summary: "Litt mer ferdig" });
    const refused = await editor.agent.post(editPath).type("form")
      .send({ _csrf: csrfFrom(form.text), title: "", summary: "Skrevet, men ikke lagret", phase: "ide", handling: "publiser" })
      .expect(400);
    expect(refused.text).toContain("Skrevet, men ikke lagret</textarea>");
    expect(refused.text).toContain("data-unsaved=\"true\"");
    expect((await getProject(inst.ctx.db, draft.id))!).toMatchObject({ published: false, title: "Utkastet", summary: "Litt mer ferdig" });
  });

  it("stores every text with \\n line endings, whatever the browser sent", async () => {
    const form = await editor.agent.get("/admin/prosjekter/ny").expect(200);
    const res = await editor.agent.post("/admin/prosjekter/ny").type("form").send({
      _csrf: csrfFrom(form.text), title: "Linjeskift", summary: "En\r\nto", phase: "ide", description: "a\r\n\r\nb", lessons: "x\ry",
      "plannedBenefits.0.kind": "tid", "plannedBenefits.0.description": "c\r\nd", handling: "lagre",
    }).expect(303);
    const id = /prosjekter\/([a-z0-9]+)\/rediger/.exec(res.headers.location)![1];
    expect((await getProject(inst.ctx.db, id))!).toMatchObject({
      published: false, summary: "En\nto", description: "a\n\nb", lessons: "x\ny", plannedBenefits: [{ kind: "tid", description: "c\nd" }],
    });
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
