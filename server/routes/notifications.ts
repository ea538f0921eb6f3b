// The notifications page (/varsler): what moved in what the person follows,
// what they follow, and how they want to hear of it; follow and unfollow
// buttons post here; the unsubscribe link of every e-mail lands here.
import { Router, type RequestHandler, type Request, type Response } from "express";
import type { AppContext } from "../context.ts";
import { HttpError } from "../http/errors.ts";
import { requireStaff } from "../http/session.ts";
import { many, one, type FormBody } from "../forms/issues.ts";
import { deliveries, notificationKindSlugs, subscriptionKinds, type Delivery, type NotificationKind, type SubscriptionKind } from "../../core/notifications.ts";
import { projectPath } from "../../core/urls.ts";
import { knownMunicipalities } from "../../db/notifications.ts";
import { projectRefsByUrls } from "../../db/projects.ts";
import { ValidationError } from "../../services/projects.ts";
import { FollowTargetNotFoundError } from "../../services/subscriptions.ts";
import { serviceAreas } from "../../core/taxonomies.ts";
import { notificationsPage, unsubscribePage, type NotificationsPageProps, type SubscriptionView } from "../../web/views/notifications-page.ts";
import { nt } from "../../web/views/notifications-texts.ts";
import { followButton } from "../../web/components/follow-button.ts";
import type { Project } from "../../core/project.ts";
import type { Html } from "../../core/html.ts";
import { cachedLocalMunicipality, chromeOf, formChrome, safeNext, sendPage } from "./page-helpers.ts";
import { notificationsPath, unsubscribePath } from "../notification-digests.ts";

declare module "express-serve-static-core" {
  interface Locals {
    /** Unread notifications of the signed-in staff member, for the header. */
    unreadNotifications?: number;
  }
}

/** Counts the signed-in person's unread notifications for the page header (HTML pages only). */
export function unreadNotificationCount(ctx: AppContext): RequestHandler {
  return async (req, res, next) => {
    const account = res.locals.account;
    if (account && req.method === "GET" && !req.path.startsWith("/api/")) {
      try {
        res.locals.unreadNotifications = await ctx.notifications.unreadCount(account.id);
      } catch (error) {
        ctx.logger.warn("notifications: could not count unread", error);
      }
    }
    next();
  };
}

const messages: Record<string, string> = {
  fulgt: nt.followedNotice,
  sluttet: nt.unfollowedNotice,
  lest: nt.readNotice,
  lagret: nt.saved,
};

/**
 * The unsubscribe link of every e-mail: GET shows a button (a link checker's
 * visit changes nothing), POST unsubscribes: the button, or a mail client's
 * one-click `List-Unsubscribe=One-Click` (RFC 8058). The signed token is the
 * authority, so this is mounted before the CSRF check.
 */
export function unsubscribeRoutes(ctx: AppContext): Router {
  const router = Router();
  const token = (req: Request) => (typeof req.query.t === "string" ? req.query.t : "");
  const page = async (req: Request, res: Response, outcome?: "done" | "used" | "invalid") => {
    const municipality = await cachedLocalMunicipality(ctx);
    res.setHeader("Cache-Control", "no-store");
    res.setHeader("Referrer-Policy", "no-referrer");
    const status = outcome === "invalid" ? 400 : outcome === "used" ? 410 : 200;
    sendPage(res, unsubscribePage({ chrome: chromeOf(ctx, req, res, municipality), token: token(req), outcome }), status);
  };
  router.get(unsubscribePath, (req, res) => page(req, res, ctx.notifications.readToken(token(req)) ? undefined : "invalid"));
  router.post(unsubscribePath, async (req, res) => page(req, res, await ctx.notifications.unsubscribe(token(req))));
  return router;
}

/** The follow button on a published project's page, for signed-in staff. */
export async function projectFollowButton(ctx: AppContext, res: Response, project: Project, csrf: string | undefined): Promise<Html | undefined> {
  const account = res.locals.account;
  if (!account || !csrf || !project.published) return undefined;
  const held = await ctx.subscriptions.find(account.id, "project", project.url);
  return followButton({
    csrf,
    kind: "project",
    target: project.url,
    subscriptionId: held?.id,
    back: projectPath(project),
    label: nt.followProject,
    followingLabel: nt.followingProject,
  });
}

export function notificationRoutes(ctx: AppContext): Router {
  const router = Router();
  const staff = requireStaff();
  router.use(notificationsPath, (_req, res, next) => {
    res.setHeader("Cache-Control", "no-store");
    next();
  });

  async function subscriptionViews(accountId: string): Promise<SubscriptionView[]> {
    const list = await ctx.subscriptions.list(accountId);
    const refs = await projectRefsByUrls(ctx.db, list.filter((s) => s.kind === "project").map((s) => s.target));
    return list.map((s) => {
      const ref = refs.get(s.target);
      const href =
        s.kind === "service-area" ? `/prosjekter?serviceArea=${encodeURIComponent(s.target)}`
        : s.kind === "search" ? `/sok?${s.target}`
        : s.kind === "project" ? (ref?.published ? projectPath(ref) : undefined)
        : undefined;
      return { id: s.id, kind: s.kind, label: s.label, href };
    });
  }

  async function render(
    req: Request,
    res: Response,
    extra: Partial<Pick<NotificationsPageProps, "message" | "errors" | "values" | "prefs">> = {},
    status = 200,
  ): Promise<void> {
    const account = res.locals.account!;
    const before = typeof req.query.eldre === "string" && /^\d{1,15}$/.test(req.query.eldre) ? Number(req.query.eldre) : undefined;
    const [municipality, rows, unread, subscriptions, prefs, onBehalf, known] = await Promise.all([
      cachedLocalMunicipality(ctx),
      ctx.notifications.list(account.id, { limit: 50, before }),
      ctx.notifications.unreadCount(account.id),
      subscriptionViews(account.id),
      ctx.notifications.prefs(account.id),
      ctx.subscriptions.followsOnBehalf(),
      knownMunicipalities(ctx.db),
    ]);
    const names = new Map(known.map((m) => [m.actorUrl, m.name]));
    res.locals.unreadNotifications = unread;
    sendPage(
      res,
      notificationsPage({
        chrome: formChrome(ctx, req, res, municipality),
        items: rows.map((r) => ({ id: r.id, title: r.title, reason: r.reason, link: r.link, groupLabel: r.groupLabel, createdAt: r.createdAt, unread: r.unread })),
        unread,
        olderHref: rows.length === 50 ? `${notificationsPath}?eldre=${rows[rows.length - 1].id}` : undefined,
        subscriptions,
        onBehalf: onBehalf.map((f) => nt.onBehalf(names.get(f.actorUrl) ?? f.actorUrl, f.accountName, f.projectTitle)),
        prefs,
        municipalities: known.map((m) => ({ slug: m.actorUrl, label: m.name })),
        mailConfigured: Boolean((ctx.config as { smtpUrl?: string }).smtpUrl),
        feeds: serviceAreas.map((a) => ({
          label: a.label,
          atom: `/prosjekter/omrade/${a.slug}.atom`,
          activityPub: `/prosjekter/omrade/${a.slug}`,
        })),
        ...extra,
      }),
      status,
    );
  }

  router.get(notificationsPath, staff, async (req, res) => {
    const message = typeof req.query.melding === "string" ? messages[req.query.melding] : undefined;
    await render(req, res, { message });
  });

  router.post(`${notificationsPath}/folg`, staff, async (req, res) => {
    const body = req.body as FormBody;
    const kind = one(body, "kind");
    const target = one(body, "target");
    const back = safeNext(one(body, "neste"), notificationsPath);
    const values = { search: kind === "search" ? target : undefined, serviceArea: kind === "service-area" ? target : undefined, municipality: kind === "municipality" ? target : undefined };
    if (!(subscriptionKinds as readonly string[]).includes(kind)) {
      return render(req, res, { errors: { kind: "må være service-area, project, municipality eller search" }, values }, 400);
    }
    try {
      await ctx.subscriptions.follow(res.locals.account!, { kind: kind as SubscriptionKind, target });
    } catch (error) {
      if (error instanceof FollowTargetNotFoundError) return render(req, res, { errors: { target: error.message }, values }, 404);
      if (error instanceof ValidationError) {
        const fromSearch = error.issues.some((i) => i.field.startsWith("search."));
        const text = error.issues.map((i) => (i.field.startsWith("search.") ? `${i.field.slice(7).replace(/\.\d+$/, "")}: ${i.message}` : i.message)).join("; ");
        return render(req, res, { errors: { target: text }, values }, fromSearch ? 400 : 422);
      }
      throw error;
    }
    res.redirect(303, back === notificationsPath ? `${notificationsPath}?melding=fulgt` : back);
  });

  router.post(`${notificationsPath}/slutt/:id`, staff, async (req, res) => {
    const id = String(req.params.id);
    const removed = /^[a-z0-9]{6,40}$/.test(id) ? await ctx.subscriptions.unfollow(res.locals.account!.id, id) : undefined;
    if (!removed) throw new HttpError(404, "Fant ikke det du ville slutte å følge.");
    const back = safeNext(one(req.body as FormBody, "neste"), notificationsPath);
    res.redirect(303, back === notificationsPath ? `${notificationsPath}?melding=sluttet` : back);
  });

  router.post(`${notificationsPath}/les`, staff, async (_req, res) => {
    await ctx.notifications.markRead(res.locals.account!.id);
    res.redirect(303, `${notificationsPath}?melding=lest`);
  });

  router.post(`${notificationsPath}/:id/les`, staff, async (req, res) => {
    const id = String(req.params.id);
    if (!/^\d{1,15}$/.test(id)) throw new HttpError(404, "Fant ikke varselet.");
    await ctx.notifications.markRead(res.locals.account!.id, Number(id));
    res.redirect(303, notificationsPath);
  });

  router.post(`${notificationsPath}/innstillinger`, staff, async (req, res) => {
    const body = req.body as FormBody;
    const errors: Record<string, string> = {};
    const delivery = one(body, "delivery");
    if (!deliveries.some((d) => d.slug === delivery)) errors.delivery = "velg hvordan du vil få e-post";
    const hour = Number(one(body, "digestHour"));
    if (!/^\d{1,2}$/.test(one(body, "digestHour")) || hour > 23) errors.digestHour = "må være en time fra 0 til 23";
    const weekday = Number(one(body, "digestWeekday"));
    if (!/^[1-7]$/.test(one(body, "digestWeekday"))) errors.digestWeekday = "må være en ukedag";
    const kinds = many(body, "kinds");
    if (kinds.some((k) => !(notificationKindSlugs as string[]).includes(k))) errors.kinds = "ukjent slags varsel";
    if (Object.keys(errors).length > 0) {
      // The refused form comes back as it was typed.
      const typed = { delivery: delivery as Delivery, digestHour: hour, digestWeekday: weekday, mutedKinds: notificationKindSlugs.filter((k) => !kinds.includes(k)) };
      return render(req, res, { errors, prefs: typed }, 400);
    }
    await ctx.notifications.savePrefs(res.locals.account!.id, {
      delivery: delivery as Delivery,
      digestHour: hour,
      digestWeekday: weekday,
      mutedKinds: notificationKindSlugs.filter((k) => !kinds.includes(k)) as NotificationKind[],
    });
    res.redirect(303, `${notificationsPath}?melding=lagret#innstillinger`);
  });

  return router;
}
