import { html, type Html } from "../../core/html.ts";

export interface Bar {
  readonly label: string;
  readonly value: number;
}

export interface BarChartProps {
  readonly id: string;
  readonly title: string;
  readonly bars: readonly Bar[];
  /** Column heading for the values in the data table. */
  readonly valueLabel: string;
  readonly format?: (value: number) => string;
}

const rowHeight = 26;
const labelWidth = 150;
const chartWidth = 380;

/**
 * A horizontal bar chart drawn on the server as SVG, with the same figures in
 * a table beside it for screen readers, keyboard users and copying.
 */
export function barChart({ id, title, bars, valueLabel, format = String }: BarChartProps): Html {
  const max = Math.max(1, ...bars.map((b) => b.value));
  const barSpace = chartWidth - labelWidth - 50;
  const height = Math.max(rowHeight, bars.length * rowHeight);
  const rows = bars.map((b, i) => {
    const y = i * rowHeight;
    const width = Math.max(b.value > 0 ? 2 : 0, Math.round((b.value / max) * barSpace));
    return html`<g>
<text x="${labelWidth - 8}" y="${y + 17}" text-anchor="end" font-size="13" fill="#1b1f23">${truncate(b.label, 22)}</text>
<rect x="${labelWidth}" y="${y + 4}" width="${width}" height="${rowHeight - 8}" rx="2" fill="#12355b"></rect>
<text x="${labelWidth + width + 6}" y="${y + 17}" font-size="13" fill="#1b1f23">${format(b.value)}</text>
</g>`;
  });
  return html`<figure class="chart" aria-labelledby="${id}-tittel">
<figcaption id="${id}-tittel"><h3>${title}</h3></figcaption>
${bars.length === 0
  ? html`<p>Ingen data for dette utvalget.</p>`
  : html`<svg viewBox="0 0 ${chartWidth} ${height}" width="100%" role="img" aria-labelledby="${id}-svg-tittel" focusable="false">
<title id="${id}-svg-tittel">${title}: ${bars.map((b) => `${b.label} ${format(b.value)}`).join(", ")}</title>
${rows}
</svg>
<details><summary>Tallene i tabell</summary>
<table><caption class="visually-hidden">${title}</caption>
<thead><tr><th scope="col">Kategori</th><th scope="col" class="num">${valueLabel}</th></tr></thead>
<tbody>${bars.map((b) => html`<tr><th scope="row">${b.label}</th><td class="num">${format(b.value)}</td></tr>`)}</tbody>
</table></details>`}
</figure>`;
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
