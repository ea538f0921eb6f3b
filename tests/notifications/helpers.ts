// What the notification tests share: a peer municipality whose projects reach
// this instance through the same code the inbox uses after fetching one
// (federation/remote-projects.ts storeProjectDocument), and sign-in helpers.
import { sql } from "drizzle-orm";
import { rowsOf } from "../../db/client.ts";
import { emptyContent, type Project, type ProjectContent } from "../../core/project.ts";
import { upsertRemoteMunicipality } from "../../db/municipalities.ts";
import type { Municipality } from "../../db/schema.ts";
import type { FederationDeps } from "../../federation/deps.ts";
import { projectArticleJson } from "../../federation/project-object.ts";
import { storeProjectDocument } from "../../federation/remote-projects.ts";
import type { TestInstance } from "../helpers/instance.ts";

export const peerOrigin = "http://127.0.0.1:9";

export function peerMunicipality(inst: TestInstance, handle = "sarpsborg", name = "Sarpsborg kommune", kommunenummer = "3105"): Promise<Municipality> {
  return upsertRemoteMunicipality(inst.ctx.db, {
    actorUrl: `${peerOrigin}/kommune/${handle}`,
    handle,
    domain: "127.0.0.1:9",
    name,
    kommunenummer,
    fylke: "Østfold",
    inboxUrl: `${peerOrigin}/kommune/${handle}/inbox`,
  });
}

/** A peer's project as its instance serves it, stored here as a delivery would store it. */
export async function receiveRemote(
  inst: TestInstance,
  municipality: Municipality,
  slug: string,
  content: Partial<ProjectContent> & { title: string },
  updatedAt = new Date(),
  imitationOf: string | null = null,
): Promise<void> {
  const url = `${peerOrigin}/prosjekter/${slug}`;
  const project: Project = {
    ...emptyContent({ title: content.title, summary: content.summary ?? `Kort om ${content.title}`, phase: content.phase ?? "test" }),
    ...content,
    id: slug,
    slug,
    url,
    local: false,
    published: true,
    descriptionHtml: "",
    imitationOf,
    municipality: {
      name: municipality.name,
      kommunenummer: municipality.kommunenummer,
      fylke: municipality.fylke,
      handle: municipality.handle,
      actorUrl: municipality.actorUrl,
    },
    createdAt: updatedAt,
    updatedAt,
    publishedAt: updatedAt,
  };
  const { ctx } = inst;
  const app: FederationDeps = { config: ctx.config, db: ctx.db, logger: ctx.logger, events: ctx.events, imitations: ctx.imitations, collaboration: ctx.collaboration };
  await storeProjectDocument(app, municipality, projectArticleJson(project, { followersUrl: `${municipality.actorUrl}/followers` }), url);
}

/** Every notification as the people told see it (one row per person), oldest first. */
export async function notificationsSeen(inst: TestInstance): Promise<{ id: number; accountId: string; kind: string; title: string; reason: string; link: string; groupLabel: string }[]> {
  const rows = rowsOf<{ id: string | number; account_id: string; kind: string; title: string; reason: string; link: string; group_label: string }>(await inst.ctx.db.execute(sql`
    select e.id, r.account_id, e.kind, e.title, e.link, e.whys -> r.why ->> 0 as group_label, e.whys -> r.why ->> 1 as reason
    from notification_recipients r join notification_events e on e.id = r.notification_id
    order by e.id, r.account_id`));
  return rows.map((r) => ({ id: Number(r.id), accountId: r.account_id, kind: r.kind, title: r.title, reason: r.reason, link: r.link, groupLabel: r.group_label }));
}
