import { html, type Html } from "../../core/html.ts";

export interface Bar {
  readonly label: string;
  readonly value: number;
}

export interface BarChartProps {
  readonly id: string;
  readonly title: string;
  readonly bars: readonly Bar[];
  /** Column heading for the values. */
  readonly valueLabel: string;
  readonly format?: (value: number) => string;
}

/**
 * A horizontal bar chart that is also its own data table: each row has the
 * label as HTML text (it wraps, is never cut, and reads at the page's size on
 * a phone), a bar drawn as a small SVG scaled to the largest value, and the
 * figure. Screen readers read the table; the bars are decoration.
 */
export function barChart({ id, title, bars, valueLabel, format = String }: BarChartProps): Html {
  const max = Math.max(1, ...bars.map((b) => b.value));
  return html`<figure class="chart" aria-labelledby="${id}-tittel">
<figcaption id="${id}-tittel"><h3>${title}</h3></figcaption>
${bars.length === 0
  ? html`<p>Ingen data for dette utvalget.</p>`
  : html`<table class="bar-chart">
<caption class="visually-hidden">${title}</caption>
<thead class="visually-hidden"><tr><th scope="col">Kategori</th><th scope="col">${valueLabel}</th><th scope="col" class="num">${valueLabel}</th></tr></thead>
<tbody>${bars.map((b) => {
  const width = b.value > 0 ? Math.max(1, Math.round((b.value / max) * 1000) / 10) : 0;
  return html`<tr><th scope="row">${b.label}</th><td class="bar-cell"><svg class="bar" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true" focusable="false"><rect width="${width}" height="10" rx="0.5"></rect></svg></td><td class="num">${format(b.value)}</td></tr>`;
})}</tbody>
</table>`}
</figure>`;
}
