import { html, type Html } from "../../core/html.ts";

/** Plain text typed by staff: blank lines separate paragraphs, single newlines become line breaks. */
export function paragraphs(text: string): Html {
  const blocks = text.split(/\n\s*\n/).map((b) => b.trim()).filter(Boolean);
  return html`${blocks.map((b) => html`<p>${b.split("\n").map((line, i) => html`${i > 0 ? html`<br>` : ""}${line}`)}</p>`)}`;
}
