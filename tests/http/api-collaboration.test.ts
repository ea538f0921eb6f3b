import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { drivers } from "../helpers/databases.ts";
import { startTestInstance, type TestInstance } from "../helpers/instance.ts";
import { getProject, listRevisions } from "../../db/projects.ts";
import { ValidationError } from "../../services/projects.ts";

// Requests from peers arrive through the federation inbox, which calls
// CollaborationService.receive; here that service is called directly and the
// staff side is driven through the API.
describe.each(drivers)("collaboration requests (%s)", (driver) => {
  let inst: TestInstance;
  const auth = () => ({ Authorization: `Bearer ${inst.adminToken}` });
  const sarpsborg = { fromActorUrl: "https://innovasjon.sarpsborg.test/kommune/sarpsborg", fromMunicipalityName: "Sarpsborg kommune" };
  const ask = { message: "Vi vil gjerne være med på utprøvingen.", contactName: "Siri Sarp", contactEmail: "siri@sarpsborg.test" };

  beforeAll(async () => {
    inst = await startTestInstance({ driver });
  });
  afterAll(() => inst?.close());

  async function project(seekingPartners: boolean) {
    const { body } = await request(inst.app).post("/api/v1/projects").set(auth())
      .send({ title: `Felles kundesenter ${seekingPartners}`, summary: "S", phase: "test", seekingPartners, published: true }).expect(201);
    return (await getProject(inst.ctx.db, body.id))!;
  }

  it("lists a request for staff; accepting adds the municipality as a partner, with history", async () => {
    const p = await project(true);
    const stored = await inst.ctx.collaboration.receive(p, { ...sarpsborg, ...ask, activityId: "https://innovasjon.sarpsborg.test/aktiviteter/1" });
    // A redelivered activity is stored once.
    await inst.ctx.collaboration.receive(p, { ...sarpsborg, ...ask, activityId: "https://innovasjon.sarpsborg.test/aktiviteter/1" });
    const list = (await request(inst.app).get("/api/v1/collaboration-requests?status=pending").set(auth()).expect(200)).body.items;
    expect(list).toEqual([expect.objectContaining({ id: stored.id, direction: "incoming", status: "pending", from: { actorUrl: sarpsborg.fromActorUrl, name: "Sarpsborg kommune" }, contactEmail: "siri@sarpsborg.test" })]);

    const accepted = await request(inst.app).post(`/api/v1/collaboration-requests/${stored.id}/accept`).set(auth()).expect(200);
    expect(accepted.body.status).toBe("accepted");
    const after = (await request(inst.app).get(`/api/v1/projects/${p.id}`).expect(200)).body;
    expect(after.partners).toEqual([{ type: "kommune", name: "Sarpsborg kommune" }]);
    expect((await listRevisions(inst.ctx.db, p.id))[0].changedFields).toEqual(["partners"]);

    const again = await request(inst.app).post(`/api/v1/collaboration-requests/${stored.id}/decline`).set(auth()).expect(422);
    expect(again.body.error.fields[0].field).toBe("status");
  });

  it("declines without touching the project", async () => {
    const p = await project(true);
    const stored = await inst.ctx.collaboration.receive(p, { ...sarpsborg, ...ask });
    await request(inst.app).post(`/api/v1/collaboration-requests/${stored.id}/decline`).set(auth()).expect(200);
    expect((await getProject(inst.ctx.db, p.id))!.partners).toEqual([]);
  });

  it("refuses requests for projects that do not seek partners, and bad input", async () => {
    const p = await project(false);
    await expect(inst.ctx.collaboration.receive(p, { ...sarpsborg, ...ask })).rejects.toBeInstanceOf(ValidationError);
    const bad = await request(inst.app).post("/api/v1/collaboration-requests").set(auth())
      .send({ project: p.url, message: "", contactName: "X", contactEmail: "ikke-epost" }).expect(400);
    expect(bad.body.error.fields.map((f: { field: string }) => f.field)).toEqual(expect.arrayContaining(["message", "contactEmail"]));
    await request(inst.app).post("/api/v1/collaboration-requests").set(auth())
      .send({ project: `${inst.ctx.config.origin}/prosjekter/ukjent`, ...ask }).expect(404);
    await request(inst.app).post("/api/v1/collaboration-requests/finnesikke123/accept").set(auth()).expect(404);
    await request(inst.app).get("/api/v1/collaboration-requests").expect(401);
  });
});
