import type { Db } from "../db/client.ts";
import { getMunicipalityByActorUrl } from "../db/municipalities.ts";
import { listProjects } from "../db/projects.ts";
import { removeRemoteProject, upsertRemoteProject } from "../db/remote-projects.ts";
import type { Municipality } from "../db/schema.ts";
import type { FederationDeps } from "./deps.ts";
import { fetchActivityJson } from "./fetch-guard.ts";
import { NotAProjectError, projectFromArticleJson } from "./project-object.ts";

export class RefusedError extends Error {}

/**
 * Fetches a peer's project from its own URL (the authoritative copy, never a
 * copy embedded by whoever delivered it) and caches it here. The object must
 * live on the actor's host and be attributed to the actor.
 */
export async function fetchAndStoreProject(app: FederationDeps, municipality: Municipality, objectUrl: URL): Promise<"stored" | "unchanged" | "gone"> {
  if (objectUrl.origin !== new URL(municipality.actorUrl).origin) {
    throw new RefusedError(`${municipality.actorUrl} does not own ${objectUrl.href}`);
  }
  const fetched = await fetchActivityJson(objectUrl, { network: app.config });
  if (fetched.status === 404 || fetched.status === 410) {
    await removeProject(app, municipality, objectUrl.href);
    return "gone";
  }
  if (fetched.status >= 400) throw new Error(`HTTP ${fetched.status} from ${objectUrl.href}`);
  return storeProjectDocument(app, municipality, fetched.json, objectUrl.href);
}

/**
 * Caches a project from an Article document fetched from the municipality's
 * own host (its project URL, or a page of its outbox).
 */
export async function storeProjectDocument(
  app: FederationDeps,
  municipality: Municipality,
  document: unknown,
  expectedId?: string,
): Promise<"stored" | "unchanged"> {
  const received = projectFromArticleJson(document);
  if (expectedId && received.url !== expectedId) throw new RefusedError(`fetched id ${received.url} differs from ${expectedId}`);
  if (new URL(received.url).origin !== new URL(municipality.actorUrl).origin) {
    throw new RefusedError(`${municipality.actorUrl} does not own ${received.url}`);
  }
  if (received.attributedTo !== municipality.actorUrl) {
    throw new RefusedError(`${received.url} is attributed to ${received.attributedTo}, not ${municipality.actorUrl}`);
  }
  // The copy and its event commit together (db/journal.ts).
  const project = await app.events.transaction(async (tx) => {
    const stored = await upsertRemoteProject(tx, municipality, received);
    if (stored) await app.events.append(tx, "remote.project.upserted", { project: stored });
    return stored;
  });
  if (!project) return "unchanged";
  return "stored";
}

export async function removeProject(app: FederationDeps, municipality: Municipality, url: string): Promise<boolean> {
  const id = await app.events.transaction(async (tx) => {
    const removed = await removeRemoteProject(tx, municipality, url);
    if (removed) await app.events.append(tx, "remote.project.removed", { projectId: removed, url });
    return removed;
  });
  if (!id) return false;
  return true;
}

export async function knownMunicipality(db: Db, actorUrl: URL | null): Promise<Municipality | undefined> {
  if (!actorUrl) return undefined;
  const m = await getMunicipalityByActorUrl(db, actorUrl.href);
  return m && !m.local ? m : undefined;
}

export { NotAProjectError };

/** Drops every cached project of a peer (we stopped following it, it is gone, or its domain is blocked). */
export async function removeProjectsOf(app: FederationDeps, actorUrl: string): Promise<void> {
  const m = await getMunicipalityByActorUrl(app.db, actorUrl);
  if (!m || m.local) return;
  for (;;) {
    const page = await listProjects(app.db, { origin: "remote", municipalityId: m.id }, { perPage: 100 });
    if (page.items.length === 0) return;
    for (const p of page.items) await removeProject(app, m, p.url);
  }
}
