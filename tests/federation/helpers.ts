import type { Server } from "node:http";
import { signRequest } from "@fedify/fedify";
import type { Server as NetServer } from "node:net";
import { startTestInstance, freePort, type TestInstance, type TestInstanceOptions } from "../helpers/instance.ts";
import type { Db } from "../../db/client.ts";
import { upsertFollower } from "../../db/followers.ts";
import { actorKeyPairs } from "../../federation/keys.ts";
import type { FederationTuning } from "../../federation/index.ts";
import type { ProjectCreate } from "../../core/project.ts";
import { inboxSettled } from "./signed-http.ts";

/** Short delays so retry and breaker behaviour shows within a test. */
export const fastTuning: FederationTuning = {
  retryInitialDelayMs: 200,
  retryMaxAttempts: 4,
  breakerFailures: 3,
  breakerWindowMs: 60_000,
  breakerRecoveryMs: 60_000,
  requestTimeoutMs: 30_000,
  queuePollMs: 50,
};

export const municipalities = {
  fredrikstad: { name: "Fredrikstad kommune", handle: "fredrikstad", kommunenummer: "3107", fylke: "Østfold", adminEmail: "admin@fredrikstad.test" },
  sarpsborg: { name: "Sarpsborg kommune", handle: "sarpsborg", kommunenummer: "3105", fylke: "Østfold", adminEmail: "admin@sarpsborg.test" },
  hvaler: { name: "Hvaler kommune", handle: "hvaler", kommunenummer: "3110", fylke: "Østfold", adminEmail: "admin@hvaler.test" },
} as const;

export function startMunicipality(
  which: keyof typeof municipalities,
  options: TestInstanceOptions = {},
): Promise<TestInstance> {
  return startTestInstance({ setup: municipalities[which], federation: fastTuning, ...options });
}

/** What these helpers need of an instance, in this process (TestInstance) or in a child process. */
export interface Reachable {
  url: string;
  adminToken?: string;
  municipality?: { actorUrl: string };
}

export async function api(
  instance: Reachable,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: any }> {
  const response = await fetch(`${instance.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${instance.adminToken}`,
      ...(body !== undefined ? { "content-type": "application/json" } : {}),
    },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : null };
}

export async function publish(instance: Reachable, input: Partial<ProjectCreate> & { title: string }): Promise<any> {
  const created = await api(instance, "POST", "/api/v1/projects", {
    summary: `Kort om ${input.title}`,
    phase: "test",
    published: true,
    ...input,
  });
  if (created.status !== 201) throw new Error(`publish failed: ${JSON.stringify(created.json)}`);
  return created.json;
}

/** Polls until `check` returns a truthy value (what a user would see after a moment). */
export async function eventually<T>(check: () => Promise<T | undefined | null | false>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms${last ? `: ${String(last)}` : ""}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function remoteProjects(instance: Reachable): Promise<any[]> {
  const { json } = await api(instance, "GET", "/api/v1/projects?origin=remote&perPage=100");
  return json.items;
}

export async function follow(follower: Reachable, target: Reachable): Promise<any> {
  const created = await api(follower, "POST", "/api/v1/follows", { target: target.municipality!.actorUrl });
  if (created.status !== 201) throw new Error(`follow failed: ${JSON.stringify(created.json)}`);
  await eventually(async () => (await api(follower, "GET", `/api/v1/follows/${created.json.id}`)).json.status === "accepted");
  return created.json;
}

/** Starts `server` on a free loopback port; its base URL, e.g. http://127.0.0.1:43210. */
export async function listenOnLoopback(server: Server | NetServer): Promise<string> {
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", () => resolve()));
  return `http://127.0.0.1:${port}`;
}

/** Records an accepted follower at `base` (actor `base`/users/`name`, inbox below it) without any Follow exchanged. */
export async function addFollowerAt(db: Db, base: string, name: string): Promise<void> {
  await upsertFollower(db, {
    actorUrl: `${base}/users/${name}`,
    handle: `@${name}@${new URL(base).host}`,
    name,
    inboxUrl: `${base}/users/${name}/inbox`,
    sharedInboxUrl: null,
    followActivityId: `${base}/follows/${name}`,
    status: "accepted",
  });
}

/** POSTs an activity to an inbox, signed with a KOMINN instance's own key. */
export async function postAs(instance: TestInstance, inbox: string, activity: unknown): Promise<{ status: number; text: string }> {
  const [rsa] = await actorKeyPairs(instance.ctx.db);
  const request = await signRequest(
    new Request(inbox, { method: "POST", headers: { "content-type": "application/activity+json" }, body: JSON.stringify(activity) }),
    rsa.privateKey,
    new URL(`${instance.municipality!.actorUrl}#main-key`),
    { spec: "draft-cavage-http-signatures-12" },
  );
  const response = await fetch(request);
  const text = await response.text();
  await inboxSettled(inbox);
  return { status: response.status, text };
}
