import type { Project } from "../../core/project.ts";
import { pagination } from "../components/pagination.ts";
import { projectCards } from "../components/project-card.ts";
import type { ImitationOriginView } from "../components/imitation-origin.ts";
import { projectPath } from "../../core/urls.ts";
import { formatDate, safeHttpUrl } from "../format.ts";
import { html, type Html } from "../../core/html.ts";
import { layout } from "../layout.ts";
import { t } from "../texts.ts";
import type { Chrome } from "./chrome.ts";
import type { ParticipantSummary } from "./municipality-list.ts";

/** One of the municipality's projects that imitates another, with what we know of the original. */
export interface MadeImitation {
  readonly title: string;
  readonly projectId: string;
  readonly local: boolean;
  readonly slug: string;
  readonly originalUrl: string;
  /** Empty when the original is not known here. */
  readonly originalTitle: string;
  readonly originalMunicipality: string;
}

/** An imitation, by anyone, of one of the municipality's projects. */
export interface ReceivedImitation {
  readonly originalTitle: string;
  readonly originalId: string;
  readonly originalLocal: boolean;
  readonly originalSlug: string;
  readonly copyUrl: string;
  readonly copyTitle: string;
  readonly copyMunicipality: string;
  readonly copyFylke: string | null;
}

export interface MunicipalityPageProps {
  readonly chrome: Chrome;
  readonly municipality: ParticipantSummary;
  readonly projects: readonly Project[];
  /** The originals of the imitations listed, by project URL. */
  readonly origins?: ReadonlyMap<string, ImitationOriginView>;
  readonly page: number;
  readonly pages: number;
  readonly href: (page: number) => string;
  readonly made: readonly MadeImitation[];
  readonly received: readonly ReceivedImitation[];
}

const p = () => t.participants;

function madeTable(rows: readonly MadeImitation[]): Html {
  if (rows.length === 0) return html`<p>${p().noneMade}</p>`;
  return html`<table class="stack-on-phone">
<caption class="visually-hidden">${p().madeTitle}</caption>
<thead><tr><th scope="col">${p().project}</th><th scope="col">${p().original}</th></tr></thead>
<tbody>${rows.map((r) => {
  const original = safeHttpUrl(r.originalUrl);
  const label = r.originalTitle ? html`${r.originalTitle}${r.originalMunicipality ? html` (${r.originalMunicipality})` : ""}` : html`${p().originalUnknown}`;
  return html`<tr><th scope="row"><a href="${projectPath({ local: r.local, slug: r.slug, id: r.projectId })}">${r.title}</a></th>
<td data-label="${p().original}">${original ? html`<a href="${original}" rel="nofollow noopener">${label}</a>` : label}</td></tr>`;
})}</tbody></table>`;
}

function receivedTable(rows: readonly ReceivedImitation[]): Html {
  if (rows.length === 0) return html`<p>${p().noneReceived}</p>`;
  return html`<table class="stack-on-phone">
<caption class="visually-hidden">${p().receivedTitle}</caption>
<thead><tr><th scope="col">${p().project}</th><th scope="col">${p().copy}</th><th scope="col">${p().by}</th></tr></thead>
<tbody>${rows.map((r) => {
  const copy = safeHttpUrl(r.copyUrl);
  return html`<tr><th scope="row"><a href="${projectPath({ local: r.originalLocal, slug: r.originalSlug, id: r.originalId })}">${r.originalTitle}</a></th>
<td data-label="${p().copy}">${copy ? html`<a href="${copy}" rel="nofollow noopener">${r.copyTitle}</a>` : r.copyTitle}</td>
<td data-label="${p().by}">${r.copyMunicipality}${r.copyFylke ? html` (${r.copyFylke})` : ""}</td></tr>`;
})}</tbody></table>`;
}

/** `/kommuner/:id`: one municipality's projects, what it has imitated, and what others imitated from it. */
export function municipalityPage(props: MunicipalityPageProps): Html {
  const m = props.municipality;
  const profile = safeHttpUrl(m.actorUrl);
  return layout({
    ...props.chrome,
    title: p().pageTitle(m.name),
    current: "overview",
    body: html`<p><a href="/kommuner">${p().allMunicipalities}</a></p>
<h1>${m.name}</h1>
${m.fylke ? html`<p class="lead">${m.fylke}</p>` : ""}
${m.unreachableSince ? html`<p class="muted">${p().unreachableLong(formatDate(m.unreachableSince))}</p>` : ""}
<section aria-labelledby="nokkeltall"><h2 id="nokkeltall">${p().keyFigures}</h2>
<dl class="key-figures">
<div><dt>${p().projects}</dt><dd>${m.projects}</dd></div>
<div><dt>${p().imitationsMade}</dt><dd>${m.imitationsMade}</dd></div>
<div><dt>${p().timesImitated}</dt><dd>${m.timesImitated}</dd></div>
</dl>
${profile ? html`<p><a href="${profile}" rel="noopener">${p().profile}</a></p>` : ""}
</section>
<section aria-labelledby="prosjekter"><h2 id="prosjekter">${p().projectsTitle}</h2>
${props.projects.length > 0 ? projectCards(props.projects, 3, props.origins) : html`<p>${p().noProjects}</p>`}
${pagination({ page: props.page, pages: props.pages, href: props.href })}
</section>
<section aria-labelledby="imitert"><h2 id="imitert">${p().madeTitle}</h2>${madeTable(props.made)}</section>
<section aria-labelledby="imitert-av-andre"><h2 id="imitert-av-andre">${p().receivedTitle}</h2>${receivedTable(props.received)}</section>`,
  });
}
