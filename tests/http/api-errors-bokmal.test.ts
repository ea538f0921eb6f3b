// The JSON API answers in one language: every message in bokmål, naming the
// field by its documented (English) API name; and texts are stored with \n.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { drivers } from "../helpers/databases.ts";
import { startTestInstance, type TestInstance } from "../helpers/instance.ts";
import { getProject } from "../../db/projects.ts";

/** Words of zod's English default messages; none may reach an API client. */
const english = /\b(Invalid|Too (big|small)|expected|received|characters|option|input|Required)\b/;

describe.each(drivers)("API errors and texts on %s", (driver) => {
  let inst: TestInstance;
  beforeAll(async () => {
    inst = await startTestInstance({ driver });
  });
  afterAll(() => inst?.close());
  const auth = () => ({ Authorization: `Bearer ${inst.adminToken}` });

  it("names every bad field of a project in bokmål, with the API's field names", async () => {
    const res = await request(inst.app).post("/api/v1/projects").set(auth()).send({
      title: "x".repeat(300), summary: 5, phase: "nope", n3Stage: "stor", contacts: [{ name: "", email: "ikke-epost" }],
      startDate: "2024-13-01", seekingPartners: "ja", innovationTypes: "prosess", oops: 1,
    }).expect(400);
    const fields = res.body.error.fields as { field: string; message: string }[];
    const byField = Object.fromEntries(fields.map((f) => [f.field, f.message]));
    expect(res.body.error.message).toBe("Ugyldig forespørsel");
    expect(byField).toMatchObject({
      title: "kan ha høyst 200 tegn",
      summary: "feil type: forventet tekst",
      seekingPartners: "feil type: forventet true eller false",
      innovationTypes: "feil type: forventet en liste",
      "contacts.0.name": "må fylles ut",
      "contacts.0.email": "må være en gyldig e-postadresse",
      startDate: "må være en dato på formen ÅÅÅÅ-MM-DD",
      oops: "ukjent felt",
    });
    expect(byField.phase).toMatch(/^må være en av "forstaelse", "ide", "test"/);
    expect(byField.n3Stage).toBe('må være en av "nytt", "nyttig", "nyttiggjort"');
    for (const f of fields) expect(f.message, f.field).not.toMatch(english);

    const missing = await request(inst.app).post("/api/v1/projects").set(auth()).send({ summary: "S" }).expect(400);
    expect(missing.body.error.fields).toEqual(expect.arrayContaining([
      { field: "title", message: "må fylles ut" }, { field: "phase", message: "må fylles ut" },
    ]));

    const query = await request(inst.app).get("/api/v1/projects?phase=x").expect(400);
    for (const f of query.body.error.fields) expect(f.message, f.field).not.toMatch(english);
  });

  it("stores \\r\\n and \\r as \\n in every text, from POST and PATCH alike", async () => {
    const created = await request(inst.app).post("/api/v1/projects").set(auth()).send({
      title: "Linjer", summary: "En\r\nto", phase: "ide", description: "a\r\n\r\nb", lessons: "x\ry",
      contacts: [{ name: "Kari", role: "Leder\r\nfor alt" }],
    }).expect(201);
    expect(created.body).toMatchObject({ summary: "En\nto", description: "a\n\nb", lessons: "x\ny", contacts: [{ role: "Leder\nfor alt" }] });
    const patched = await request(inst.app).patch(`/api/v1/projects/${created.body.id}`).set(auth())
      .send({ floke: "Første\r\nandre", realisedBenefits: [{ kind: "tid", description: "c\r\nd" }] }).expect(200);
    expect(patched.body).toMatchObject({ floke: "Første\nandre", realisedBenefits: [{ kind: "tid", description: "c\nd" }] });
    expect(await getProject(inst.ctx.db, created.body.id)).toMatchObject({ summary: "En\nto", floke: "Første\nandre" });
  });
});
