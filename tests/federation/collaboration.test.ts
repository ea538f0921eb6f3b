import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { drivers } from "../helpers/databases.ts";
import { freePort, type TestInstance } from "../helpers/instance.ts";
import { spawnInstance } from "../helpers/instance-process.ts";
import { api, eventually, fastTuning, municipalities, publish, startMunicipality } from "./helpers.ts";
import { getProjectByUrl } from "../../db/projects.ts";
import { csrfFrom, signInAdmin } from "../http/pages-support.ts";

const ask = { message: "Vi vil gjerne prøve dette sammen med dere.", contactName: "Siri Sarp", contactEmail: "siri@sarpsborg.test" };

// Sarpsborg asks to join Fredrikstad's project over ActivityPub (Join);
// Fredrikstad answers (Accept / Reject). Neither follows the other.
describe.each(drivers)("collaboration requests between instances (%s)", (driver) => {
  let a: TestInstance;
  let b: TestInstance;
  let project: any;

  beforeAll(async () => {
    [a, b] = await Promise.all([startMunicipality("fredrikstad", { driver }), startMunicipality("sarpsborg", { driver })]);
    project = await publish(a, { title: "Felles kundesenter", seekingPartners: true });
  }, 90_000);
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
  });

  const incoming = async () => (await api(a, "GET", "/api/v1/collaboration-requests")).json.items.filter((r: any) => r.direction === "incoming");
  const outgoing = async () => (await api(b, "GET", "/api/v1/collaboration-requests")).json.items.filter((r: any) => r.direction === "outgoing");

  it("delivers a request; accepting adds the asker as a partner and tells the asker", async () => {
    const sent = await api(b, "POST", "/api/v1/collaboration-requests", { project: project.url, ...ask });
    expect(sent.status).toBe(202);
    expect(sent.json).toMatchObject({ direction: "outgoing", status: "pending" });

    const [received] = await eventually(async () => {
      const items = await incoming();
      return items.length === 1 && items;
    });
    expect(received).toMatchObject({ status: "pending", message: ask.message, contactName: "Siri Sarp", contactEmail: "siri@sarpsborg.test", from: { name: "Sarpsborg kommune" } });

    expect((await api(a, "POST", `/api/v1/collaboration-requests/${received.id}/accept`)).status).toBe(200);
    expect((await api(a, "GET", `/api/v1/projects/${project.id}`)).json.partners).toEqual([{ type: "kommune", name: "Sarpsborg kommune" }]);
    await eventually(async () => (await outgoing())[0]?.status === "accepted");
  });

  it("tells the asker when a request is declined", async () => {
    await api(b, "POST", "/api/v1/collaboration-requests", { project: project.url, ...ask, message: "En gang til?" });
    const pending = await eventually(async () => (await incoming()).find((r: any) => r.status === "pending"));
    await api(a, "POST", `/api/v1/collaboration-requests/${pending.id}/decline`);
    await eventually(async () => (await outgoing()).some((r: any) => r.status === "declined"));
  });

  it("lets only the project's owner answer: the asker's staff cannot accept their own request, by form or API", async () => {
    const other = await publish(a, { title: "Felles hjemmetjeneste", seekingPartners: true });
    const sent = await api(b, "POST", "/api/v1/collaboration-requests", { project: other.url, ...ask, message: "Kan vi bli med?" });
    expect(sent.status).toBe(202);
    const cachedPartners = async () => (await getProjectByUrl(b.ctx.db, other.url))!.partners;
    expect(await cachedPartners()).toEqual([]);

    const staff = await signInAdmin(b);
    const list = await staff.agent.get("/admin/samarbeid").expect(200);
    expect(list.text).not.toContain(`action="/admin/samarbeid/${sent.json.id}/godta"`);
    const refused = await staff.agent.post(`/admin/samarbeid/${sent.json.id}/godta`).type("form").send({ _csrf: csrfFrom(list.text) }).expect(409);
    expect(refused.text).toContain("Bare kommunen som eier prosjektet kan svare på forespørselen.");
    await staff.agent.post(`/admin/samarbeid/${sent.json.id}/avsla`).type("form").send({ _csrf: csrfFrom(list.text) }).expect(409);

    const byApi = await api(b, "POST", `/api/v1/collaboration-requests/${sent.json.id}/accept`);
    expect(byApi.status).toBe(409);
    expect(byApi.json.error.message).toBe("Bare kommunen som eier prosjektet kan svare på forespørselen.");

    // The cached copy of Fredrikstad's project gained no partner, and the request still waits for Fredrikstad.
    expect(await cachedPartners()).toEqual([]);
    expect((await outgoing()).find((r: any) => r.id === sent.json.id).status).toBe("pending");
    // …and it reaches Fredrikstad, where it waits for an answer.
    await eventually(async () => (await incoming()).some((r: any) => r.message === "Kan vi bli med?" && r.status === "pending"));
  });

  it("refuses requests for projects that do not seek partners, unsigned ones and those from blocked domains", async () => {
    const closed = await publish(a, { title: "Lukket prosjekt", seekingPartners: false });
    const refused = await api(b, "POST", "/api/v1/collaboration-requests", { project: closed.url, ...ask });
    expect(refused.status).toBe(422);
    expect(refused.json.error.fields[0].field).toBe("project");

    const unsigned = await fetch(`${a.url}/inbox`, {
      method: "POST",
      headers: { "content-type": "application/activity+json" },
      body: JSON.stringify({ "@context": "https://www.w3.org/ns/activitystreams", id: `${b.municipality!.actorUrl}#join-x`, type: "Join", actor: b.municipality!.actorUrl, object: project.url, content: "hei" }),
    });
    expect(unsigned.status).toBe(401);

    const before = (await incoming()).length;
    await a.federation.domainBlocks.block(new URL(b.url).host, "test");
    expect((await api(b, "POST", "/api/v1/collaboration-requests", { project: project.url, ...ask, message: "Etter blokkering" })).status).toBe(202);
    await new Promise((r) => setTimeout(r, 1500));
    await b.ctx.events.settled();
    expect((await incoming()).length).toBe(before);
  });
});

// Both sides killed (SIGKILL) right after they act: the Join and the Accept still arrive once.
describe("collaboration requests survive a crash of the sender", () => {
  const cleanup: (() => Promise<void> | void)[] = [];
  afterAll(async () => {
    for (const c of cleanup.reverse()) await c();
  });

  async function restartable(which: "fredrikstad" | "sarpsborg") {
    const dataDir = mkdtempSync(join(tmpdir(), `kominn-collab-${which}-`));
    const port = await freePort();
    cleanup.push(() => rmSync(dataDir, { recursive: true, force: true }));
    let current = await spawnInstance({ setup: municipalities[which], dataDir, port, federation: fastTuning });
    const token = current.adminToken;
    const node = {
      get url() {
        return current.url;
      },
      adminToken: token,
      municipality: current.municipality,
      async crashAndRestart() {
        await current.kill();
        current = await spawnInstance({ setup: false, dataDir, port, federation: fastTuning });
      },
    };
    cleanup.push(() => current.close());
    return node;
  }

  it("delivers the request and the answer once each", async () => {
    const [a, b] = await Promise.all([restartable("fredrikstad"), restartable("sarpsborg")]);
    const project = await publish(a, { title: "Felles innkjøp av velferdsteknologi", seekingPartners: true });
    const listed = async (who: typeof a, direction: string) =>
      (await api(who, "GET", "/api/v1/collaboration-requests")).json.items.filter((r: any) => r.direction === direction);

    expect((await api(b, "POST", "/api/v1/collaboration-requests", { project: project.url, ...ask })).status).toBe(202);
    await b.crashAndRestart();
    const [received] = await eventually(async () => {
      const items = await listed(a, "incoming");
      return items.length > 0 && items;
    }, 30_000);
    expect(await listed(a, "incoming")).toHaveLength(1);

    expect((await api(a, "POST", `/api/v1/collaboration-requests/${received.id}/accept`)).status).toBe(200);
    await a.crashAndRestart();
    await eventually(async () => (await listed(b, "outgoing"))[0]?.status === "accepted", 30_000);
  }, 120_000);
});
