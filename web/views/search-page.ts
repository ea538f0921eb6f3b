import { fylker, type Region } from "../../core/regions.ts";
import {
  innovationTypes,
  labelOf,
  methods,
  n3Stages,
  phases,
  scales,
  serviceAreas,
  type Term,
} from "../../core/taxonomies.ts";
import { pagination } from "../components/pagination.ts";
import { pageName, pageValue, searchPageParams } from "../../core/page-params.ts";
import { imitationOriginLabel, type ImitationOriginView } from "../components/imitation-origin.ts";
import { html, trusted, type Html } from "../../core/html.ts";
import { layout } from "../layout.ts";
import type { Chrome } from "./chrome.ts";

/** The facets the page offers, in the order it shows them. */
const facetOrder = [
  "region", "fylke", "municipality", "serviceArea", "phase", "innovationType", "scale", "n3Stage", "method",
  "seekingPartners", "imitated",
] as const;
type FacetName = (typeof facetOrder)[number];

/** What was asked: the words, the scope, and the values chosen in each facet. */
export type SearchRequestView = { readonly q: string; readonly scope: string } & {
  readonly [F in FacetName]?: readonly string[];
};

/** One hit as the page lists it. */
export interface SearchHitView {
  /** Where to read it on this instance. */
  readonly path: string;
  readonly title: string;
  readonly municipality: { readonly name: string };
  readonly phase: string;
  /** Escaped text with <mark> around the words that matched. */
  readonly snippet: string;
  readonly imitationCount: number;
  readonly hasRealisedBenefits: boolean;
  readonly seekingPartners: boolean;
  /** For an imitation: the original it copies, named on the hit. */
  readonly origin?: ImitationOriginView;
}

/** One page of hits, the counts per facet value, and a suggestion when nothing matched. */
export interface SearchResultsView {
  readonly total: number;
  readonly page: number;
  readonly perPage: number;
  readonly pages: number;
  readonly hits: readonly SearchHitView[];
  readonly facets: { readonly [F in FacetName]?: Readonly<Record<string, number>> };
  readonly suggestion?: string;
}

// The search page's bokmål texts (kept beside the view until they move into texts.ts).
export const searchTexts = {
  title: "Søk etter beste praksis",
  intro: "Beskriv problemet med egne ord. Løsninger som er i drift, er tatt i bruk av andre og har dokumenterte gevinster kommer først.",
  queryLabel: "Hva leter du etter?",
  queryHint: "For eksempel «fallsensor», «svømmeundervisning» eller «digital søknad».",
  submit: "Søk",
  scope: "Hvor",
  scopeRegion: (name: string) => `Vår region (${name})`,
  scopeFylke: (name: string) => `Vårt fylke (${name})`,
  scopeAll: "Hele landet",
  filters: "Avgrens søket",
  applyFilters: "Bruk filtrene",
  reset: "Nullstill",
  count: (n: number) => (n === 1 ? "1 treff" : `${n.toLocaleString("nb-NO")} treff`),
  none: "Ingen prosjekter passer søket.",
  noneHint: "Prøv færre eller andre ord, eller fjern noen filtre.",
  didYouMean: "Mente du",
  imitated: (n: number) => (n === 1 ? "Imitert av 1 kommune" : `Imitert av ${n} kommuner`),
  notImitated: "Ikke imitert ennå",
  seekingPartners: "Søker samarbeidspartnere",
  benefits: "Gevinster dokumentert",
  yes: "Ja",
  more: (n: number) => `og ${n} til`,
  facet: {
    municipality: "Kommune",
    fylke: "Fylke",
    region: "Region",
    serviceArea: "Tjenesteområde",
    phase: "Fase",
    innovationType: "Innovasjonstype",
    scale: "Skala",
    n3Stage: "N3",
    method: "Metode",
    seekingPartners: "Søker partnere",
    imitated: "Imitert av andre",
  } satisfies Record<FacetName, string>,
} as const;

export interface SearchPageProps {
  readonly chrome: Chrome;
  readonly params: SearchRequestView;
  readonly answer: SearchResultsView;
  readonly regions: readonly Region[];
  /** This instance's region and county, for the scope choice. */
  readonly home: { region?: string; fylke?: string };
  readonly municipalityNames: Record<string, string>;
  /** The URL of this search with other parameters. */
  readonly href: (changes: Partial<Record<string, string | string[] | undefined>>) => string;
}

const maxShown = 12;

function labels(name: FacetName, props: SearchPageProps): (value: string) => string {
  const fromTerms = (list: readonly Term[]) => (v: string) => labelOf(list, v);
  switch (name) {
    case "municipality":
      return (v) => props.municipalityNames[v] ?? v;
    case "fylke":
      return (v) => fylker.find((f) => f.slug === v)?.name ?? v;
    case "region":
      return (v) => props.regions.find((r) => r.slug === v)?.name ?? v;
    case "serviceArea":
      return fromTerms(serviceAreas);
    case "phase":
      return fromTerms(phases);
    case "innovationType":
      return fromTerms(innovationTypes);
    case "scale":
      return fromTerms(scales);
    case "n3Stage":
      return fromTerms(n3Stages);
    case "method":
      return fromTerms(methods);
    case "seekingPartners":
    case "imitated":
      return () => searchTexts.yes;
  }
}

/** One facet as checkboxes with counts; chosen values stay visible even at zero. */
function facetGroup(name: FacetName, props: SearchPageProps): Html {
  const counts = props.answer.facets[name] ?? {};
  const chosen = new Set(props.params[name] ?? []);
  const label = labels(name, props);
  const values = Object.entries(counts).sort((a, b) => b[1] - a[1] || label(a[0]).localeCompare(label(b[0]), "nb"));
  for (const v of chosen) if (!(v in counts)) values.push([v, 0]);
  if (values.length === 0) return html``;
  const shown = values.filter(([v], i) => i < maxShown || chosen.has(v));
  const hidden = values.length - shown.length;
  const id = `facet-${name}`;
  return html`<fieldset class="facet" id="${id}">
<legend>${searchTexts.facet[name]}</legend>
<ul class="facet-values">
${shown.map(([value, count]) => {
  // Ids follow the value, so focus stays on the same choice when the results refresh in place.
  const inputId = `${id}-${value.replace(/[^a-z0-9-]/gi, "-")}`;
  return html`<li><input type="checkbox" id="${inputId}" name="${pageName(searchPageParams, name)}" value="${pageValue(searchPageParams, name, value)}"${chosen.has(value) ? html` checked` : ""}>
<label for="${inputId}">${label(value)} <span class="facet-count">(${count})</span></label></li>`;
})}
</ul>
${hidden > 0 ? html`<p class="facet-more">${searchTexts.more(hidden)}</p>` : ""}
</fieldset>`;
}

function scopeChoice(props: SearchPageProps): Html {
  const options: { value: string; label: string }[] = [];
  if (props.home.region) options.push({ value: "region", label: searchTexts.scopeRegion(props.home.region) });
  if (props.home.fylke) options.push({ value: "fylke", label: searchTexts.scopeFylke(props.home.fylke) });
  options.push({ value: "all", label: searchTexts.scopeAll });
  return html`<fieldset class="search-scope"><legend>${searchTexts.scope}</legend>
${options.map((o) => html`<span class="scope-option"><input type="radio" name="${pageName(searchPageParams, "scope")}" id="scope-${o.value}" value="${pageValue(searchPageParams, "scope", o.value)}"${props.params.scope === o.value ? html` checked` : ""}>
<label for="scope-${o.value}">${o.label}</label></span>`)}
</fieldset>`;
}

function hitItem(hit: SearchHitView): Html {
  return html`<li class="card search-hit">
<h3 class="card-title"><a href="${hit.path}">${hit.title}</a></h3>
<p class="card-meta">${hit.municipality.name} · ${labelOf(phases, hit.phase)}</p>
${hit.origin ? imitationOriginLabel(hit.origin) : ""}
${hit.snippet ? html`<p class="snippet">${trusted(hit.snippet)}</p>` : ""}
<ul class="tags">
<li class="tag">${hit.imitationCount > 0 ? searchTexts.imitated(hit.imitationCount) : searchTexts.notImitated}</li>
${hit.hasRealisedBenefits ? html`<li class="tag">${searchTexts.benefits}</li>` : ""}
${hit.seekingPartners ? html`<li class="tag tag-seeking">${searchTexts.seekingPartners}</li>` : ""}
</ul>
</li>`;
}

export function searchPage(props: SearchPageProps): Html {
  const { params, answer } = props;
  const title = params.q ? `${searchTexts.title}: ${params.q}` : searchTexts.title;
  return layout({
    ...props.chrome,
    title,
    head: html`<script src="/static/search.js" defer></script>`,
    body: html`<h1>${searchTexts.title}</h1>
<p class="lead">${searchTexts.intro}</p>
<form method="get" action="/sok" class="search-form" id="sok">
<div class="search-box">
<label for="q">${searchTexts.queryLabel}</label>
<p class="hint" id="q-hint">${searchTexts.queryHint}</p>
<input type="search" id="q" name="q" value="${params.q}" maxlength="500" aria-describedby="q-hint" autocomplete="off">
<button type="submit">${searchTexts.submit}</button>
</div>
${scopeChoice(props)}
<div class="list-layout">
<section class="results" aria-labelledby="treff" aria-live="polite">
<h2 id="treff" class="results-count">${searchTexts.count(answer.total)}</h2>
${answer.suggestion
  ? html`<p class="suggestion">${searchTexts.didYouMean} <a href="${props.href({ q: answer.suggestion, page: undefined })}">${answer.suggestion}</a>?</p>`
  : ""}
${answer.hits.length > 0
  ? html`<ol class="cards search-hits" start="${(answer.page - 1) * answer.perPage + 1}">${answer.hits.map(hitItem)}</ol>`
  : html`<p>${searchTexts.none}</p><p>${searchTexts.noneHint}</p>`}
${pagination({ page: answer.page, pages: answer.pages, href: (page) => props.href({ page: String(page) }) })}
</section>
<section class="filters" aria-labelledby="filtre">
<h2 id="filtre">${searchTexts.filters}</h2>
${facetOrder.map((name) => facetGroup(name, props))}
<div class="actions"><button type="submit">${searchTexts.applyFilters}</button> <a href="/sok">${searchTexts.reset}</a></div>
</section>
</div>
</form>`,
  });
}
