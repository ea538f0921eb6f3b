import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestInstance, type TestInstance } from "../helpers/instance.ts";

describe("the overview of a municipality", () => {
  let inst: TestInstance;
  beforeAll(async () => {
    inst = await startTestInstance();
  });
  afterAll(() => inst?.close());

  it("links the ideas' measure, and the link leads to it", async () => {
    const overview = await fetch(`${inst.url}/oversikt`).then((r) => r.text());
    expect(overview).toContain('<a href="/ideer/tall">');
    const measure = await fetch(`${inst.url}/ideer/tall`);
    expect(measure.status).toBe(200);
  });
});
