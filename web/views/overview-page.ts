import type { OverviewQuery } from "../../core/overview-query.ts";
import { defaultRegions, fylker } from "../../core/regions.ts";
import { innovationTypes, labelOf, phases, serviceAreas, type Term } from "../../core/taxonomies.ts";
import { barChart, type Bar } from "../components/bar-chart.ts";
import { html, type Html } from "../../core/html.ts";
import { layout } from "../layout.ts";
import type { Chrome } from "./chrome.ts";

/** The overview's figures for one selection, shares already computed. */
export interface OverviewFigures {
  readonly municipalities: number;
  readonly projects: number;
  readonly seekingPartners: number;
  /** Share of the projects that imitate another (0–1). */
  readonly reuseShare: number;
  readonly byFylke: Readonly<Record<string, number>>;
  readonly byServiceArea: Readonly<Record<string, number>>;
  readonly byPhase: Readonly<Record<string, number>>;
  readonly byType: Readonly<Record<string, number>>;
  readonly mostImitated: readonly {
    readonly url: string;
    readonly title: string;
    readonly municipality: string;
    readonly municipalities: number;
    readonly fylker: number;
    readonly daysToFirstImitation: number | null;
  }[];
  /** The reuse share per quarter. */
  readonly reuseOverTime: readonly { readonly period: string; readonly share: number }[];
}

export interface OverviewPageProps {
  readonly chrome: Chrome;
  readonly stats: OverviewFigures;
  readonly query: OverviewQuery;
  readonly title: string;
}

const percent = (share: number) => `${(share * 100).toLocaleString("nb-NO", { maximumFractionDigits: 1 })} %`;

function barsOf(counts: Readonly<Record<string, number>>, terms?: readonly Term[]): Bar[] {
  const bars = Object.entries(counts).map(([key, value]) => ({ label: terms ? labelOf(terms, key) : key, value }));
  return bars.sort((a, b) => b.value - a.value || a.label.localeCompare(b.label, "nb"));
}

function select(name: string, label: string, options: readonly { value: string; label: string }[], selected?: string): Html {
  return html`<div class="field"><label for="f-${name}">${label}</label>
<select id="f-${name}" name="${name}"><option value="">Alle</option>
${options.map((o) => html`<option value="${o.value}"${o.value === selected ? html` selected` : ""}>${o.label}</option>`)}
</select></div>`;
}

function filters(q: OverviewQuery): Html {
  return html`<form method="get" action="/oversikt" class="filters filters-row" aria-label="Avgrens oversikten">
${select("fylke", "Fylke", fylker.map((f) => ({ value: f.slug, label: f.name })), q.fylke)}
${select("region", "Region", defaultRegions.map((r) => ({ value: r.slug, label: r.name })), q.region)}
${select("serviceArea", "Tjenesteområde", serviceAreas.map((s) => ({ value: s.slug, label: s.label })), q.serviceArea)}
<div class="field"><label for="f-from">Publisert fra</label><input id="f-from" type="date" name="from" value="${q.from ?? ""}"></div>
<div class="field"><label for="f-to">Publisert til</label><input id="f-to" type="date" name="to" value="${q.to ?? ""}"></div>
<p><button type="submit" class="button">Vis</button> <a href="/oversikt">Nullstill</a></p>
</form>`;
}

export function overviewPage({ chrome, stats, query, title }: OverviewPageProps): Html {
  const overTime = stats.reuseOverTime.map((p) => ({ label: p.period, value: p.share }));
  return layout({
    ...chrome,
    title,
    current: "overview",
    description: "Hva kommunene prøver ut, hva som spres og hva det gir – tall fra alle deltakende kommuner.",
    body: html`<h1>${title}</h1>
<p class="lead">Hva kommunene prøver ut, hvilke løsninger som spres, og hvor mye som er gjenbruk av andres arbeid.</p>
${filters(query)}
<section aria-labelledby="nokkeltall"><h2 id="nokkeltall">Nøkkeltall</h2>
<dl class="key-figures">
<div><dt>Kommuner med prosjekter</dt><dd>${stats.municipalities}</dd></div>
<div><dt>Prosjekter</dt><dd>${stats.projects}</dd></div>
<div><dt>Andel gjenbruk (imitasjoner)</dt><dd>${percent(stats.reuseShare)}</dd></div>
<div><dt>Søker samarbeidspartnere</dt><dd><a href="/prosjekter?soker-partnere=ja">${stats.seekingPartners}</a></dd></div>
</dl></section>
<section aria-labelledby="mest-imitert"><h2 id="mest-imitert">Mest imiterte løsninger</h2>
${stats.mostImitated.length === 0
  ? html`<p>Ingen løsninger er imitert i dette utvalget ennå.</p>`
  : html`<table class="stack-on-phone">
<thead><tr><th scope="col">Løsning</th><th scope="col">Kommune</th><th scope="col" class="num">Imitert av kommuner</th><th scope="col" class="num">I fylker</th><th scope="col" class="num">Dager til første imitasjon</th></tr></thead>
<tbody>${stats.mostImitated.map((m) => html`<tr><th scope="row"><a href="${m.url}">${m.title}</a></th><td data-label="Kommune">${m.municipality}</td><td class="num" data-label="Imitert av kommuner">${m.municipalities}</td><td class="num" data-label="I fylker">${m.fylker}</td><td class="num" data-label="Dager til første imitasjon">${m.daysToFirstImitation ?? "–"}</td></tr>`)}</tbody>
</table>`}
</section>
<section aria-labelledby="fordeling"><h2 id="fordeling">Fordeling</h2>
<div class="charts">
${barChart({ id: "fylke", title: "Prosjekter per fylke", bars: barsOf(stats.byFylke), valueLabel: "Prosjekter" })}
${barChart({ id: "tjenesteomrade", title: "Prosjekter per tjenesteområde", bars: barsOf(stats.byServiceArea, serviceAreas), valueLabel: "Prosjekter" })}
${barChart({ id: "fase", title: "Prosjekter per fase", bars: phases.map((p) => ({ label: p.label, value: stats.byPhase[p.slug] ?? 0 })), valueLabel: "Prosjekter" })}
${barChart({ id: "type", title: "Prosjekter per innovasjonstype", bars: barsOf(stats.byType, innovationTypes), valueLabel: "Prosjekter" })}
${barChart({ id: "gjenbruk", title: "Andel gjenbruk per kvartal", bars: overTime, valueLabel: "Andel imitasjoner", format: percent })}
</div></section>
<p><a href="/kommuner">Se hver deltakende kommune: prosjekter, hva de har imitert og hva andre har imitert fra dem</a></p>
<p><a href="/ideer/tall">Idéer: hvor mange som kommer inn, får svar, blir prosjekter og tas i bruk</a></p>
<p>Tallene er også tilgjengelige som <a href="/api/v1/overview">JSON</a>, og hele katalogen som <a href="/api/v1/export.csv">CSV</a> (eller <a href="/api/v1/export.csv?delimiter=semicolon">CSV for Excel</a>), <a href="/api/v1/export.json">JSON</a> og <a href="/api/v1/catalog">DCAT</a>.</p>`,
  });
}
