import type { StrategicArea } from "../../core/municipality.ts";
import type { Project } from "../../core/project.ts";
import type { ProjectQuery } from "../../core/project-query.ts";
import { phases, serviceAreas, type Term } from "../../core/taxonomies.ts";
import { checkbox, selectField } from "../components/form-fields.ts";
import { listParams, pageName, pageValue } from "../../core/page-params.ts";
import { pagination } from "../components/pagination.ts";
import { projectCards } from "../components/project-card.ts";
import type { ImitationOriginView } from "../components/imitation-origin.ts";
import { html, type Html } from "../../core/html.ts";
import { layout } from "../layout.ts";
import { t } from "../texts.ts";
import type { Chrome } from "./chrome.ts";

/** One page of a list of projects, and how many there are in all. */
export interface ProjectListPage {
  readonly items: readonly Project[];
  readonly total: number;
  readonly page: number;
  readonly perPage: number;
}

export interface ProjectListProps {
  readonly chrome: Chrome;
  readonly query: ProjectQuery;
  readonly result: ProjectListPage;
  readonly strategicAreas: readonly StrategicArea[];
  readonly href: (page: number) => string;
  /** The originals of the imitations on this page, by project URL. */
  readonly origins?: ReadonlyMap<string, ImitationOriginView>;
}

// The form speaks the page's bokmål parameter names and values (core/page-params.ts).
const origins: Term[] = [
  { slug: "alle", label: t.list.originAll },
  { slug: "var", label: t.list.originLocal },
  { slug: "andre", label: t.list.originRemote },
];
const orders: Term[] = [
  { slug: "oppdatert", label: t.list.orderUpdated },
  { slug: "nyeste", label: t.list.orderNewest },
  { slug: "mest-imitert", label: t.list.orderImitations },
];
const name = (api: string) => pageName(listParams, api);
const value = (api: string, v: string) => pageValue(listParams, api, v);

function filterForm(query: ProjectQuery, strategicAreas: readonly StrategicArea[]): Html {
  return html`<form method="get" action="/prosjekter" class="filters" aria-labelledby="filtre">
<h2 id="filtre">${t.list.filters}</h2>
${selectField({ name: name("phase"), label: t.fields.phase, value: query.phase, options: phases, empty: t.list.allPhases, plain: true })}
${selectField({ name: name("serviceArea"), label: t.list.serviceArea, value: query.serviceArea, options: serviceAreas, empty: t.list.allServiceAreas, plain: true })}
${strategicAreas.length > 0
  ? selectField({
      name: name("strategicArea"),
      label: t.list.strategicArea,
      value: query.strategicArea,
      options: strategicAreas.map((a) => ({ slug: a.slug, label: a.label })),
      empty: t.list.allStrategicAreas,
      plain: true,
    })
  : ""}
${selectField({ name: name("origin"), label: t.list.origin, value: value("origin", query.origin), options: origins, plain: true })}
${selectField({ name: name("order"), label: t.list.order, value: value("order", query.order), options: orders, plain: true })}
${checkbox({ name: name("seekingPartners"), label: t.list.seekingPartners, checked: query.seekingPartners === true, value: "ja" })}
${checkbox({ name: name("imitated"), label: t.list.imitated, checked: query.imitated === true, value: "ja" })}
<div class="actions"><button type="submit">${t.list.apply}</button> <a href="/prosjekter">${t.list.reset}</a></div>
</form>`;
}

export function projectListPage({ chrome, query, result, strategicAreas, href, origins }: ProjectListProps): Html {
  const pages = Math.max(1, Math.ceil(result.total / result.perPage));
  return layout({
    ...chrome,
    title: query.page > 1 ? `${t.list.title} (${t.list.pageOf(query.page, pages)})` : t.list.title,
    current: "projects",
    body: html`<h1>${t.list.title}</h1>
<div class="list-layout">
${filterForm(query, strategicAreas)}
<section class="results" aria-labelledby="treff">
<h2 id="treff" class="results-count">${t.list.count(result.total)}</h2>
${result.items.length > 0 ? projectCards(result.items, 3, origins) : html`<p>${t.list.empty}</p>`}
${pagination({ page: result.page, pages, href })}
</section>
</div>`,
  });
}
