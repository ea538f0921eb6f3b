import type { Project } from "../../core/project.ts";
import { labelOf, phases, serviceAreas } from "../../core/taxonomies.ts";
import { projectPath } from "../../core/urls.ts";
import { formatDate, isoDate } from "../format.ts";
import { html, type Html } from "../../core/html.ts";
import { t } from "../texts.ts";
import { pt } from "../page-texts.ts";
import { imitationOriginLabel, type ImitationOriginView } from "./imitation-origin.ts";

export interface ProjectCardProps {
  readonly project: Project;
  /** Heading level of the title inside the list. */
  readonly level?: 2 | 3;
  /** For an imitation: the original it copies, named on the card so it does not look like a duplicate. */
  readonly origin?: ImitationOriginView;
}

/** One project in a list: title, summary and a few facts. */
export function projectCard({ project, level = 3, origin }: ProjectCardProps): Html {
  const title = html`<a href="${projectPath(project)}">${project.title}</a>`;
  return html`<li class="card">
${level === 2 ? html`<h2 class="card-title">${title}</h2>` : html`<h3 class="card-title">${title}</h3>`}
${origin ? imitationOriginLabel(origin) : ""}
<p class="card-summary">${project.summary}</p>
<ul class="tags">
<li class="tag tag-phase">${labelOf(phases, project.phase)}</li>
${project.serviceAreas.slice(0, 3).map((s) => html`<li class="tag">${labelOf(serviceAreas, s)}</li>`)}
${project.imitationOf ? html`<li class="tag tag-imitation">${pt.imitation.tag}</li>` : ""}
${project.seekingPartners ? html`<li class="tag tag-seeking">${t.list.seeking}</li>` : ""}
${project.published ? "" : html`<li class="tag tag-draft">${t.list.draft}</li>`}
</ul>
<p class="card-meta">${project.local ? "" : html`${t.list.from} ${project.municipality.name} · `}${t.list.updatedAt} <time datetime="${isoDate(project.updatedAt)}">${formatDate(project.updatedAt)}</time></p>
</li>`;
}

/** Imitations are named by their original when `origins` (keyed by project URL) knows it. */
export function projectCards(
  projects: readonly Project[],
  level: 2 | 3 = 3,
  origins?: ReadonlyMap<string, ImitationOriginView>,
): Html {
  return html`<ul class="cards">${projects.map((project) => projectCard({ project, level, origin: origins?.get(project.url) }))}</ul>`;
}
