import type { MunicipalityProfile } from "../../core/municipality.ts";
import type { Project } from "../../core/project.ts";
import { projectCards } from "../components/project-card.ts";
import { html, type Html } from "../../core/html.ts";
import { layout } from "../layout.ts";
import { t } from "../texts.ts";
import type { Chrome } from "./chrome.ts";

export interface FrontPageProps {
  readonly chrome: Chrome;
  readonly municipality: Pick<MunicipalityProfile, "name">;
  readonly newest: readonly Project[];
  readonly updated: readonly Project[];
}

export function frontPage({ chrome, municipality, newest, updated }: FrontPageProps): Html {
  const section = (id: string, title: string, projects: readonly Project[]) => html`<section aria-labelledby="${id}">
<h2 id="${id}">${title}</h2>
${projects.length > 0 ? projectCards(projects) : html`<p>${t.front.empty}</p>`}
</section>`;
  return layout({
    ...chrome,
    title: t.front.title,
    description: t.tagline,
    body: html`<div class="hero">
<h1>${t.front.heading(municipality.name)}</h1>
<p class="lead">${t.front.intro}</p>
<p><a class="button" href="/prosjekter">${t.front.all}</a></p>
</div>
<div class="columns">
${section("nyeste", t.front.newest, newest)}
${section("oppdatert", t.front.updated, updated)}
</div>`,
  });
}
