// Imitation across instances. A published copy is delivered, besides to our
// followers, to the municipalities whose projects it descends from, so the
// original's instance learns of it even when it does not follow us. Received
// claims are checked against the copy's own URL before anything is stored.
import type { Context, InboxContext } from "@fedify/fedify";
import { isActor, type Activity, type Recipient } from "@fedify/vocab";
import { getImitationLink, removeImitationLink } from "../db/imitations.ts";
import { getMunicipalityByActorUrl } from "../db/municipalities.ts";
import { getProjectByUrl } from "../db/projects.ts";
import type { Project } from "../core/project.ts";
import type { FederationDeps } from "./deps.ts";
import { rememberActor } from "./actor.ts";
import { fetchActivityJson } from "./fetch-guard.ts";
import { lookupByUrl } from "./loaders.ts";
import { projectFromArticleJson } from "./project-object.ts";
import { recipientOf } from "./recipients.ts";
import { RefusedError, storeProjectDocument } from "./remote-projects.ts";

/** The inboxes of the municipalities owning the projects this one descends from (not ourselves). */
export async function ancestorRecipients(app: FederationDeps, project: Project): Promise<Recipient[]> {
  if (!project.imitationOf) return [];
  const ancestors = await app.imitations.ancestors(project);
  const recipients = new Map<string, Recipient>();
  for (const ancestor of ancestors) {
    const known = await getProjectByUrl(app.db, ancestor.url);
    if (!known || known.local) continue;
    const owner = await getMunicipalityByActorUrl(app.db, known.municipality.actorUrl);
    const recipient = owner && recipientOf(owner);
    if (recipient) recipients.set(owner.actorUrl, recipient);
  }
  return [...recipients.values()];
}

/** Sends an activity about one of our imitations to the owners of its ancestors. */
export async function sendToAncestors(ctx: Context<FederationDeps>, project: Project, activity: Activity): Promise<void> {
  const recipients = await ancestorRecipients(ctx.data, project);
  if (recipients.length === 0) return;
  await ctx.sendActivity({ identifier: project.municipality.handle }, recipients, activity, { preferSharedInbox: true });
}

/** Is this URL part of a lineage we hold: one of our published projects, a cached one, or a known copy? */
async function knownOriginal(app: FederationDeps, url: string): Promise<{ title: string; municipalityName: string } | undefined> {
  const project = await getProjectByUrl(app.db, url);
  if (project) return project.published ? { title: project.title, municipalityName: project.municipality.name } : undefined;
  const link = await getImitationLink(app.db, url);
  return link ? { title: link.copyTitle, municipalityName: link.copyMunicipalityName } : undefined;
}

/**
 * Someone we do not follow tells us about a project. If it imitates something
 * in a lineage we hold, record the imitation, after checking the claim
 * against the copy's own URL: it must live on the sender's host, be
 * attributed to the sender, name an original we know, and not close a loop.
 */
export async function recordRemoteImitation(ctx: InboxContext<FederationDeps>, activity: Activity): Promise<void> {
  const app = ctx.data;
  const actorId = activity.actorId!;
  const objectId = activity.objectId;
  if (!objectId) return;
  if (objectId.origin !== actorId.origin) throw new RefusedError(`${actorId.href} does not own ${objectId.href}`);
  const fetched = await fetchActivityJson(objectId, { network: app.config });
  if (fetched.status === 404 || fetched.status === 410) return void (await forgetRemoteImitation(app, actorId.href, objectId.href));
  if (fetched.status >= 400) throw new Error(`HTTP ${fetched.status} from ${objectId.href}`);
  const copy = projectFromArticleJson(fetched.json);
  if (copy.url !== objectId.href || copy.attributedTo !== actorId.href) {
    throw new RefusedError(`${objectId.href} is not attributed to ${actorId.href}`);
  }
  if (!copy.imitationOf) return;
  const original = await knownOriginal(app, copy.imitationOf);
  if (!original) throw new RefusedError(`${copy.url} names an original unknown here: ${copy.imitationOf}`);

  const actor = await activity.getActor();
  if (!actor || !isActor(actor) || actor.id?.href !== actorId.href) throw new RefusedError(`cannot read actor ${actorId.href}`);
  const municipality = await rememberActor(app.db, actor);
  const recorded = await app.imitations.record({
    copyUrl: copy.url,
    originalUrl: copy.imitationOf,
    copyTitle: copy.content.title,
    copyPhase: copy.content.phase,
    copyMunicipalityActorUrl: municipality.actorUrl,
    copyMunicipalityName: municipality.name,
    copyKommunenummer: municipality.kommunenummer,
    copyFylke: municipality.fylke,
    copyRealisedBenefits: copy.content.realisedBenefits,
    copyLessons: copy.content.lessons,
    copyLessonsFailed: copy.content.lessonsFailed,
    copyAdaptation: copy.content.adaptation,
    originalTitle: original.title,
    originalMunicipalityName: original.municipalityName,
  });
  if (!recorded) throw new RefusedError(`${copy.url} → ${copy.imitationOf} would close a loop in the lineage`);
}

/** A copy was deleted or unpublished: drop its link, only when the sender owns it. */
export async function forgetRemoteImitation(app: FederationDeps, actorUrl: string, copyUrl: string): Promise<boolean> {
  const link = await getImitationLink(app.db, copyUrl);
  if (!link || link.copyMunicipalityActorUrl !== actorUrl) return false;
  return removeImitationLink(app.db, copyUrl);
}

/** How far up a lineage we fetch originals we do not hold yet. */
const maxResolveDepth = 10;

/**
 * Finds a project by its URL, fetching it from its own host and caching it
 * when we do not hold it yet, with the originals it descends from, so the
 * lineage can be shown and an imitation can reach every ancestor's owner.
 */
export async function resolveRemoteProject(ctx: Context<FederationDeps>, url: string, depth = 0): Promise<Project | undefined> {
  const app = ctx.data;
  const held = await getProjectByUrl(app.db, url);
  if (held || depth >= maxResolveDepth) return held;
  const fetched = await fetchActivityJson(url, { network: app.config });
  if (fetched.status >= 400) return undefined;
  const received = projectFromArticleJson(fetched.json);
  if (received.url !== url || new URL(received.attributedTo).origin !== new URL(url).origin) return undefined;
  const actor = await lookupByUrl(ctx, received.attributedTo);
  if (!actor || !isActor(actor) || actor.id?.href !== received.attributedTo) return undefined;
  const municipality = await rememberActor(app.db, actor);
  // Originals first, so the copy's lineage is complete the moment it is stored.
  if (received.imitationOf) await resolveRemoteProject(ctx, received.imitationOf, depth + 1).catch(() => undefined);
  await storeProjectDocument(app, municipality, fetched.json, url);
  return getProjectByUrl(app.db, url);
}
