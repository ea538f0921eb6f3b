// Idea competitions opened to other municipalities, on the wire (FEDERATION.md,
// "Idea competitions"): the challenge is a `Page` at its own URL, sent to our
// followers as Create and Update; an idea from a follower's staff is a `Note`
// in reply to it, addressed to the owner alone. Only municipalities appear as
// authors; no person's name or address ever leaves the instance.
import type { Federation } from "@fedify/fedify";
import { Create, LanguageString, Link, Note, Page, PropertyValue, PUBLIC_COLLECTION, Source, Update } from "@fedify/vocab";
import { getMunicipalityByActorUrl, getLocalMunicipality } from "../db/municipalities.ts";
import { getChallenge } from "../db/ideas.ts";
import type { ChallengeRow } from "../db/schema-ideas.ts";
import type { RemoteChallengeValues } from "../db/remote-challenges.ts";
import { closingDay, submissionsEnd, type ChallengeCriterion } from "../core/ideas.ts";
import { paths } from "../core/urls.ts";
import type { DomainEvents, JournalEvent } from "../core/events.ts";
import { escapeHtml } from "../core/html.ts";
import { htmlToText, renderMarkdown } from "../core/markdown.ts";
import { withoutControlCharacters } from "../core/text.ts";
import type { EventHandler } from "../db/journal.ts";
import type { FederationDeps } from "./deps.ts";
import type { DrizzleMessageQueue } from "./queue.ts";
import { kominnNamespace } from "./project-object.ts";
import { recipientOf } from "./recipients.ts";
import { instant } from "./time.ts";

/** The `rel` of the tag that marks a Page as a KOMINN idea competition. */
export const challengeRel = `${kominnNamespace}challenge`;
/** The names of the PropertyValue attachments of a challenge and of an idea. */
export const challengeFields = { eligibility: "Hvem kan delta", prizes: "Premier", criterion: "Kriterium: " } as const;
export const ideaFields = { title: "Tittel", problem: "Problemet", proposal: "Idéen", serviceArea: "Tjenesteområde" } as const;

const textLanguage = "nb";

/** Our challenges' and sent ideas' addresses (core/urls.ts `paths`) as patterns that capture the id. */
const idPart = "([a-z0-9]{6,40})";
export const challengePath = new RegExp(`^${paths.challenge(idPart)}$`);
const sentIdeaPath = new RegExp(`^${paths.sentIdea(idPart)}$`);

/** What an incoming Create or Update names, told apart by its object's address (no fetch). */
export function objectKind(objectId: URL | null): "challenge" | "idea" | undefined {
  if (!objectId) return undefined;
  if (challengePath.test(objectId.pathname)) return "challenge";
  if (sentIdeaPath.test(objectId.pathname)) return "idea";
  return undefined;
}

function challengeHtml(c: ChallengeRow, url: string): string {
  const fmt = (d: Date) => d.toISOString().slice(0, 10);
  return [
    `<p><strong>Idékonkurranse, åpen for andre kommuner</strong> (${fmt(c.opensAt)} – ${fmt(c.closesAt)})</p>`,
    renderMarkdown(c.problem),
    `<p>Hvem kan delta: ${escapeHtml(c.eligibility)}</p>`,
    `<p>Kriterier: ${c.criteria.map((k) => escapeHtml(k.name)).join(", ")}</p>`,
    c.prizes ? `<p>Premier: ${escapeHtml(c.prizes)}</p>` : "",
    `<p><a href="${escapeHtml(url)}">${escapeHtml(url)}</a></p>`,
  ].join("");
}

/** A challenge of ours as the Page its URL serves and Create/Update carry. */
export function challengePage(c: ChallengeRow, options: { origin: string; actorUrl: string; updated?: Date }): Page {
  const url = `${options.origin}${paths.challenge(c.id)}`;
  const html = challengeHtml(c, url);
  return new Page({
    id: new URL(url),
    attribution: new URL(options.actorUrl),
    names: [c.title, new LanguageString(c.title, textLanguage)],
    contents: [html, new LanguageString(html, textLanguage)],
    mediaType: "text/html",
    source: new Source({ content: c.problem, mediaType: "text/markdown" }),
    url: new URL(url),
    published: instant(c.createdAt),
    updated: instant(options.updated ?? c.createdAt),
    // Submissions are taken from the opening day through the whole closing day.
    startTime: instant(c.opensAt),
    endTime: instant(submissionsEnd(c.closesAt)),
    to: PUBLIC_COLLECTION,
    cc: new URL(`${options.actorUrl}/followers`),
    tags: [new Link({ href: new URL(url), rel: challengeRel, name: "Idékonkurranse" })],
    attachments: [
      new PropertyValue({ name: challengeFields.eligibility, value: c.eligibility }),
      ...(c.prizes ? [new PropertyValue({ name: challengeFields.prizes, value: c.prizes })] : []),
      ...c.criteria.map((k) => new PropertyValue({ name: `${challengeFields.criterion}${k.name}`, value: k.description })),
    ],
  });
}

const clip = (s: string, max: number) => withoutControlCharacters(s).trim().slice(0, max);

/** A followed municipality's challenge from its Page; undefined when the Page is not a KOMINN challenge. */
export async function challengeFromPage(page: Page, owner: { actorUrl: string; name: string }): Promise<RemoteChallengeValues | undefined> {
  // Only at the owner's own host: a Page naming another municipality's challenge URL would take that challenge over.
  if (!page.id || page.attributionId?.href !== owner.actorUrl || page.id.origin !== new URL(owner.actorUrl).origin) return undefined;
  let marked = false;
  for await (const tag of page.getTags()) if (tag instanceof Link && tag.rels.includes(challengeRel)) marked = true;
  if (!marked || !page.startTime || !page.endTime) return undefined;
  const fields = new Map<string, string>();
  const criteria: ChallengeCriterion[] = [];
  for await (const a of page.getAttachments()) {
    if (!(a instanceof PropertyValue) || typeof a.name !== "string" || typeof a.value !== "string") continue;
    if (a.name.startsWith(challengeFields.criterion)) {
      if (criteria.length < 10) criteria.push({ name: clip(htmlToText(a.name.slice(challengeFields.criterion.length)), 200), description: clip(htmlToText(a.value), 1_000) });
    } else fields.set(a.name, clip(htmlToText(a.value), 1_000));
  }
  const title = clip(String(page.name ?? ""), 200);
  const problem = clip(page.source?.content != null ? String(page.source.content) : htmlToText(String(page.content ?? "")), 10_000);
  if (!title || !problem) return undefined;
  const opensAt = new Date(page.startTime.epochMilliseconds);
  const closesAt = closingDay(new Date(page.endTime.epochMilliseconds));
  return {
    url: page.id.href,
    actorUrl: owner.actorUrl,
    municipalityName: owner.name,
    title,
    problem,
    eligibility: fields.get(challengeFields.eligibility) ?? "",
    prizes: fields.get(challengeFields.prizes) ?? "",
    criteria,
    opensAt,
    closesAt,
    updatedAt: new Date((page.updated ?? page.published)?.epochMilliseconds ?? Date.now()),
  };
}

type SentIdea = DomainEvents["idea.sent"];

/** The Note our staff's idea travels as: to the owner alone, in reply to the challenge, authored by our municipality. */
function ideaNote(idea: SentIdea, origin: string, actorUrl: string): Note {
  const html = `<p><strong>${escapeHtml(idea.title)}</strong></p><p>${escapeHtml(idea.problem)}</p><p>${escapeHtml(idea.proposal)}</p>`;
  return new Note({
    id: new URL(`${origin}${paths.sentIdea(idea.sentId)}`),
    attribution: new URL(actorUrl),
    to: new URL(idea.ownerActorUrl),
    replyTarget: new URL(idea.challengeUrl),
    name: idea.title,
    contents: [html, new LanguageString(html, textLanguage)],
    mediaType: "text/html",
    attachments: [
      new PropertyValue({ name: ideaFields.title, value: idea.title }),
      new PropertyValue({ name: ideaFields.problem, value: idea.problem }),
      new PropertyValue({ name: ideaFields.proposal, value: idea.proposal }),
      ...(idea.serviceArea ? [new PropertyValue({ name: ideaFields.serviceArea, value: idea.serviceArea })] : []),
    ],
  });
}

/** What an idea's Note carries, as plain text. */
export async function ideaFromNote(note: Note): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for await (const a of note.getAttachments()) {
    if (!(a instanceof PropertyValue) || typeof a.name !== "string" || typeof a.value !== "string") continue;
    const key = (Object.keys(ideaFields) as (keyof typeof ideaFields)[]).find((k) => ideaFields[k] === a.name);
    if (key) out[key] = htmlToText(a.value);
  }
  return out;
}

/** Our challenges open to others answer their URL as ActivityPub JSON (Fedify's object dispatcher). */
export function registerChallengeObject(federation: Federation<FederationDeps>): void {
  federation.setObjectDispatcher(Page, paths.challenge("{id}") as `${string}{id}${string}`, async (ctx, { id }) => {
    const c = /^[a-z0-9]{6,40}$/.test(id) ? await getChallenge(ctx.data.db, id) : undefined;
    const local = c?.openToOthers ? await getLocalMunicipality(ctx.data.db) : undefined;
    return c && local ? challengePage(c, { origin: ctx.data.config.origin, actorUrl: local.actorUrl }) : null;
  });
}

/**
 * The journal's "federation.challenges" subscriber (server/subscribers.ts):
 * a challenge opened to others goes to our followers as Create, a change or
 * closing as Update; an idea our staff sent goes to the challenge's owner.
 * Queued in the transaction that acknowledges the event, like the outbox.
 */
export function challengeHandler(app: FederationDeps, federation: Federation<FederationDeps>, queue: DrizzleMessageQueue): EventHandler {
  const context = () => federation.createContext(new URL(app.config.origin), app);

  async function announce(challengeId: string, kind: "create" | "update"): Promise<void> {
    const c = await getChallenge(app.db, challengeId);
    const local = await getLocalMunicipality(app.db);
    if (!c?.openToOthers || !local) return;
    const sentAt = new Date();
    const object = challengePage(c, { origin: app.config.origin, actorUrl: local.actorUrl, updated: sentAt });
    const values = {
      id: new URL(`${object.id!.href}#${kind}-${sentAt.getTime()}`),
      actor: new URL(local.actorUrl),
      object,
      to: PUBLIC_COLLECTION,
      cc: new URL(`${local.actorUrl}/followers`),
    };
    await context().sendActivity({ identifier: local.handle }, "followers", kind === "create" ? new Create(values) : new Update(values), {
      preferSharedInbox: true,
      excludeBaseUris: [new URL(app.config.origin)],
      orderingKey: object.id!.href,
      fanout: "force",
    });
  }

  async function sendIdea(idea: SentIdea): Promise<void> {
    const owner = await getMunicipalityByActorUrl(app.db, idea.ownerActorUrl);
    const recipient = owner && recipientOf(owner);
    const local = await getLocalMunicipality(app.db);
    if (!recipient || !local) return app.logger.warn(`idea ${idea.sentId}: cannot reach the owner of ${idea.challengeUrl}`);
    const note = ideaNote(idea, app.config.origin, local.actorUrl);
    await context().sendActivity(
      { identifier: local.handle },
      recipient,
      new Create({ id: new URL(`${note.id!.href}#create`), actor: new URL(local.actorUrl), object: note, to: new URL(idea.ownerActorUrl) }),
    );
  }

  async function send(event: JournalEvent): Promise<void> {
    if (event.name === "challenge.opened") return announce(event.payload.challengeId, "create");
    if (event.name === "challenge.updated") return announce(event.payload.challengeId, "update");
    if (event.name === "idea.sent") return sendIdea(event.payload);
  }

  return {
    async handle(event) {
      const queued = await queue.collect(() => send(event));
      if (queued.length > 0) return (tx) => queue.insertCollected(tx, queued);
    },
    afterBatch: () => queue.wake(),
  };
}
