import type { Federation } from "@fedify/fedify";
import type { Request as ExpressRequest, RequestHandler, Response as ExpressResponse } from "express";
import { Readable } from "node:stream";
import type { FederationDeps } from "./deps.ts";
import { getLocalMunicipality } from "../db/municipalities.ts";
import { getLocalProjectBySlug, listProjects } from "../db/projects.ts";
import { outboxPageSize } from "./collections.ts";
import { withInboundRequest, type InboundRequest, type InboxLoad } from "./inbox/inbound-request.ts";
import { exceedsContextLimit, maxRemoteContexts } from "./loaders.ts";
import { activityStreamsContext, attachmentsOf, outboxPageJson, projectArticleJson } from "./project-object.ts";
import { getGoneProjectBySlug } from "../db/gone-projects.ts";

/** Largest activity an inbox takes; ours are a few kilobytes. */
export const inboxBodyLimit = 256 * 1024;
/** Deepest nesting of objects and arrays an inbox takes; real activities stay under ten. */
export const inboxDepthLimit = 32;

const inboxPath = /^\/(inbox|kommune\/[^/]+\/inbox)\/?$/;
const projectPath = /^\/prosjekter\/([a-z0-9-]+)\/?$/;
const outboxPath = /^\/kommune\/([^/]+)\/outbox$/;
/** Paths Fedify may answer; every other request skips it (pages, static files, the API). */
const fedifyPath = /^\/(\.well-known\/|nodeinfo\/|kommune\/|inbox\/?$|konkurranser\/[a-z0-9]+$)/;

/** True when the client asks for ActivityPub JSON rather than HTML. */
export function wantsActivityJson(accept: string | undefined): boolean {
  if (!accept) return false;
  const types = accept.split(",").map((part) => {
    const [type, ...params] = part.trim().toLowerCase().split(";");
    const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    return { type: type.trim(), q: q ? Number(q.slice(2)) : 1 };
  });
  const score = (match: (t: string) => boolean) => Math.max(0, ...types.filter((t) => match(t.type)).map((t) => t.q));
  const json = score((t) => t === "application/activity+json" || t === "application/ld+json");
  const html = score((t) => t === "text/html" || t === "application/xhtml+xml");
  return json > 0 && json >= html;
}

/**
 * A project's URL is also its ActivityPub id. We serve the Article ourselves
 * (not through Fedify's object dispatcher, which re-compacts it) so our
 * JSON-LD terms reach peers intact.
 */
async function serveProjectObject(app: FederationDeps, slug: string, res: ExpressResponse): Promise<boolean> {
  const project = await getLocalProjectBySlug(app.db, slug);
  if (!project) return serveTombstone(app, slug, res);
  if (!project.published) return false;
  const attachments = (await attachmentsOf(app.db, [project])).get(project.id);
  const json = projectArticleJson(project, { followersUrl: `${project.municipality.actorUrl}/followers`, attachments });
  res.status(200).type("application/activity+json").setHeader("Vary", "Accept");
  res.send(JSON.stringify(json));
  return true;
}

/** A deleted project: 410 Gone with a Tombstone, so a server that fetches it knows it is gone for good. */
async function serveTombstone(app: FederationDeps, slug: string, res: ExpressResponse): Promise<boolean> {
  const gone = await getGoneProjectBySlug(app.db, slug);
  if (!gone) return false;
  const tombstone = {
    "@context": activityStreamsContext,
    id: gone.url,
    type: "Tombstone",
    formerType: "Article",
    deleted: gone.deletedAt.toISOString(),
  };
  res.status(410).type("application/activity+json").setHeader("Vary", "Accept");
  res.send(JSON.stringify(tombstone));
  return true;
}

async function readBody(req: ExpressRequest, limit: number): Promise<Buffer | "too-large"> {
  const declared = Number(req.get("content-length") ?? "0");
  if (declared > limit) return "too-large";
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) return "too-large";
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * True when JSON text nests objects or arrays deeper than `limit`: one pass
 * over the characters, before anything parses it (JSON-LD processing recurses
 * once per level and runs out of stack on a few thousand).
 */
export function nestsDeeperThan(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > limit) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

function problem(res: ExpressResponse, status: number, message: string): void {
  res.status(status).type("application/json").send(JSON.stringify({ error: { status, message } }));
}

/**
 * Outbox pages are served here, and only here (Fedify serves the collection
 * itself), with the full Articles inside: a new follower backfills from a few
 * pages instead of one request per project.
 */
async function serveOutboxPage(app: FederationDeps, handle: string, cursor: string, res: ExpressResponse): Promise<boolean> {
  const local = await getLocalMunicipality(app.db);
  if (!local || local.handle !== handle || !/^\d{1,6}$/.test(cursor)) return false;
  const page = Math.max(1, Number(cursor));
  const result = await listProjects(app.db, { origin: "local" }, { page, perPage: outboxPageSize, order: "newest" });
  const attachments = await attachmentsOf(app.db, result.items);
  const json = outboxPageJson(result.items, { actorUrl: local.actorUrl, page, hasNext: page * outboxPageSize < result.total, attachments });
  res.status(200).type("application/activity+json").setHeader("Vary", "Accept");
  res.send(JSON.stringify(json));
  return true;
}

/** Accepts an inbox POST's activity itself (true), or leaves the request to Fedify (false): inbox/accept.ts. */
export type InboxAccept = (request: InboundRequest, activity: Record<string, unknown>) => Promise<boolean>;

/**
 * Express ↔ Fedify: ActivityPub requests (WebFinger, NodeInfo, actor, inboxes,
 * collections, and project pages asked for as JSON) go to `federation.fetch`;
 * everything else, and browsers asking for HTML, go on to the Express routes.
 */
export function federationMiddleware(federation: Federation<FederationDeps>, app: FederationDeps, load: InboxLoad, accept: InboxAccept): RequestHandler {
  const answer = federationAnswer(federation, app, accept);
  return async (req, res, next) => {
    if (req.method !== "POST" || !inboxPath.test(req.path)) return answer(req, res, next);
    load.begin();
    try {
      await answer(req, res, next);
    } finally {
      load.end();
    }
  };
}

function federationAnswer(federation: Federation<FederationDeps>, app: FederationDeps, accept: InboxAccept): RequestHandler {
  return async (req, res, next) => {
    const project = req.method === "GET" ? projectPath.exec(req.path) : null;
    if (project && wantsActivityJson(req.get("accept"))) {
      try {
        if (await serveProjectObject(app, project[1], res)) return;
      } catch (error) {
        return next(error);
      }
      return next();
    }
    const outbox = (req.method === "GET" || req.method === "HEAD") && typeof req.query.cursor === "string" ? outboxPath.exec(req.path) : null;
    if (outbox && wantsActivityJson(req.get("accept"))) {
      try {
        if (await serveOutboxPage(app, outbox[1], String(req.query.cursor), res)) return;
      } catch (error) {
        return next(error);
      }
    }
    const isInboxPost = req.method === "POST" && inboxPath.test(req.path);
    if (!fedifyPath.test(req.path)) return next();
    if (req.method !== "GET" && req.method !== "HEAD" && !isInboxPost) return next();
    try {
      let body: Buffer | undefined;
      let activity: Record<string, unknown> | undefined;
      if (isInboxPost) {
        const read = await readBody(req, inboxBodyLimit);
        if (read === "too-large") {
          res.setHeader("Connection", "close");
          return problem(res, 413, `Aktiviteten er større enn ${inboxBodyLimit} byte`);
        }
        const text = read.toString("utf8");
        if (nestsDeeperThan(text, inboxDepthLimit)) {
          return problem(res, 400, `Ugyldig JSON-LD: nestet dypere enn ${inboxDepthLimit} nivåer`);
        }
        try {
          const parsed = JSON.parse(text);
          if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new Error("not an object");
          if (exceedsContextLimit(parsed)) return problem(res, 400, `Ugyldig JSON-LD: mer enn ${maxRemoteContexts} @context-adresser`);
          activity = parsed;
        } catch {
          return problem(res, 400, "Ugyldig JSON-LD: forventet et JSON-objekt");
        }
        body = read;
      }
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) {
        if (Array.isArray(value)) for (const v of value) headers.append(name, v);
        else if (value !== undefined) headers.set(name, value);
      }
      const url = new URL(req.originalUrl, app.config.origin);
      const bytes = body ? new Uint8Array(body) : undefined;
      if (bytes && activity && (await accept({ url: url.href, headers, body: bytes }, activity))) {
        return void res.status(202).type("text/plain").send("Activity is enqueued.");
      }
      const request = new Request(url, { method: req.method, headers, body: bytes });
      let passOn = false;
      const handle = () =>
        federation.fetch(request, {
          contextData: app,
          onNotFound: () => {
            passOn = true;
            return new Response(null, { status: 404 });
          },
          onNotAcceptable: () => {
            passOn = true;
            return new Response(null, { status: 406 });
          },
        });
      // The inbox handlers check the request's signature again (inbox/sender.ts).
      const response = bytes ? await withInboundRequest({ url: url.href, headers, body: bytes }, handle) : await handle();
      if (passOn) return next();
      res.status(response.status);
      response.headers.forEach((value, name) => res.append(name, value));
      if (!response.body || req.method === "HEAD") return void res.end();
      Readable.fromWeb(response.body as import("node:stream/web").ReadableStream).pipe(res);
    } catch (error) {
      next(error);
    }
  };
}
