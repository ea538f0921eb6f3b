import type { Project } from "../../core/project.ts";
import { labelOf, phases, serviceAreas } from "../../core/taxonomies.ts";
import { projectPath } from "../../core/urls.ts";
import { formatDate, isoDate } from "../format.ts";
import { html, type Html } from "../../core/html.ts";
import { t } from "../texts.ts";


export interface ProjectCardProps {
  readonly project: Project;
  /** Heading level of the title inside the list. */
  readonly level?: 2 | 3;
}

/** One project in a list: title, summary and a few facts. */
export function projectCard({ project, level = 3 }: ProjectCardProps): Html {
  const title = html`<a href="${projectPath(project)}">${project.title}</a>`;
  return html`<li class="card">
${level === 2 ? html`<h2 class="card-title">${title}</h2>` : html`<h3 class="card-title">${title}</h3>`}
<p class="card-summary">${project.summary}</p>
<ul class="tags">
<li class="tag tag-phase">${labelOf(phases, project.phase)}</li>
${project.serviceAreas.slice(0, 3).map((s) => html`<li class="tag">${labelOf(serviceAreas, s)}</li>`)}
${project.seekingPartners ? html`<li class="tag tag-seeking">${t.list.seeking}</li>` : ""}
${project.published ? "" : html`<li class="tag tag-draft">${t.list.draft}</li>`}
</ul>
<p class="card-meta">${project.local ? "" : html`${t.list.from} ${project.municipality.name} · `}${t.list.updatedAt} <time datetime="${isoDate(project.updatedAt)}">${formatDate(project.updatedAt)}</time></p>
</li>`;
}

export function projectCards(projects: readonly Project[], level: 2 | 3 = 3): Html {
  return html`<ul class="cards">${projects.map((project) => projectCard({ project, level }))}</ul>`;
}
