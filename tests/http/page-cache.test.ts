import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { drivers } from "../helpers/databases.ts";
import { startTestInstance, type TestInstance } from "../helpers/instance.ts";

describe.each(drivers)("public page cache (%s)", (driver) => {
  let inst: TestInstance;
  const auth = () => ({ Authorization: `Bearer ${inst.adminToken}` });

  beforeAll(async () => {
    inst = await startTestInstance({ driver });
  });
  afterAll(() => inst?.close());

  it("serves a repeated anonymous page from the cache, and the new version right after any change", async () => {
    const { body } = await request(inst.app).post("/api/v1/projects").set(auth())
      .send({ title: "Regnbed langs bygatene", summary: "S", phase: "test", published: true }).expect(201);
    // Once the search index has it too (its work also moves the content version: migration 0019).
    await inst.ctx.events.settled();
    const path = `/prosjekter/${body.slug}`;
    const first = await request(inst.app).get(path).expect(200);
    expect(first.headers["x-cache"]).toBeUndefined();
    const second = await request(inst.app).get(path).expect(200);
    expect(second.headers["x-cache"]).toBe("hit");
    expect(second.text).toBe(first.text);

    await request(inst.app).patch(`/api/v1/projects/${body.id}`).set(auth()).send({ title: "Regnbed i hele sentrum" }).expect(200);
    const changed = await request(inst.app).get(path).expect(200);
    expect(changed.headers["x-cache"]).toBeUndefined();
    expect(changed.text).toContain("Regnbed i hele sentrum");
    expect((await request(inst.app).get("/prosjekter").expect(200)).text).toContain("Regnbed i hele sentrum");

    await request(inst.app).patch(`/api/v1/projects/${body.id}`).set(auth()).send({ published: false }).expect(200);
    await request(inst.app).get(path).expect(404);
  });

  it("caches anonymous API reads too, but never requests with a token (which may see drafts)", async () => {
    await inst.ctx.events.settled();
    await request(inst.app).get("/api/v1/projects").expect(200);
    expect((await request(inst.app).get("/api/v1/projects").expect(200)).headers["x-cache"]).toBe("hit");
    await request(inst.app).post("/api/v1/projects").set(auth()).send({ title: "Utkast i API", summary: "S", phase: "ide" }).expect(201);
    const anonymous = await request(inst.app).get("/api/v1/projects").expect(200);
    expect(anonymous.headers["x-cache"]).toBeUndefined();
    expect(anonymous.text).not.toContain("Utkast i API");
    const staff = await request(inst.app).get("/api/v1/projects").set(auth()).expect(200);
    expect(staff.headers["x-cache"]).toBeUndefined();
    expect(staff.text).toContain("Utkast i API");
  });

  it("never caches pages for signed-in staff or pages that set a cookie", async () => {
    const agent = request.agent(inst.app);
    const login = await agent.get("/logg-inn").expect(200);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(login.text)![1];
    await agent.post("/logg-inn").type("form").send({ _csrf: csrf, email: inst.admin!.email, password: inst.adminPassword }).expect(303);
    await agent.get("/").expect(200);
    const staffPage = await agent.get("/").expect(200);
    expect(staffPage.headers["x-cache"]).toBeUndefined();
    expect(staffPage.text).toContain("Logg ut");
    await request(inst.app).get("/logg-inn").expect(200);
    expect((await request(inst.app).get("/logg-inn").expect(200)).headers["x-cache"]).toBeUndefined();
  });
});
