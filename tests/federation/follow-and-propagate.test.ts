import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { drivers } from "../helpers/databases.ts";
import { getMunicipalityByActorUrl, updateMunicipality } from "../../db/municipalities.ts";
import type { TestInstance } from "../helpers/instance.ts";
import { api, eventually, publish, remoteProjects, startMunicipality } from "./helpers.ts";

const fullProject = {
  title: "Digitalt nattilsyn i hjemmetjenesten",
  summary: "Sensorer og kamera med samtykke erstatter noen av nattbesøkene, så de som trenger det sover bedre.",
  description: "## Hva vi gjorde\n\nVi testet **digitalt tilsyn** hos 40 brukere.\n\n- færre vekkinger\n- mer tid til dem som trenger besøk",
  floke: "Nattbesøk vekker brukere som sover godt, og tar tid fra dem som trenger hjelp.",
  behov: "Brukerne trenger trygghet uten å bli forstyrret.",
  phase: "skalering",
  n3Stage: "nyttiggjort",
  innovationTypes: ["produkt-tjeneste", "prosess"],
  scale: "forbedring",
  serviceAreas: ["helse-omsorg", "administrasjon-digitalisering"],
  strategicAreas: ["helse-i-alt", "smart-kommune"],
  municipalRoles: ["tjenesteprodusent"],
  plannedBenefits: [{ kind: "kvalitet", description: "Bedre søvn for brukerne" }],
  realisedBenefits: [{ kind: "tid", description: "1 200 timer frigjort i året" }],
  partners: [{ type: "naeringsliv", name: "Trygg Natt AS" }],
  funding: ["egne-midler", "skjonnsmidler"],
  methods: ["tjenestedesign"],
  contacts: [{ name: "Kari Nordmann", role: "Prosjektleder", email: "kari@fredrikstad.test" }],
  lessons: "Start med dem som selv ønsker det.",
  lessonsFailed: "Kameraene var for dårlige i mørke de første ukene.",
  risk: "Personvern: samtykke må hentes og dokumenteres.",
  cost: "Om lag 300 000 kroner i året",
  seekingPartners: true,
  startDate: "2024-01-15",
  endDate: "2025-06-30",
};

describe.each(drivers)("two municipalities follow each other (%s)", (driver) => {
  let a: TestInstance; // Fredrikstad publishes
  let b: TestInstance; // Sarpsborg follows
  let followId: string;
  const published: Record<string, any> = {};

  beforeAll(async () => {
    [a, b] = await Promise.all([startMunicipality("fredrikstad", { driver }), startMunicipality("sarpsborg", { driver })]);
    const taxonomyCheck = await api(a, "POST", "/api/v1/projects", { ...fullProject, published: true });
    expect(taxonomyCheck.status, JSON.stringify(taxonomyCheck.json)).toBe(201);
    published.full = taxonomyCheck.json;
    published.second = await publish(a, { title: "Felles innbyggerdialog på nett" });
    published.draft = (await api(a, "POST", "/api/v1/projects", { title: "Hemmelig utkast", summary: "Ikke ferdig", phase: "ide" })).json;
  }, 60_000);

  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
  });

  it("follows by handle: pending first, then accepted, and the follower shows on the other side", async () => {
    const handle = `@fredrikstad@${new URL(a.url).host}`;
    const created = await api(b, "POST", "/api/v1/follows", { target: handle });
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    expect(created.json).toMatchObject({ target: handle, actorUrl: a.municipality!.actorUrl, status: "pending" });
    followId = created.json.id;
    await eventually(async () => (await api(b, "GET", `/api/v1/follows/${followId}`)).json.status === "accepted");
    const list = await api(b, "GET", "/api/v1/follows");
    expect(list.json.items.map((f: any) => [f.target, f.status])).toEqual([[handle, "accepted"]]);
    const followers = await (await fetch(`${a.municipality!.actorUrl}/followers`, { headers: { accept: "application/activity+json" } })).json();
    expect(followers.totalItems).toBe(1);
  });

  it("backfills the published projects at once, never the draft, every field intact", async () => {
    const items = await eventually(async () => {
      const list = await remoteProjects(b);
      return list.length === 2 && list;
    });
    expect(items.map((p) => p.title).sort()).toEqual([fullProject.title, "Felles innbyggerdialog på nett"].sort());
    const copy = items.find((p) => p.url === published.full.url)!;
    const original = published.full;
    for (const field of Object.keys(fullProject)) expect(copy[field], field).toEqual(original[field]);
    expect(copy.descriptionHtml).toBe(original.descriptionHtml);
    expect(copy.local).toBe(false);
    expect(copy.municipality).toMatchObject({ name: "Fredrikstad kommune", kommunenummer: "3107", actorUrl: a.municipality!.actorUrl });
  });

  it("refuses a follow request with a bad target, naming the field", async () => {
    const bad = await api(b, "POST", "/api/v1/follows", { target: "ikke en kommune" });
    expect(bad.status).toBe(400);
    expect(bad.json.error.fields).toEqual([{ field: "target", message: expect.stringContaining("@navn@domene") }]);
    const missing = await api(b, "POST", "/api/v1/follows", {});
    expect(missing.status).toBe(400);
    expect(missing.json.error.fields[0].field).toBe("target");
    const unauth = await fetch(`${b.url}/api/v1/follows`);
    expect(unauth.status).toBe(401);
    expect((await api(b, "GET", "/api/v1/follows")).json.items).toHaveLength(1);
  });

  it("sends publish, edit, unpublish and delete to followers", async () => {
    const third = await publish(a, { title: "Smart avfallshenting", serviceAreas: ["teknisk-miljo"] });
    await eventually(async () => (await remoteProjects(b)).some((p) => p.url === third.url));

    const edited = await api(a, "PATCH", `/api/v1/projects/${third.id}`, { title: "Smart avfallshenting med sensorer" });
    expect(edited.status).toBe(200);
    await eventually(async () => (await remoteProjects(b)).some((p) => p.title === "Smart avfallshenting med sensorer"));

    await api(a, "PATCH", `/api/v1/projects/${published.second.id}`, { published: false });
    await eventually(async () => !(await remoteProjects(b)).some((p) => p.url === published.second.url));

    await api(a, "DELETE", `/api/v1/projects/${third.id}`);
    await eventually(async () => !(await remoteProjects(b)).some((p) => p.url === third.url));

    // Editing a draft sends nothing.
    await api(a, "PATCH", `/api/v1/projects/${published.draft.id}`, { summary: "Fortsatt ikke ferdig" });
    await a.ctx.events.settled();
    await eventually(async () => (await a.federation.queue.getDepth()).queued === 0);
    expect((await remoteProjects(b)).map((p) => p.title)).toEqual([fullProject.title]);
  });

  it("sends a profile change to followers, who update the municipality's facts", async () => {
    await updateMunicipality(a.ctx.db, a.municipality!.id, { region: "Nedre Glomma", website: "https://www.fredrikstad.kommune.no" });
    a.ctx.events.emit("profile.updated", { municipalityId: a.municipality!.id });
    const copy = await eventually(async () => {
      const m = await getMunicipalityByActorUrl(b.ctx.db, a.municipality!.actorUrl);
      return m?.region === "Nedre Glomma" && m;
    });
    expect(copy).toMatchObject({ name: "Fredrikstad kommune", kommunenummer: "3107", fylke: "Østfold", website: "https://www.fredrikstad.kommune.no", local: false });
  });

  it("unfollows: the other side drops us, our copies go, and new projects no longer arrive", async () => {
    expect((await api(b, "DELETE", `/api/v1/follows/${followId}`)).status).toBe(204);
    expect((await api(b, "DELETE", `/api/v1/follows/${followId}`)).status).toBe(404);
    expect(await remoteProjects(b)).toEqual([]);
    await eventually(async () => {
      const r = await fetch(`${a.municipality!.actorUrl}/followers`, { headers: { accept: "application/activity+json" } });
      return (await r.json()).totalItems === 0;
    });
    await publish(a, { title: "Etter at de sluttet å følge" });
    await a.ctx.events.settled();
    await eventually(async () => (await a.federation.queue.getDepth()).queued === 0);
    expect(await remoteProjects(b)).toEqual([]);
  });
});
