import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { drivers } from "../helpers/databases.ts";
import type { TestInstance } from "../helpers/instance.ts";
import { addEditor, signIn, signInAdmin } from "../http/pages-support.ts";
import { api, eventually, publish, startMunicipality } from "../federation/helpers.ts";

// Two real instances on loopback: Sarpsborg's staff ask to join Fredrikstad's
// project over ActivityPub; Fredrikstad answers. Sarpsborg's staff who follow
// the project, and the one who sent the request, hear of the answer.
describe.each(drivers)("the answer to a collaboration request we sent (%s)", (driver) => {
  let fredrikstad: TestInstance;
  let sarpsborg: TestInstance;

  beforeAll(async () => {
    [fredrikstad, sarpsborg] = await Promise.all([startMunicipality("fredrikstad", { driver }), startMunicipality("sarpsborg", { driver })]);
  }, 90_000);
  afterAll(async () => {
    await Promise.all([fredrikstad?.close(), sarpsborg?.close()]);
  });

  const incoming = async () => (await api(fredrikstad, "GET", "/api/v1/collaboration-requests")).json.items.filter((r: { direction: string }) => r.direction === "incoming");

  it("tells the followers of the project and the sender when the owner accepts, and when it declines", async () => {
    const project = await publish(fredrikstad, { title: "Felles kundesenter for Nedre Glomma", seekingPartners: true });
    const anne = await signInAdmin(sarpsborg);
    await anne.agent.post("/varsler/folg").type("form").send({ _csrf: anne.csrf, kind: "project", target: project.url, neste: "/varsler" }).expect(303);
    // Rita sends the request (her address is its contact) and follows nothing.
    const editor = await addEditor(sarpsborg, "rita@sarpsborg.test", "rita-passord-123");
    const rita = await signIn(sarpsborg, editor.email, editor.password);

    const sent = await api(sarpsborg, "POST", "/api/v1/collaboration-requests", { project: project.url, message: "Vi vil gjerne være med.", contactName: "Rita Redaktør", contactEmail: "Rita@sarpsborg.test" });
    expect(sent.status).toBe(202);
    const received = await eventually(async () => (await incoming()).find((r: { status: string }) => r.status === "pending"));
    expect((await api(fredrikstad, "POST", `/api/v1/collaboration-requests/${received.id}/accept`)).status).toBe(200);

    const accepted = "Fredrikstad kommune har godtatt forespørselen vår om å bli med i prosjektet.";
    const annePage = await eventually(async () => {
      const page = await anne.agent.get("/varsler").expect(200);
      return page.text.includes(accepted) && page.text;
    }, 30_000);
    expect(annePage).toContain("Felles kundesenter for Nedre Glomma");
    const ritaPage = await eventually(async () => {
      const page = await rita.agent.get("/varsler").expect(200);
      return page.text.includes(accepted) && page.text;
    }, 30_000);
    expect(ritaPage).toContain("Dine forespørsler om samarbeid");
    expect((await rita.agent.get("/prosjekter").expect(200)).text).toMatch(/class="count-badge">1</);

    // A second request, sent by Anne, who follows the project: declined.
    await api(sarpsborg, "POST", "/api/v1/collaboration-requests", { project: project.url, message: "En gang til?", contactName: "Anne Admin", contactEmail: "admin@sarpsborg.test" });
    const again = await eventually(async () => (await incoming()).find((r: { status: string }) => r.status === "pending"));
    expect((await api(fredrikstad, "POST", `/api/v1/collaboration-requests/${again.id}/decline`)).status).toBe(200);
    const declined = "Fredrikstad kommune har avslått forespørselen vår om å bli med i prosjektet.";
    const anneList = await eventually(async () => {
      const page = await anne.agent.get("/varsler").expect(200);
      return page.text.includes(declined) && page.text;
    }, 30_000);
    // Anne both follows the project and sent the request: told once, as its follower.
    expect(anneList.split(declined)).toHaveLength(2);
    expect(anneList).not.toContain("Dine forespørsler om samarbeid");
    // Rita neither sent this one nor follows the project.
    await sarpsborg.ctx.events.settled();
    expect((await rita.agent.get("/varsler").expect(200)).text).not.toContain(declined);
  }, 120_000);
});
