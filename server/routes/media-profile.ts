// The admin profile page's fediverse sections: the actor's icon and header
// (uploaded through services/media.ts), its profile links and
// discoverable/indexable, and the projects pinned to its featured collection
// (services/profile.ts). Mounted beside media.ts, before the app-wide CSRF
// check, which runs here on the parsed fields.
import { Router, type Request, type RequestHandler, type Response } from "express";
import type { AppContext } from "../context.ts";
import { HttpError } from "../http/errors.ts";
import { requireStaff } from "../http/session.ts";
import { getProject, listProjects } from "../../db/projects.ts";
import { listFeaturedProjectIds } from "../../db/media.ts";
import { isId } from "../../db/ids.ts";
import { profileSlots, type MediaRow, type ProfileSlot } from "../../db/schema-media.ts";
import { actorProfileSchema, maxFeaturedProjects, maxProfileLinks, type ActorProfileSettings } from "../../core/actor-profile.ts";
import { MediaError, mediaLimits } from "../../services/media.ts";
import { ProfileRuleError } from "../../services/profile.ts";
import { formErrors } from "../forms/issues.ts";
import type { FormErrors } from "../../web/components/form-fields.ts";
import type { AdminFediverseView, AdminPictureView } from "../../web/views/admin-profile.ts";
import { t } from "../../web/texts.ts";
import { mt } from "../../web/media-texts.ts";
import { sendProfilePage } from "./admin-pages.ts";
import { checkCsrf, readUpload, uploadRateLimit, type Multipart } from "./media.ts";
import { paths } from "../../core/urls.ts";
import { forgetLocalMunicipality, requireLocalMunicipality } from "./page-helpers.ts";

declare module "express-serve-static-core" {
  interface Locals {
    /** The admin profile page's fediverse sections (admin-pages.ts shows them). */
    profileFediverse?: AdminFediverseView;
  }
}

const notices: Record<string, string> = {
  bilde: mt.pictureSaved,
  "bilde-fjernet": mt.pictureRemoved,
  innstillinger: mt.settingsSaved,
  festet: mt.pinSaved,
};

function pictureView(row: MediaRow | undefined): AdminPictureView | undefined {
  return row?.fileName ? { url: paths.media(row.fileName), name: row.name, width: row.width, height: row.height } : undefined;
}

export function mediaProfileRoutes(ctx: AppContext): Router {
  const router = Router();
  const adminOnly = requireStaff("profile.write");

  async function view(req: Request, extra: { errors?: FormErrors; values?: Record<string, string>; settings?: ActorProfileSettings } = {}): Promise<AdminFediverseView> {
    const [icon, header, settings, pinnedIds, recent] = await Promise.all([
      ctx.media.profilePicture("icon"),
      ctx.media.profilePicture("header"),
      ctx.profile.actorSettings(),
      listFeaturedProjectIds(ctx.db),
      ctx.projects.publishesProjects
        ? listProjects(ctx.db, { origin: "local" }, { page: 1, perPage: 50, order: "updated" }).then((r) => r.items)
        : Promise.resolve([]),
    ]);
    const pinned = new Set(pinnedIds);
    const pinnedProjects = (await Promise.all(pinnedIds.filter((id) => !recent.some((p) => p.id === id)).map((id) => getProject(ctx.db, id)))).filter(
      (p) => p?.local && p.published,
    );
    const projects = [...pinnedProjects, ...recent].map((p) => ({ id: p!.id, title: p!.title, pinned: pinned.has(p!.id) }));
    projects.sort((a, b) => Number(b.pinned) - Number(a.pinned));
    const s = extra.settings ?? settings;
    return {
      icon: pictureView(icon),
      header: pictureView(header),
      links: s.links,
      maxLinks: maxProfileLinks,
      discoverable: s.discoverable,
      indexable: s.indexable,
      projects,
      maxFeatured: maxFeaturedProjects,
      errors: extra.errors,
      values: extra.values,
      notice: notices[String(req.query.fodiverset ?? "")],
    };
  }

  // The profile page (admin-pages.ts) shows these sections; they are read here.
  const withSections: RequestHandler = async (req, res, next) => {
    if (req.path === "/admin/kommune" && res.locals.account) res.locals.profileFediverse = await view(req);
    next();
  };
  router.use(withSections);

  async function refused(req: Request, res: Response, status: number, extra: Parameters<typeof view>[1]) {
    await sendProfilePage(ctx, req, res, { fediverse: await view(req, extra) }, status);
  }

  const done = (res: Response, what: string) => {
    forgetLocalMunicipality(ctx);
    res.redirect(303, `/admin/kommune?fodiverset=${what}#fodiverset`);
  };

  router.post("/admin/kommune/bilder", adminOnly, uploadRateLimit, async (req, res) => {
    const municipality = await requireLocalMunicipality(ctx);
    let parsed: Multipart;
    try {
      parsed = await readUpload(ctx, req, res, mediaLimits.imageBytes);
    } catch (error) {
      if (!(error instanceof MediaError)) throw error;
      return refused(req, res, error.status, { errors: { icon: error.message } });
    }
    const slot = parsed.fields.slot as ProfileSlot;
    if (!profileSlots.includes(slot)) throw new HttpError(400, t.errors.badRequest, [{ field: "slot", message: "må være icon eller header" }]);
    const alt = parsed.fields[`${slot}Alt`] ?? "";
    const file = parsed.file ?? { fileName: "", data: Buffer.alloc(0) };
    try {
      await ctx.media.setProfilePicture(slot, municipality.id, { file, alt });
    } catch (error) {
      if (!(error instanceof MediaError)) throw error;
      const field = error.field === "file" ? slot : error.field;
      return refused(req, res, error.status, { errors: { [field]: error.message }, values: { [`${slot}Alt`]: alt } });
    }
    done(res, "bilde");
  });

  router.post("/admin/kommune/bilder/:slot/slett", adminOnly, async (req, res) => {
    const municipality = await requireLocalMunicipality(ctx);
    await checkCsrf(ctx, req, res, (req.body ?? {}) as Record<string, string>);
    const slot = req.params.slot as ProfileSlot;
    if (!profileSlots.includes(slot)) throw new HttpError(404, t.errors.notFound);
    await ctx.media.removeProfilePicture(slot, municipality.id);
    done(res, "bilde-fjernet");
  });

  router.post("/admin/kommune/fodiverset", adminOnly, async (req, res) => {
    const municipality = await requireLocalMunicipality(ctx);
    const body = (req.body ?? {}) as Record<string, string>;
    await checkCsrf(ctx, req, res, body);
    const values: Record<string, string> = {};
    const rows: { label: string; url: string; index: number }[] = [];
    for (let i = 0; i < maxProfileLinks; i++) {
      const label = String(body[`links.${i}.label`] ?? "");
      const url = String(body[`links.${i}.url`] ?? "");
      values[`links.${i}.label`] = label;
      values[`links.${i}.url`] = url;
      // A row left blank is no link; a half-filled one is an error on its empty half.
      if (label.trim() || url.trim()) rows.push({ label, url, index: i });
    }
    const settings = {
      discoverable: body.discoverable === "true",
      indexable: body.indexable === "true",
      links: rows.map(({ label, url }) => ({ label, url })),
    };
    const parsed = actorProfileSchema.safeParse(settings);
    if (!parsed.success) {
      const errors = Object.fromEntries(
        Object.entries(formErrors(parsed.error)).map(([path, message]) => {
          const [list, n, sub] = path.split(".");
          return [list === "links" && n !== undefined ? `links.${rows[Number(n)]?.index ?? n}.${sub}` : path, message];
        }),
      );
      return refused(req, res, 400, { errors, values, settings: { ...settings, links: [] } });
    }
    await ctx.profile.updateActorSettings(municipality, parsed.data);
    done(res, "innstillinger");
  });

  router.post("/admin/kommune/festet", adminOnly, async (req, res) => {
    const municipality = await requireLocalMunicipality(ctx);
    const body = (req.body ?? {}) as Record<string, string>;
    await checkCsrf(ctx, req, res, body);
    const id = body.projectId;
    const project = isId(id) ? await getProject(ctx.db, id) : undefined;
    if (!project) throw new HttpError(404, t.errors.notFound);
    try {
      if (body.action === "unpin") await ctx.profile.unpin(municipality, project.id);
      else await ctx.profile.pin(municipality, project);
    } catch (error) {
      if (!(error instanceof ProfileRuleError)) throw error;
      const message = error.reason === "too many" ? mt.tooManyPinned(maxFeaturedProjects) : t.errors.notFound;
      return refused(req, res, error.reason === "too many" ? 409 : 404, { errors: { featured: message } });
    }
    done(res, "festet");
  });

  return router;
}
