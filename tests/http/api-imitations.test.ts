import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { drivers } from "../helpers/databases.ts";
import { startTestInstance, type TestInstance } from "../helpers/instance.ts";

describe.each(drivers)("imitation within one instance (%s)", (driver) => {
  let inst: TestInstance;
  const auth = () => ({ Authorization: `Bearer ${inst.adminToken}` });
  const post = (path: string, body: object) => request(inst.app).post(path).set(auth()).send(body);
  const patch = (id: string, body: object) => request(inst.app).patch(`/api/v1/projects/${id}`).set(auth()).send(body);
  const get = async (id: string) => (await request(inst.app).get(`/api/v1/projects/${id}`).set(auth()).expect(200)).body;
  const settled = () => inst.ctx.events.settled();

  let original: { id: string; url: string };

  beforeAll(async () => {
    inst = await startTestInstance({ driver });
    original = (await post("/api/v1/projects", {
      title: "Svømmeopplæring i sjøen", summary: "Barn lærer å svømme der de faktisk bader.", phase: "drift",
      floke: "Mange barn kan ikke svømme", serviceAreas: ["oppvekst-utdanning"], methods: ["tjenestedesign"],
      contacts: [{ name: "Kari Nordmann", role: "Rektor", email: "kari@fredrikstad.test" }],
      realisedBenefits: [{ kind: "kvalitet", description: "Flere kan svømme 200 m" }],
      lessons: "Start i juni", startDate: "2022-05-01", published: true,
    }).expect(201)).body;
  });
  afterAll(() => inst?.close());

  it("starts a draft from the original's texts, leaving contacts, dates, phase and results to us", async () => {
    const res = await post("/api/v1/imitations", { original: original.url }).expect(201);
    expect(res.body).toMatchObject({
      imitationOf: original.url, published: false, title: "Svømmeopplæring i sjøen",
      floke: "Mange barn kan ikke svømme", serviceAreas: ["oppvekst-utdanning"], methods: ["tjenestedesign"],
      phase: "forstaelse", contacts: [], realisedBenefits: [], lessons: "", startDate: null, adaptation: "",
    });
    expect(res.body.id).not.toBe(original.id);
  });

  it("requires the adaptation before an imitation is published, then lists it on the original", async () => {
    const copy = (await post("/api/v1/imitations", { original: original.url }).expect(201)).body;
    const refused = await patch(copy.id, { published: true }).expect(422);
    expect(refused.body.error.fields).toEqual([{ field: "adaptation", message: expect.stringMatching(/tilpasset/) }]);
    expect((await get(copy.id)).published).toBe(false);

    await patch(copy.id, { adaptation: "Vi bruker ferskvann i Glomma i stedet for sjøen.", published: true, realisedBenefits: [{ kind: "kvalitet", description: "30 barn lærte å svømme" }] }).expect(200);
    await settled();
    const after = await get(original.id);
    expect(after.imitationCount).toBe(1);
    expect(after.imitatedBy).toEqual([
      expect.objectContaining({ id: copy.url, municipality: expect.objectContaining({ name: "Fredrikstad kommune" }) }),
    ]);
    const lineage = (await request(inst.app).get(`/api/v1/projects/${copy.id}/lineage`).expect(200)).body;
    expect(lineage.ancestors).toEqual([expect.objectContaining({ url: original.url, title: "Svømmeopplæring i sjøen" })]);

    const imitated = (await request(inst.app).get("/api/v1/projects?imitated=true").expect(200)).body;
    expect(imitated.items.map((p: { id: string }) => p.id)).toEqual([original.id]);
    const copies = (await request(inst.app).get("/api/v1/projects?isImitation=true").expect(200)).body;
    expect(copies.items.map((p: { id: string }) => p.id)).toEqual([copy.id]);
    const byCount = (await request(inst.app).get("/api/v1/projects?order=imitations").expect(200)).body;
    expect(byCount.items[0].id).toBe(original.id);

    // Unpublishing the copy takes it off the original's list; editing keeps the link.
    await patch(copy.id, { published: false }).expect(200);
    await settled();
    expect((await get(original.id)).imitationCount).toBe(0);
    expect((await get(copy.id)).imitationOf).toBe(original.url);
  });

  it("follows a chain A → B → C both ways and refuses a loop", async () => {
    const b = (await post("/api/v1/imitations", { original: original.url }).expect(201)).body;
    await patch(b.id, { adaptation: "Tilpasset for elv", published: true, title: "Svømming i elva" }).expect(200);
    await settled();
    const c = (await post("/api/v1/imitations", { original: b.url }).expect(201)).body;
    await patch(c.id, { adaptation: "Tilpasset for innsjø", published: true, title: "Svømming i innsjøen" }).expect(200);
    await settled();

    const ofC = (await request(inst.app).get(`/api/v1/projects/${c.id}/lineage`).expect(200)).body;
    expect(ofC.ancestors.map((n: { url: string }) => n.url)).toEqual([original.url, b.url]);
    expect(ofC.ancestors[1].title).toBe("Svømming i elva");
    const ofA = (await request(inst.app).get(`/api/v1/projects/${original.id}/lineage`).expect(200)).body;
    expect(ofA.descendants.map((n: { url: string; depth: number }) => [n.url, n.depth])).toEqual(expect.arrayContaining([[b.url, 1], [c.url, 2]]));

    const refused = await inst.ctx.imitations.record({
      copyUrl: original.url, originalUrl: c.url, copyTitle: "x", copyPhase: "ide",
      copyMunicipalityActorUrl: "https://x", copyMunicipalityName: "X",
    });
    expect(refused).toBe(false);
    expect((await request(inst.app).get(`/api/v1/projects/${original.id}/lineage`).expect(200)).body.ancestors).toEqual([]);

    // Deleting B removes it from A's list; C keeps naming B.
    await request(inst.app).delete(`/api/v1/projects/${b.id}`).set(auth()).expect(204);
    await settled();
    expect((await get(original.id)).imitatedBy.map((i: { id: string }) => i.id)).not.toContain(b.url);
  });

  it("refuses to imitate a draft, an unknown project or a malformed reference", async () => {
    const draft = (await post("/api/v1/projects", { title: "Utkast", summary: "S", phase: "ide" }).expect(201)).body;
    const before = (await request(inst.app).get("/api/v1/projects").set(auth())).body.total;
    const ofDraft = await post("/api/v1/imitations", { original: draft.url }).expect(404);
    expect(ofDraft.body.error.fields[0].field).toBe("original");
    await post("/api/v1/imitations", { original: `${inst.ctx.config.origin}/prosjekter/finnes-ikke` }).expect(404);
    const bad = await post("/api/v1/imitations", { original: "javascript:alert(1)" }).expect(400);
    expect(bad.body.error.fields[0].field).toBe("original");
    await post("/api/v1/imitations", { original: original.url, extra: 1 }).expect(400);
    await request(inst.app).post("/api/v1/imitations").send({ original: original.url }).expect(401);
    expect((await request(inst.app).get("/api/v1/projects").set(auth())).body.total).toBe(before);
  });
});
