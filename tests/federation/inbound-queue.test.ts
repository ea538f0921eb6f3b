import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { emptyContent, type Project } from "../../core/project.ts";
import { setFollowStatus, upsertFollow } from "../../db/follows.ts";
import { upsertRemoteMunicipality } from "../../db/municipalities.ts";
import { projectArticleJson } from "../../federation/project-object.ts";
import { drivers, freshPostgresDatabase } from "../helpers/databases.ts";
import { freePort, startTestInstance, type TestInstance } from "../helpers/instance.ts";
import { spawnInstance } from "../helpers/instance-process.ts";
import { startFakeActor } from "./fake-actor.ts";
import { eventually, fastTuning, municipalities, remoteProjects } from "./helpers.ts";

const cleanup: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const c of cleanup.reverse()) await c();
});

/** A project as a KOMINN instance at `actorUrl` serves it at `url`. */
function article(actorUrl: string, url: string, title: string): unknown {
  const at = new Date();
  const project: Project = {
    ...emptyContent({ title, summary: `Kort om ${title}`, phase: "test" }),
    id: "p1",
    slug: new URL(url).pathname.split("/").pop()!,
    url,
    local: false,
    published: true,
    descriptionHtml: "",
    imitationOf: null,
    municipality: { name: "Kilde kommune", kommunenummer: "3101", fylke: "Østfold", handle: "kilde", actorUrl },
    createdAt: at,
    updatedAt: at,
    publishedAt: at,
  };
  return projectArticleJson(project, { followersUrl: `${actorUrl}/followers` });
}

describe.each(drivers)("the inbox accepts a verified activity into a durable queue (%s)", (driver) => {
  it("answers 202 before the activity is handled, and an instance killed before handling it handles it after a restart", async () => {
    // The sending municipality: its project's host does not answer until told to.
    const origin = await startFakeActor("kilde");
    cleanup.push(() => origin.close());
    const path = "/prosjekter/sykkelhotell-ved-stasjonen";
    const url = `${origin.origin}${path}`;
    origin.serve(path, article(origin.actorUrl, url, "Sykkelhotell ved stasjonen"));
    const release = origin.hold(path);
    cleanup.push(() => release());

    // The receiver, on data that outlives its process, already following the sender.
    const port = await freePort();
    let data: { dataDir?: string; env?: Record<string, string> };
    if (driver === "postgres") {
      const db = await freshPostgresDatabase();
      cleanup.push(() => db.drop());
      data = { env: { DATABASE_URL: db.url } };
    } else {
      const dir = mkdtempSync(join(tmpdir(), "kominn-inbound-"));
      cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
      data = { dataDir: dir };
    }
    let receiver: TestInstance = await startTestInstance({ ...data, port, setup: municipalities.sarpsborg, federation: fastTuning });
    await upsertRemoteMunicipality(receiver.ctx.db, {
      actorUrl: origin.actorUrl,
      handle: "kilde",
      domain: new URL(origin.origin).host,
      name: "Kilde kommune",
      kommunenummer: "3101",
      fylke: "Østfold",
      inboxUrl: `${origin.origin}/inbox`,
    });
    const follow = await upsertFollow(receiver.ctx.db, {
      targetActorUrl: origin.actorUrl,
      targetHandle: `@kilde@${new URL(origin.origin).host}`,
      targetName: "Kilde kommune",
      targetInbox: `${origin.origin}/inbox`,
      followActivityId: `${receiver.municipality!.actorUrl}#follow-kilde`,
    });
    await setFollowStatus(receiver.ctx.db, follow.id, "accepted");
    const token = receiver.adminToken;
    await receiver.close();

    // In a process of its own, so it can be killed outright.
    const child = await spawnInstance({ ...data, port, setup: false, federation: fastTuning });
    cleanup.push(() => child.close());
    const create = {
      "@context": "https://www.w3.org/ns/activitystreams",
      id: `${url}#create-1`,
      type: "Create",
      actor: origin.actorUrl,
      object: url,
      to: "https://www.w3.org/ns/activitystreams#Public",
    };
    // The sender has its answer while the project has not been fetched yet.
    const posted = await origin.post(`${child.url}/inbox`, create);
    expect(posted.status, posted.text).toBe(202);
    await eventually(async () => origin.requests.includes(`GET ${path}`));
    await child.kill();
    release();

    receiver = await startTestInstance({ ...data, port, setup: false, federation: fastTuning });
    cleanup.push(() => receiver.close());
    receiver.adminToken = token;
    const stored = await eventually(async () => (await remoteProjects(receiver)).find((p) => p.url === url));
    expect(stored.title).toBe("Sykkelhotell ved stasjonen");
    expect(stored.municipality.name).toBe("Kilde kommune");
  }, 120_000);
});
