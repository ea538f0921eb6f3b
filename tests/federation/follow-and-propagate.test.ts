import { afterEach, describe, expect, it } from "vitest";
import { drivers } from "../helpers/databases.ts";
import { getMunicipalityByActorUrl } from "../../db/municipalities.ts";
import type { TestInstance } from "../helpers/instance.ts";
import { api, eventually, follow, publish, remoteProjects, startMunicipality } from "./helpers.ts";

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

// Each case starts its own instances, so none depends on what another left behind.
describe.each(drivers)("two municipalities follow each other (%s)", (driver) => {
  const running: TestInstance[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((instance) => instance.close()));
  });

  /** Fredrikstad, which publishes, and Sarpsborg, which follows. */
  async function pair(): Promise<[TestInstance, TestInstance]> {
    const started = await Promise.allSettled([startMunicipality("fredrikstad", { driver }), startMunicipality("sarpsborg", { driver })]);
    for (const s of started) if (s.status === "fulfilled") running.push(s.value);
    for (const s of started) if (s.status === "rejected") throw s.reason;
    return running.slice(-2) as [TestInstance, TestInstance];
  }

  const handleOf = (instance: TestInstance) => `@${instance.municipality!.handle}@${new URL(instance.url).host}`;
  const followerCount = async (instance: TestInstance) =>
    (await (await fetch(`${instance.municipality!.actorUrl}/followers`, { headers: { accept: "application/activity+json" } })).json()).totalItems;

  /** Waits until the publisher has handed everything to the queue and the queue is empty. */
  async function delivered(instance: TestInstance): Promise<void> {
    await instance.ctx.events.settled();
    await eventually(async () => (await instance.federation.queue.getDepth()).queued === 0);
  }

  it("follows by handle (pending, then accepted, the follower shows on the other side) and unfollows (the other side drops us, our copies go, new projects no longer arrive)", async () => {
    const [a, b] = await pair();
    await publish(a, { title: "Felles innbyggerdialog på nett" });
    const created = await api(b, "POST", "/api/v1/follows", { target: handleOf(a) });
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    expect(created.json).toMatchObject({ target: handleOf(a), actorUrl: a.municipality!.actorUrl, status: "pending" });
    const followId = created.json.id;
    await eventually(async () => (await api(b, "GET", `/api/v1/follows/${followId}`)).json.status === "accepted");
    const list = await api(b, "GET", "/api/v1/follows");
    expect(list.json.items.map((f: any) => [f.target, f.status])).toEqual([[handleOf(a), "accepted"]]);
    expect(await followerCount(a)).toBe(1);
    await eventually(async () => (await remoteProjects(b)).length === 1);

    expect((await api(b, "DELETE", `/api/v1/follows/${followId}`)).status).toBe(204);
    expect((await api(b, "DELETE", `/api/v1/follows/${followId}`)).status).toBe(404);
    expect(await remoteProjects(b)).toEqual([]);
    await eventually(async () => (await followerCount(a)) === 0);
    await publish(a, { title: "Etter at de sluttet å følge" });
    await delivered(a);
    expect(await remoteProjects(b)).toEqual([]);
  });

  it("backfills the published projects at once (never the draft, every field intact), then sends publish, edit, unpublish and delete; editing a draft sends nothing", async () => {
    const [a, b] = await pair();
    const full = await api(a, "POST", "/api/v1/projects", { ...fullProject, published: true });
    expect(full.status, JSON.stringify(full.json)).toBe(201);
    const unpublished = await publish(a, { title: "Felles innbyggerdialog på nett" });
    const draft = (await api(a, "POST", "/api/v1/projects", { title: "Hemmelig utkast", summary: "Ikke ferdig", phase: "ide" })).json;
    await follow(b, a);
    const items = await eventually(async () => {
      const list = await remoteProjects(b);
      return list.length === 2 && list;
    });
    expect(items.map((p) => p.title).sort()).toEqual([fullProject.title, "Felles innbyggerdialog på nett"].sort());
    const copy = items.find((p) => p.url === full.json.url)!;
    for (const field of Object.keys(fullProject)) expect(copy[field], field).toEqual(full.json[field]);
    expect(copy.descriptionHtml).toBe(full.json.descriptionHtml);
    expect(copy.local).toBe(false);
    expect(copy.municipality).toMatchObject({ name: "Fredrikstad kommune", kommunenummer: "3107", actorUrl: a.municipality!.actorUrl });

    const third = await publish(a, { title: "Smart avfallshenting", serviceAreas: ["teknisk-miljo"] });
    await eventually(async () => (await remoteProjects(b)).some((p) => p.url === third.url));

    const edited = await api(a, "PATCH", `/api/v1/projects/${third.id}`, { title: "Smart avfallshenting med sensorer" });
    expect(edited.status).toBe(200);
    await eventually(async () => (await remoteProjects(b)).some((p) => p.title === "Smart avfallshenting med sensorer"));

    await api(a, "PATCH", `/api/v1/projects/${unpublished.id}`, { published: false });
    await eventually(async () => !(await remoteProjects(b)).some((p) => p.url === unpublished.url));

    await api(a, "DELETE", `/api/v1/projects/${third.id}`);
    await eventually(async () => !(await remoteProjects(b)).some((p) => p.url === third.url));

    await api(a, "PATCH", `/api/v1/projects/${draft.id}`, { summary: "Fortsatt ikke ferdig" });
    await delivered(a);
    expect((await remoteProjects(b)).map((p) => p.title)).toEqual([fullProject.title]);
  });

  it("refuses a follow request with a bad target, naming the field, and follows no one", async () => {
    const b = await startMunicipality("sarpsborg", { driver });
    running.push(b);
    const bad = await api(b, "POST", "/api/v1/follows", { target: "ikke en kommune" });
    expect(bad.status).toBe(400);
    expect(bad.json.error.fields).toEqual([{ field: "target", message: expect.stringContaining("@navn@domene") }]);
    const missing = await api(b, "POST", "/api/v1/follows", {});
    expect(missing.status).toBe(400);
    expect(missing.json.error.fields[0].field).toBe("target");
    const unauth = await fetch(`${b.url}/api/v1/follows`);
    expect(unauth.status).toBe(401);
    expect((await api(b, "GET", "/api/v1/follows")).json.items).toEqual([]);
  });

  it("sends a profile change to followers, who update the municipality's facts", async () => {
    const [a, b] = await pair();
    await follow(b, a);
    await a.ctx.profile.update(a.municipality!, {
      name: "Fredrikstad kommune",
      kommunenummer: "3107",
      fylke: "Østfold",
      region: "Nedre Glomma",
      website: "https://www.fredrikstad.kommune.no",
    });
    const copy = await eventually(async () => {
      const m = await getMunicipalityByActorUrl(b.ctx.db, a.municipality!.actorUrl);
      return m?.region === "Nedre Glomma" && m;
    });
    expect(copy).toMatchObject({ name: "Fredrikstad kommune", kommunenummer: "3107", fylke: "Østfold", website: "https://www.fredrikstad.kommune.no", local: false });
  });

});
