import { Router } from "express";
import { listProjects } from "../../db/projects.ts";
import type { AppContext } from "../context.ts";
import { atomFeed } from "../../web/views/atom-feed.ts";
import { feedPath } from "../../web/layout.ts";
import { requireLocalMunicipality } from "./page-helpers.ts";
import { serviceAreas } from "../../core/taxonomies.ts";
import { HttpError } from "../http/errors.ts";
import { wantsActivityJson } from "../../federation/middleware.ts";
import { t } from "../../web/texts.ts";

/** The Atom feed of this municipality's published projects, newest first. */
export function feedRoutes(ctx: AppContext): Router {
  const router = Router();
  router.get(feedPath, async (_req, res) => {
    const municipality = await requireLocalMunicipality(ctx);
    const { items } = await listProjects(ctx.db, { origin: "local" }, { perPage: 50, order: "newest" });
    res.type("application/atom+xml; charset=utf-8").send(atomFeed({ origin: ctx.config.origin, municipality, projects: items }).value);
  });
  // One service area's projects, for people outside the portal: "helse og omsorg in Fredrikstad" as Atom
  // (`/prosjekter/omrade/helse-omsorg.atom`) and as an ActivityPub OrderedCollection (the same path without
  // `.atom`, asked for as activity+json); a browser asking for the latter goes to the filtered list.
  router.get("/prosjekter/omrade/:file", async (req, res) => {
    const m = /^([a-z-]{2,40})(\.atom)?$/.exec(String(req.params.file));
    const area = m && serviceAreas.find((a) => a.slug === m[1]);
    if (!m || !area) throw new HttpError(404, t.errors.notFound);
    const htmlPath = `/prosjekter?serviceArea=${area.slug}`;
    const path = `/prosjekter/omrade/${area.slug}`;
    if (!m[2] && !wantsActivityJson(req.get("accept"))) return res.redirect(303, htmlPath);
    const municipality = await requireLocalMunicipality(ctx);
    const { items, total } = await listProjects(ctx.db, { origin: "local", serviceArea: area.slug }, { perPage: 50, order: "newest" });
    res.setHeader("Vary", "Accept");
    if (m[2]) {
      const feed = atomFeed({ origin: ctx.config.origin, municipality, projects: items, area: { label: area.label, selfPath: `${path}.atom`, htmlPath } });
      return res.type("application/atom+xml; charset=utf-8").send(feed.value);
    }
    res.type("application/activity+json").send(JSON.stringify({
      "@context": "https://www.w3.org/ns/activitystreams",
      id: `${ctx.config.origin}${path}`,
      type: "OrderedCollection",
      name: `${area.label} – ${municipality.name}`,
      attributedTo: municipality.actorUrl,
      url: `${ctx.config.origin}${htmlPath}`,
      totalItems: total,
      orderedItems: items.map((p) => p.url),
    }));
  });
  return router;
}
