import { createServer } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import type { TestInstance } from "../helpers/instance.ts";
import { addFollowerAt, api, eventually, follow, listenOnLoopback, publish, remoteProjects, startMunicipality } from "./helpers.ts";
import { readPosted } from "./signed-http.ts";
import { startFakeActor } from "./fake-actor.ts";
import { getFollowerByActor, upsertFollower } from "../../db/followers.ts";

const ap = { accept: "application/activity+json" };

/**
 * A follower that stands in for Mastodon: it records, in order of arrival,
 * the activities POSTed to its inbox; `failFirst` refuses that many
 * deliveries with 503 first (a follower that is down for a moment).
 */
async function startRecorder(failFirst = 0) {
  const received: any[] = [];
  let refused = 0;
  const server = createServer(async (req, res) => {
    const body = await readPosted(req);
    if (req.method !== "POST") return void res.writeHead(404).end();
    if (refused < failFirst) {
      refused++;
      return void res.writeHead(503).end("down");
    }
    received.push(body);
    res.writeHead(202).end();
  });
  const base = await listenOnLoopback(server);
  return {
    base,
    received,
    types: () => received.map((a) => `${a.type}${a.object?.type ? `(${a.object.type})` : ""}`),
    refused: () => refused,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const running: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const r of running.splice(0)) await r.close();
});

describe("a project's lifecycle as other servers see it", () => {
  it("unpublishing sends no Delete (Mastodon would refuse the project for good), republishing brings it back, deleting answers 410", async () => {
    const a: TestInstance = await startMunicipality("fredrikstad");
    const b: TestInstance = await startMunicipality("sarpsborg");
    const mastodon = await startRecorder();
    running.push(a, b, mastodon);
    await follow(b, a);
    await addFollowerAt(a.ctx.db, mastodon.base, "mastodon");

    const project = await publish(a, { title: "Digital vannmåler" });
    await eventually(async () => (await remoteProjects(b)).some((p) => p.url === project.url));

    await api(a, "PATCH", `/api/v1/projects/${project.id}`, { published: false });
    await eventually(async () => !(await remoteProjects(b)).some((p) => p.url === project.url));

    await api(a, "PATCH", `/api/v1/projects/${project.id}`, { published: true });
    await eventually(async () => (await remoteProjects(b)).some((p) => p.url === project.url));
    await eventually(async () => mastodon.received.length >= 3);
    // The unpublish took back the Create; no Delete, so no tombstone for the id on Mastodon.
    expect(mastodon.types()).toEqual(["Create(Article)", "Undo(Create)", "Create(Article)"]);
    expect(mastodon.received[1].object.object).toBe(project.url);

    expect((await api(a, "DELETE", `/api/v1/projects/${project.id}`)).status).toBeLessThan(300);
    await eventually(async () => !(await remoteProjects(b)).some((p) => p.url === project.url));
    await eventually(async () => mastodon.received.length >= 4);
    expect(mastodon.types()[3]).toBe("Delete(Tombstone)");
    expect(mastodon.received[3].object.id).toBe(project.url);
    // Compacted by Fedify as the prefixed term; the same IRI.
    expect(["Article", "as:Article"]).toContain(mastodon.received[3].object.formerType);

    // The project's URL: a Tombstone with 410 Gone for servers, a clear page for people.
    const object = await fetch(project.url, { headers: ap });
    expect(object.status).toBe(410);
    expect(object.headers.get("content-type")).toContain("application/activity+json");
    const tombstone = await object.json();
    expect(tombstone).toMatchObject({ type: "Tombstone", id: project.url, formerType: "Article" });
    expect(Number.isNaN(Date.parse(tombstone.deleted))).toBe(false);
    const page = await fetch(project.url, { headers: { accept: "text/html" } });
    expect(page.status).toBe(410);
    const text = await page.text();
    expect(text).toContain("Prosjektet er slettet");
    expect(text).toContain("«Digital vannmåler» er slettet av Fredrikstad kommune");

    // A new project with the same title gets a slug of its own: the deleted id stays dead on Mastodon.
    const again = await publish(a, { title: "Digital vannmåler" });
    expect(again.url).not.toBe(project.url);
    expect((await fetch(project.url, { headers: ap })).status).toBe(410);

    // A slug that never existed is still just not found.
    expect((await fetch(`${a.url}/prosjekter/fantes-aldri`, { headers: ap })).status).toBe(404);
    expect((await fetch(`${a.url}/prosjekter/fantes-aldri`)).status).toBe(404);
  }, 90_000);

  it("a Delete never overtakes its project's Create or Update, even when the follower was down for the Create", async () => {
    const a = await startMunicipality("fredrikstad");
    const down = await startRecorder(1);
    running.push(a, down);
    await addFollowerAt(a.ctx.db, down.base, "treg");

    const project = await publish(a, { title: "Felles lånebod" });
    await api(a, "PATCH", `/api/v1/projects/${project.id}`, { title: "Felles lånebod for utstyr" });
    await api(a, "DELETE", `/api/v1/projects/${project.id}`);

    await eventually(async () => down.received.length >= 3, 30_000);
    expect(down.refused()).toBe(1);
    expect(down.types()).toEqual(["Create(Article)", "Update(Article)", "Delete(Tombstone)"]);
  }, 60_000);

  it("an Undo that names its object by id (an unfollow, as most servers send it) is never fetched to see whether it took back a Create", async () => {
    const a = await startMunicipality("fredrikstad");
    const peer = await startFakeActor("mastodon");
    running.push(a, peer);
    const followId = `${peer.origin}/follows/1`;
    await upsertFollower(a.ctx.db, {
      actorUrl: peer.actorUrl,
      handle: `@mastodon@${new URL(peer.origin).host}`,
      name: "mastodon",
      inboxUrl: `${peer.origin}/inbox`,
      sharedInboxUrl: null,
      followActivityId: followId,
      status: "accepted",
    });
    const sent = await peer.post(`${a.url}/inbox`, {
      "@context": "https://www.w3.org/ns/activitystreams",
      id: `${peer.origin}/undo/1`,
      type: "Undo",
      actor: peer.actorUrl,
      object: followId,
    });
    expect(sent.status).toBeLessThan(300);
    await eventually(async () => !(await getFollowerByActor(a.ctx.db, peer.actorUrl)));
    expect(peer.requests).not.toContain("GET /follows/1");
  }, 60_000);
});
