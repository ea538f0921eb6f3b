import type { MunicipalityProfile } from "../../core/municipality.ts";
import type { Project } from "../../core/project.ts";
import { projectCards } from "../components/project-card.ts";
import type { ImitationOriginView } from "../components/imitation-origin.ts";
import { paragraphs } from "../components/paragraphs.ts";
import { safeHttpUrl } from "../format.ts";
import { html, type Html } from "../../core/html.ts";
import { layout } from "../layout.ts";
import { t } from "../texts.ts";
import type { Chrome } from "./chrome.ts";

export interface ProfilePageProps {
  readonly chrome: Chrome;
  readonly municipality: MunicipalityProfile;
  readonly projects: readonly Project[];
  readonly total: number;
  /** The originals of the imitations listed, by project URL. */
  readonly origins?: ReadonlyMap<string, ImitationOriginView>;
}

function fact(label: string, value: Html | string | null | undefined): Html {
  return value ? html`<div class="fact"><dt>${label}</dt><dd>${value}</dd></div>` : html``;
}

export function profilePage({ chrome, municipality: m, projects, total, origins }: ProfilePageProps): Html {
  const website = safeHttpUrl(m.website);
  return layout({
    ...chrome,
    title: m.name,
    description: m.description ? m.description.slice(0, 300) : undefined,
    current: "about",
    body: html`${safeHttpUrl(m.logoUrl) ? html`<img class="logo" src="${safeHttpUrl(m.logoUrl)}" alt="${t.profile.logoAlt(m.name)}">` : ""}
<h1>${m.name}</h1>
<dl class="facts">
${fact(t.profile.kommunenummer, m.kommunenummer)}
${fact(t.profile.fylke, m.fylke)}
${fact(t.profile.region, m.region)}
${fact(t.profile.website, website && html`<a href="${website}" rel="noopener">${website}</a>`)}
</dl>
${m.description ? html`<div class="prose">${paragraphs(m.description)}</div>` : ""}
${m.strategicAreas.length > 0
  ? html`<section aria-labelledby="omrader"><h2 id="omrader">${t.profile.strategicAreas}</h2>
<ul class="tags">${m.strategicAreas.map((a) => html`<li class="tag"><a href="/prosjekter?strategisk-omrade=${a.slug}">${a.label}</a></li>`)}</ul></section>`
  : ""}
<section aria-labelledby="prosjekter"><h2 id="prosjekter">${t.profile.projects} (${total})</h2>
${projects.length > 0 ? projectCards(projects, 3, origins) : html`<p>${t.profile.noProjects}</p>`}
${total > projects.length ? html`<p><a href="/prosjekter?fra=var">${t.front.all}</a></p>` : ""}
</section>`,
  });
}
