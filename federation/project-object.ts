// The one module that knows both a Project and its ActivityPub Article.
//
// Wire format: a standard long-form `Article` after FEP-b2b8 (name, summary,
// content, url, hashtags, each text also as a language map) so Mastodon and
// others show it, plus every structured field under terms of our
// own inline JSON-LD context (namespace https://kominn.no/ns#). Inline, so no
// peer ever has to fetch a context document; one term per field, so other
// implementers can read single fields; lists are `@list` (order kept) and the
// nested records (benefits, partners, contacts) are `@json` literals, so they
// round-trip byte for byte. A new field is one line in `kominnContext` and one
// in `projectFields`.
import { Article, Document, Hashtag, Image, LanguageString, Link, PUBLIC_COLLECTION, Source } from "@fedify/vocab";
import type { Db } from "../db/client.ts";
import type { MediaRow } from "../db/schema-media.ts";
import { listMediaOfProjects } from "../db/media.ts";
import { paths } from "../core/urls.ts";
import { instant } from "./time.ts";
import { z } from "zod";
import {
  contentFields,
  emptyContent,
  projectPatchSchema,
  type Project,
  type ProjectContent,
} from "../core/project.ts";
import { stripControlCharacters } from "../core/text.ts";
import { escapeHtml } from "../core/html.ts";
import { renderMarkdown } from "../core/markdown.ts";

export const kominnNamespace = "https://kominn.no/ns#";
export const activityStreamsContext = "https://www.w3.org/ns/activitystreams";

const list = (name: string) => ({ "@id": `kominn:${name}`, "@container": "@list" });
const json = (name: string) => ({ "@id": `kominn:${name}`, "@type": "@json" });
const term = (name: string) => `kominn:${name}`;
const date = (name: string) => ({ "@id": `kominn:${name}`, "@type": "http://www.w3.org/2001/XMLSchema#date" });

/** Our JSON-LD terms, one per structured project field (content fields that AS has no word for). */
export const kominnContext = {
  kominn: kominnNamespace,
  floke: term("floke"),
  behov: term("behov"),
  phase: term("phase"),
  n3Stage: term("n3Stage"),
  innovationTypes: list("innovationTypes"),
  scale: term("scale"),
  serviceAreas: list("serviceAreas"),
  strategicAreas: list("strategicAreas"),
  municipalRoles: list("municipalRoles"),
  plannedBenefits: json("plannedBenefits"),
  realisedBenefits: json("realisedBenefits"),
  partners: json("partners"),
  funding: list("funding"),
  methods: list("methods"),
  contacts: json("contacts"),
  lessons: term("lessons"),
  lessonsFailed: term("lessonsFailed"),
  risk: term("risk"),
  cost: term("cost"),
  seekingPartners: term("seekingPartners"),
  startDate: date("startDate"),
  endDate: date("endDate"),
  adaptation: term("adaptation"),
  imitationOf: { "@id": "kominn:imitationOf", "@type": "@id" },
} as const;

/**
 * Terms of other vocabularies we use: `Hashtag` is not in the ActivityStreams
 * context, so it is declared as Mastodon declares it.
 */
const sharedTerms = { Hashtag: "as:Hashtag" } as const;

/**
 * The language our texts are tagged with. Projects carry no language of their
 * own yet, so every text is bokmål; a project written in nynorsk would be `nn`.
 */
const textLanguage = "nb";

/** The summary as a short HTML paragraph, escaped from the plain text we store. */
function summaryHtml(summary: string): string {
  return `<p>${escapeHtml(summary)}</p>`;
}

const entities: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: "\u00a0" };

/** Plain text from a peer's HTML summary: tags dropped, entities decoded (the inverse of summaryHtml). */
function summaryText(htmlText: string): string {
  return htmlText
    .replace(/<br\s*\/?>/gi, "\n")
    .replace(/<\/p>\s*<p[^>]*>/gi, "\n\n")
    .replace(/<[^>]*>/g, "")
    .replace(/&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|[a-z]{2,6});/gi, (whole, name: string) => {
      if (name[0] !== "#") return entities[name.toLowerCase()] ?? whole;
      const code = name[1] === "x" || name[1] === "X" ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    })
    .trim();
}

/** Content fields carried by our terms; title, summary and description ride on AS name/summary/source. */
const projectFields = contentFields.filter((f) => f !== "title" && f !== "summary" && f !== "description");

export function hashtagName(slug: string): string {
  return `#${slug.replace(/-/g, "")}`;
}

function hashtags(project: Project, origin: string) {
  return project.serviceAreas.map((slug) => ({
    type: "Hashtag",
    href: `${origin}/prosjekter?serviceArea=${slug}`,
    name: hashtagName(slug),
  }));
}

/**
 * A project's pictures, PDF reports and video links as they travel:
 * `Image` (mediaType, width, height, `name` = alt text) first, so Mastodon
 * shows the first picture (it takes up to four Image/Document attachments
 * with a `url` and skips a `Link`), then `Document`s, then `Link`s.
 */
export interface WireAttachment {
  kind: "image" | "document" | "link";
  /** Absolute: a file under /media/ on this instance, or a link's target. */
  url: string;
  mediaType: string | null;
  name: string;
  width: number | null;
  height: number | null;
}

const kindOrder = { image: 0, document: 1, link: 2 } as const;

/** Rows of the media table as attachments of a project of `origin`, in the order above. */
export function wireAttachments(rows: readonly MediaRow[], origin: string): WireAttachment[] {
  return rows
    .map((r, i) => ({ r, i }))
    .sort((a, b) => kindOrder[a.r.kind] - kindOrder[b.r.kind] || a.i - b.i)
    .map(({ r }) => ({
      kind: r.kind,
      url: r.fileName ? `${origin}${paths.media(r.fileName)}` : (r.href ?? ""),
      mediaType: r.mediaType,
      name: r.name,
      width: r.width,
      height: r.height,
    }));
}

/** The attachments of these local projects, by project id (one query for an outbox page). */
export async function attachmentsOf(db: Db, projects: readonly Project[]): Promise<Map<string, WireAttachment[]>> {
  const local = projects.filter((p) => p.local);
  const out = new Map<string, WireAttachment[]>();
  if (local.length === 0) return out;
  const rows = await listMediaOfProjects(db, local.map((p) => p.id));
  for (const p of local) {
    out.set(p.id, wireAttachments(rows.filter((r) => r.projectId === p.id), new URL(p.url).origin));
  }
  return out;
}

function attachmentJson(a: WireAttachment): Record<string, unknown> {
  if (a.kind === "link") return { type: "Link", href: a.url, mediaType: a.mediaType ?? "text/html", name: a.name };
  return {
    type: a.kind === "image" ? "Image" : "Document",
    url: a.url,
    mediaType: a.mediaType,
    name: a.name,
    ...(a.width ? { width: a.width } : {}),
    ...(a.height ? { height: a.height } : {}),
  };
}

function attachmentObject(a: WireAttachment): Image | Document | Link {
  if (a.kind === "link") return new Link({ href: new URL(a.url), mediaType: a.mediaType ?? "text/html", name: a.name });
  const values = { url: new URL(a.url), mediaType: a.mediaType, name: a.name, width: a.width, height: a.height };
  return a.kind === "image" ? new Image(values) : new Document(values);
}

/** The full Article document served at the project's URL and read back by peers. */
export function projectArticleJson(
  project: Project,
  options: { followersUrl: string; attachments?: readonly WireAttachment[] },
): Record<string, unknown> {
  const origin = new URL(project.url).origin;
  const structured = Object.fromEntries(
    projectFields.filter((f) => project[f] !== null).map((f) => [f, project[f]]),
  );
  return {
    "@context": [activityStreamsContext, kominnContext, sharedTerms],
    id: project.url,
    type: "Article",
    attributedTo: project.municipality.actorUrl,
    name: project.title,
    nameMap: { [textLanguage]: project.title },
    // No plain `summary`: Misskey, Akkoma and GoToSocial show a non-empty
    // `summary` as a content warning and fold the post behind it. The map is
    // the same `as:summary`, and Mastodon reads it (FEDERATION.md).
    summaryMap: { [textLanguage]: summaryHtml(project.summary) },
    content: articleContent(project),
    contentMap: { [textLanguage]: articleContent(project) },
    mediaType: "text/html",
    source: { content: project.description, mediaType: "text/markdown" },
    url: project.url,
    published: (project.publishedAt ?? project.createdAt).toISOString(),
    updated: project.updatedAt.toISOString(),
    to: ["https://www.w3.org/ns/activitystreams#Public"],
    cc: [options.followersUrl],
    tag: [...hashtags(project, origin), ...imitationLink(project)],
    ...(options.attachments?.length ? { attachment: options.attachments.map(attachmentJson) } : {}),
    ...structured,
    ...(project.imitationOf ? { imitationOf: project.imitationOf } : {}),
  };
}

/** The full description as sanitised HTML; a project without one shows its summary. */
function articleContent(project: Project): string {
  return project.descriptionHtml || summaryHtml(project.summary);
}

/**
 * An imitation names its original twice: our `imitationOf` term for peers, and
 * a FEP-e232 object link so other software can follow it too.
 */
function imitationLink(project: Project) {
  if (!project.imitationOf) return [];
  return [
    {
      type: "Link",
      mediaType: 'application/ld+json; profile="https://www.w3.org/ns/activitystreams"',
      rel: `${kominnNamespace}imitationOf`,
      href: project.imitationOf,
      name: "Imitasjon av",
    },
  ];
}

/** One page of the outbox: Creates with the full Articles embedded, so a follower backfills without fetching each one. */
export function outboxPageJson(
  projects: Project[],
  options: { actorUrl: string; page: number; hasNext: boolean; attachments?: Map<string, WireAttachment[]> },
): Record<string, unknown> {
  const outbox = `${options.actorUrl}/outbox`;
  const followersUrl = `${options.actorUrl}/followers`;
  return {
    "@context": [activityStreamsContext, kominnContext, sharedTerms],
    id: `${outbox}?cursor=${options.page}`,
    type: "OrderedCollectionPage",
    partOf: outbox,
    ...(options.hasNext ? { next: `${outbox}?cursor=${options.page + 1}` } : {}),
    ...(options.page > 1 ? { prev: `${outbox}?cursor=${options.page - 1}` } : {}),
    orderedItems: projects.map((project) => {
      const { "@context": _context, ...article } = projectArticleJson(project, { followersUrl, attachments: options.attachments?.get(project.id) });
      return {
        id: `${project.url}#create-${project.updatedAt.getTime()}`,
        type: "Create",
        actor: project.municipality.actorUrl,
        published: (project.publishedAt ?? project.updatedAt).toISOString(),
        to: ["https://www.w3.org/ns/activitystreams#Public"],
        cc: [followersUrl],
        object: article,
      };
    }),
  };
}

/** The same Article as a Fedify object (standard fields only), embedded in Create/Update for Mastodon. */
export function projectArticle(project: Project, options: { followersUrl: string; attachments?: readonly WireAttachment[] }): Article {
  const origin = new URL(project.url).origin;
  return new Article({
    id: new URL(project.url),
    attribution: new URL(project.municipality.actorUrl),
    names: [project.title, new LanguageString(project.title, textLanguage)],
    summaries: [new LanguageString(summaryHtml(project.summary), textLanguage)],
    contents: [articleContent(project), new LanguageString(articleContent(project), textLanguage)],
    mediaType: "text/html",
    source: new Source({ content: project.description, mediaType: "text/markdown" }),
    url: new URL(project.url),
    published: instant(project.publishedAt ?? project.createdAt),
    updated: instant(project.updatedAt),
    to: PUBLIC_COLLECTION,
    cc: new URL(options.followersUrl),
    tags: hashtags(project, origin).map(
      (h) => new Hashtag({ href: new URL(h.href), name: h.name }),
    ),
    attachments: (options.attachments ?? []).map(attachmentObject),
  });
}

export class NotAProjectError extends Error {}

export interface ReceivedProject {
  url: string;
  slug: string;
  attributedTo: string;
  content: ProjectContent;
  /** The original this project imitates, or null. */
  imitationOf: string | null;
  descriptionHtml: string;
  publishedAt: Date | null;
  updatedAt: Date;
}

const isoInstant = z.iso.datetime({ offset: true });
const envelope = z.object({
  "@context": z.unknown(),
  id: z.url(),
  type: z.literal("Article"),
  attributedTo: z.url(),
  name: z.string(),
  /** The previous wire form: plain text. */
  summary: z.string().optional(),
  /** FEP-b2b8: an HTML paragraph per language. */
  summaryMap: z.record(z.string(), z.string()).optional(),
  source: z.object({ content: z.string(), mediaType: z.string().optional() }).optional(),
  published: isoInstant.optional(),
  updated: isoInstant.optional(),
  imitationOf: z.url({ protocol: /^https?$/ }).max(2_000).optional(),
});

function usesOurContext(context: unknown): boolean {
  const entries = Array.isArray(context) ? context : [context];
  return entries.some((e) => typeof e === "object" && e !== null && (e as Record<string, unknown>).kominn === kominnNamespace);
}

/**
 * Rebuilds a project from a peer's Article document. Throws NotAProjectError
 * (naming the field) when it is not a KOMINN project or a field is invalid.
 * Description HTML is rendered here from the Markdown source, never taken
 * from the peer, so remote HTML is always our own sanitised output.
 */
export function projectFromArticleJson(document: unknown): ReceivedProject {
  const parsed = envelope.safeParse(document);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new NotAProjectError(`not a KOMINN Article: ${issue.path.join(".") || "(document)"}: ${issue.message}`);
  }
  const doc = document as Record<string, unknown>;
  if (!usesOurContext(doc["@context"])) throw new NotAProjectError("not a KOMINN Article: @context lacks the KOMINN terms");
  const fields: Record<string, unknown> = {
    title: parsed.data.name,
    summary: readSummary(parsed.data),
    description: parsed.data.source?.content ?? "",
  };
  for (const f of projectFields) if (f in doc) fields[f] = doc[f];
  // A peer's text may hold characters no database or feed can carry: drop them rather than the project.
  const checked = projectPatchSchema.safeParse(stripControlCharacters(fields));
  if (!checked.success) {
    const issue = checked.error.issues[0];
    throw new NotAProjectError(`invalid field ${issue.path.join(".")}: ${issue.message}`);
  }
  const { published: _ignored, ...values } = checked.data;
  if (!values.title || !values.summary || !values.phase) throw new NotAProjectError("title, summary and phase are required");
  const content: ProjectContent = { ...emptyContent({ title: values.title, summary: values.summary, phase: values.phase }) };
  for (const [k, v] of Object.entries(values)) if (v !== undefined) (content as unknown as Record<string, unknown>)[k] = v;
  const url = parsed.data.id;
  if (parsed.data.imitationOf === url) throw new NotAProjectError("invalid field imitationOf: a project cannot imitate itself");
  return {
    url,
    slug: slugFromUrl(url),
    attributedTo: parsed.data.attributedTo,
    content,
    imitationOf: parsed.data.imitationOf ?? null,
    descriptionHtml: renderMarkdown(content.description),
    publishedAt: parsed.data.published ? new Date(parsed.data.published) : null,
    updatedAt: new Date(parsed.data.updated ?? parsed.data.published ?? Date.now()),
  };
}

/**
 * The plain-text summary: from the language map (HTML, ours first), or from a
 * plain `summary` as peers before FEP-b2b8 sent it.
 */
function readSummary(data: { summary?: string; summaryMap?: Record<string, string> }): string {
  const map = data.summaryMap ?? {};
  const html = map[textLanguage] ?? map.nn ?? Object.values(map)[0];
  if (html !== undefined) return summaryText(html);
  if (data.summary !== undefined) return data.summary;
  throw new NotAProjectError("not a KOMINN Article: summary: missing (neither summary nor summaryMap)");
}

function slugFromUrl(url: string): string {
  const last = new URL(url).pathname.split("/").filter(Boolean).pop() ?? "prosjekt";
  try {
    return decodeURIComponent(last).slice(0, 120);
  } catch {
    throw new NotAProjectError(`invalid field id: malformed %-escape in ${url.slice(0, 200)}`);
  }
}

