// Pictures, PDF reports and video links on projects; the actor's icon and
// header. Mounted in server/app.ts after the session is loaded and before the
// app-wide CSRF check: a multipart body is parsed here (busboy, with hard
// limits), then the same CSRF check runs on its fields. Every write goes
// through services/media.ts.
import { Router, type NextFunction, type Request, type RequestHandler, type Response } from "express";
import busboy from "busboy";
import { join } from "node:path";
import type { AppContext } from "../context.ts";
import { HttpError } from "../http/errors.ts";
import { loadSession, requireStaff, verifyCsrf } from "../http/session.ts";
import { RateLimiter, takeAll } from "../http/rate-limit.ts";
import { getProject } from "../../db/projects.ts";
import { isId } from "../../db/ids.ts";
import { paths } from "../../core/urls.ts";
import type { MediaRow } from "../../db/schema-media.ts";
import type { Project } from "../../core/project.ts";
import { MediaError, mediaLimits, sniff, storedFileName, storedTypes, type Uploaded } from "../../services/media.ts";
import { mediaUpload } from "../../web/components/media-upload.ts";
import type { MediaItemView } from "../../web/components/project-media.ts";
import type { FormErrors } from "../../web/components/form-fields.ts";
import type { Html } from "../../core/html.ts";
import { t } from "../../web/texts.ts";
import { mt } from "../../web/media-texts.ts";
import { projectFormPage } from "../../web/views/project-form.ts";
import { projectValuesFromProject } from "../forms/project-form.ts";
import { formChrome, requireLocalMunicipality, sendPage } from "./page-helpers.ts";

declare module "express-serve-static-core" {
  interface Locals {
    /** The edit page's section for pictures, documents and links (staff-projects.ts shows it). */
    mediaSection?: Html;
  }
}

export function mediaItemView(row: MediaRow): MediaItemView {
  return {
    id: row.id,
    kind: row.kind,
    url: row.fileName ? paths.media(row.fileName) : (row.href ?? ""),
    name: row.name,
    width: row.width,
    height: row.height,
    byteSize: row.byteSize,
  };
}

export interface Multipart {
  fields: Record<string, string>;
  file?: Uploaded & { field: string };
}

/**
 * Reads a multipart/form-data body into memory, within limits: one file of at
 * most `maxFileBytes` (a larger one is cut and marked `truncated`), a few
 * short text fields. A body announced larger than the limits is refused before
 * it is read. `beforeFile` judges the fields that came before the file (the
 * forms put their CSRF token first): an error it returns refuses the upload
 * at once, without reading the file.
 */
export function readMultipart(req: Request, maxFileBytes: number, beforeFile?: (fields: Record<string, string>) => unknown): Promise<Multipart> {
  const type = req.headers["content-type"] ?? "";
  if (!/^multipart\/form-data/i.test(type)) {
    return Promise.reject(new HttpError(415, t.errors.badRequest, [{ field: "file", message: "skjemaet må sendes som multipart/form-data" }]));
  }
  const announced = Number(req.headers["content-length"] ?? 0);
  if (announced > maxFileBytes + 64 * 1024) {
    return Promise.reject(new MediaError("file", `filen er for stor: høyst ${Math.round(maxFileBytes / 1024 / 1024)} MB`, 413));
  }
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: req.headers,
        limits: { fileSize: maxFileBytes, files: 1, fields: 8, fieldSize: 8 * 1024, parts: 10, headerPairs: 20 },
        defParamCharset: "utf8",
      });
    } catch {
      reject(new HttpError(400, t.errors.badRequest, [{ field: "file", message: "skjemaet kunne ikke leses" }]));
      return;
    }
    const result: Multipart = { fields: {} };
    let failed = false;
    parser.on("field", (name, value, info) => {
      if (info.valueTruncated) failed = true;
      if (!(name in result.fields)) result.fields[name] = value;
    });
    parser.on("file", (field, stream, info) => {
      const refusal = beforeFile?.(result.fields);
      if (refusal) {
        req.unpipe(parser);
        stream.resume();
        reject(refusal);
        return;
      }
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("close", () => {
        result.file = { field, fileName: info.filename ?? "", data: Buffer.concat(chunks), truncated: (stream as { truncated?: boolean }).truncated };
      });
    });
    parser.on("error", () => reject(new HttpError(400, t.errors.badRequest, [{ field: "file", message: "skjemaet kunne ikke leses" }])));
    parser.on("close", () => {
      if (failed) reject(new HttpError(400, t.errors.badRequest, [{ field: "alt", message: "teksten er for lang" }]));
      else resolve(result);
    });
    req.pipe(parser);
  });
}

/**
 * Uploads are decoded and re-encoded, which costs CPU: 60 per staff account
 * in 10 minutes (a busy afternoon of pictures), then 429 with Retry-After.
 */
const uploadLimit = new RateLimiter({ max: 60, windowMs: 10 * 60_000 });

/** Accounts with an upload being received: its body is held in memory (up to 20 MB), so one at a time. */
const receiving = new Set<string>();

/**
 * Counts one upload by the signed-in account, or refuses it: past the rate
 * limit, or while another upload of the account is still arriving (429; the
 * connection closes, so the refused body is not read).
 */
export const uploadRateLimit: RequestHandler = (_req, res, next) => {
  const account = res.locals.account?.id ?? "?";
  const refuse = (wait: number, message: string) => {
    res.setHeader("Retry-After", String(wait));
    res.setHeader("Connection", "close");
    next(new HttpError(429, message));
  };
  if (receiving.has(account)) return refuse(10, mt.uploadInProgress);
  const wait = takeAll([[uploadLimit, account]]);
  if (wait > 0) return refuse(wait, t.errors.rateLimited);
  receiving.add(account);
  res.on("close", () => receiving.delete(account));
  next();
};

/** The app-wide CSRF check on fields parsed here: its refusal, or undefined when the token is the session's. */
export function csrfRefusal(ctx: AppContext, req: Request, res: Response, fields: Record<string, string>): unknown {
  let refusal: unknown;
  req.body = fields;
  void verifyCsrf(ctx)(req, res, ((error?: unknown) => (refusal = error)) as NextFunction);
  return refusal;
}

/** The app-wide CSRF check, run on fields parsed here. */
export async function checkCsrf(ctx: AppContext, req: Request, res: Response, fields: Record<string, string>): Promise<void> {
  const refusal = csrfRefusal(ctx, req, res, fields);
  if (refusal) throw refusal;
}

/**
 * Reads an upload form whose CSRF token must come before its file: a request
 * without the session's token is refused before the file is read, and the
 * connection closes, so a large forged body costs almost nothing.
 */
export async function readUpload(ctx: AppContext, req: Request, res: Response, maxFileBytes: number): Promise<Multipart> {
  try {
    const parsed = await readMultipart(req, maxFileBytes, (fields) => csrfRefusal(ctx, req, res, fields));
    await checkCsrf(ctx, req, res, parsed.fields);
    return parsed;
  } catch (error) {
    // The rest of the body is not awaited.
    res.setHeader("Connection", "close");
    throw error;
  }
}

/**
 * GET /media/<hash>.<ext>: typed, never sniffed; a PDF is a download. What a
 * published project or the actor shows is public and immutable (the name is
 * the content); a draft's attachment is for this instance's staff only, never
 * stored by a cache, until the project is published. A file no row names is
 * not found.
 */
export function mediaFileRoutes(ctx: AppContext): Router {
  const router = Router();
  const session = loadSession(ctx);
  router.get("/media/:name", async (req, res, next) => {
    const name = req.params.name;
    if (!storedFileName.test(name)) return next(new HttpError(404, t.errors.notFound));
    const audience = await ctx.media.audience(name);
    if (audience === "staff") await new Promise<void>((resolve) => void session(req, res, () => resolve()));
    if (!audience || (audience === "staff" && !res.locals.account)) return next(new HttpError(404, t.errors.notFound));
    const ext = name.split(".")[1];
    res.setHeader("Cache-Control", audience === "public" ? "public, max-age=31536000, immutable" : "private, no-store");
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.setHeader("Cross-Origin-Resource-Policy", "cross-origin");
    res.type(storedTypes[ext]);
    if (ext === "pdf") {
      // Opened as a download, never rendered in our origin; no script in any case.
      res.setHeader("Content-Disposition", `attachment; filename="${name}"`);
      res.setHeader("Content-Security-Policy", "sandbox; default-src 'none'");
    }
    res.sendFile(join(ctx.media.dir, name), { dotfiles: "deny", headers: { "Content-Type": storedTypes[ext] } }, (error) => {
      if (!error) return;
      res.removeHeader("Cache-Control");
      res.removeHeader("Content-Disposition");
      if (!res.headersSent) next(new HttpError(404, t.errors.notFound));
    });
  });
  return router;
}

const notices: Record<string, string> = { "lagt-til": mt.added, slettet: mt.removed };

/** Staff of this instance add and remove a project's attachments. */
export function mediaUploadRoutes(ctx: AppContext): Router {
  const router = Router();
  const staffOnly = requireStaff("project.write");

  async function localProject(id: unknown): Promise<Project> {
    ctx.projects.checkPublishesProjects();
    const project = isId(id) ? await getProject(ctx.db, id) : undefined;
    if (!project || !project.local) throw new HttpError(404, t.errors.notFound);
    return project;
  }

  const actorOf = (res: Response) => ({ accountId: res.locals.account!.id, name: res.locals.account!.name });
  const base = (project: Project) => `/admin/prosjekter/${project.id}`;

  async function section(req: Request, res: Response, project: Project, extra: { errors?: FormErrors; values?: Record<string, string> } = {}): Promise<Html> {
    const items = (await ctx.media.list(project.id)).map(mediaItemView);
    return mediaUpload({
      csrf: formChrome(ctx, req, res).csrf,
      base: base(project),
      items,
      errors: extra.errors,
      values: extra.values,
      notice: notices[String(req.query.vedlegg ?? "")],
    });
  }

  // The edit page (staff-projects.ts) shows the section; it is made here, where the attachments are read.
  const withSection: RequestHandler = async (req, res, next) => {
    const id = req.params.id;
    if (res.locals.account && isId(id)) {
      const project = await getProject(ctx.db, id);
      if (project?.local) res.locals.mediaSection = await section(req, res, project);
    }
    next();
  };
  router.use("/admin/prosjekter/:id/rediger", withSection);
  router.use("/admin/prosjekter/:id/publiser", withSection);
  router.use("/admin/prosjekter/:id/avpubliser", withSection);

  /** A refused attachment: the edit page again, with what was typed and the reason beside the field. */
  async function refused(req: Request, res: Response, project: Project, error: MediaError, values: Record<string, string>) {
    // The project was deleted while the file arrived: there is no edit page to show.
    if (error.status === 404) throw new HttpError(404, t.errors.notFound);
    const municipality = await requireLocalMunicipality(ctx);
    const page = projectFormPage({
      chrome: formChrome(ctx, req, res, municipality),
      values: projectValuesFromProject(project),
      project,
      strategicAreas: municipality.strategicAreas,
      media: await section(req, res, project, { errors: { [error.field]: error.message }, values }),
    });
    sendPage(res, page, error.status);
  }

  router.post("/admin/prosjekter/:id/vedlegg", staffOnly, uploadRateLimit, async (req, res) => {
    const project = await localProject(req.params.id);
    let parsed: Multipart;
    try {
      parsed = await readUpload(ctx, req, res, mediaLimits.documentBytes);
    } catch (error) {
      if (!(error instanceof MediaError)) throw error;
      return refused(req, res, project, error, {});
    }
    const alt = parsed.fields.alt ?? "";
    const file = parsed.file ?? { fileName: "", data: Buffer.alloc(0) };
    try {
      const isPdf = /\.pdf$/i.test(file.fileName) || sniff(file.data) === "pdf";
      if (isPdf) await ctx.media.addDocument(project, actorOf(res), { file, title: alt });
      else await ctx.media.addImage(project, actorOf(res), { file, alt });
    } catch (error) {
      if (!(error instanceof MediaError)) throw error;
      return refused(req, res, project, error, { alt });
    }
    res.redirect(303, `${base(project)}/rediger?vedlegg=lagt-til#vedlegg`);
  });

  router.post("/admin/prosjekter/:id/lenker", staffOnly, uploadRateLimit, async (req, res) => {
    const project = await localProject(req.params.id);
    await checkCsrf(ctx, req, res, (req.body ?? {}) as Record<string, string>);
    const values = { url: String(req.body?.url ?? ""), title: String(req.body?.title ?? "") };
    try {
      await ctx.media.addLink(project, actorOf(res), values);
    } catch (error) {
      if (!(error instanceof MediaError)) throw error;
      return refused(req, res, project, error, values);
    }
    res.redirect(303, `${base(project)}/rediger?vedlegg=lagt-til#vedlegg`);
  });

  router.post("/admin/prosjekter/:id/vedlegg/:mediaId/slett", staffOnly, async (req, res) => {
    const project = await localProject(req.params.id);
    await checkCsrf(ctx, req, res, (req.body ?? {}) as Record<string, string>);
    const mediaId = req.params.mediaId;
    if (!isId(mediaId) || !(await ctx.media.remove(project, mediaId, actorOf(res)))) throw new HttpError(404, t.errors.notFound);
    res.redirect(303, `${base(project)}/rediger?vedlegg=slettet#vedlegg`);
  });

  return router;
}


/** The profile page shows the logo uploaded on the admin page (the actor's icon), else the logo address of the profile form. */
export async function withUploadedLogo<M extends { logoUrl: string | null }>(ctx: AppContext, municipality: M): Promise<M> {
  const icon = await ctx.media.profilePicture("icon");
  return icon?.fileName ? { ...municipality, logoUrl: `${ctx.config.origin}${paths.media(icon.fileName)}` } : municipality;
}
