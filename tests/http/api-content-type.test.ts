import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestInstance, type TestInstance } from "../helpers/instance.ts";

// Every API write takes JSON only, and says so the same way everywhere.
describe("API writes without a JSON body", () => {
  let inst: TestInstance;
  beforeAll(async () => {
    inst = await startTestInstance();
  });
  afterAll(() => inst?.close());

  it.each([
    ["POST", "/api/v1/projects"],
    ["POST", "/api/v1/imitations"],
    ["POST", "/api/v1/collaboration-requests"],
    ["POST", "/api/v1/follows"],
    ["POST", "/api/v1/follows/bulk"],
  ])("%s %s answers 415 naming the Content-Type header", async (method, path) => {
    const response = await fetch(`${inst.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${inst.adminToken}`, "content-type": "text/plain" },
      body: "title=Noe",
    });
    expect(response.status).toBe(415);
    expect(await response.json()).toEqual({
      error: {
        status: 415,
        message: "Content-Type må være application/json",
        fields: [{ field: "Content-Type", message: "må være application/json" }],
      },
    });
  });
});
