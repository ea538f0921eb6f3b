import { html, type Html } from "../../core/html.ts";
import { t } from "../texts.ts";
import { csrfField, textArea, type FormErrors } from "./form-fields.ts";

/** One line's outcome (the shape Following.bulkFollow in federation/following.ts returns). */
export interface BulkFollowResult {
  readonly target: string;
  readonly outcome: "followed" | "already" | "error";
  readonly reason?: string;
}

export interface BulkFollowProps {
  readonly csrf: string;
  readonly errors?: FormErrors;
  readonly value?: string;
  /** The outcome of each line after a bulk follow. */
  readonly results?: readonly BulkFollowResult[];
}

const b = () => t.bulkFollow;

function resultsTable(results: readonly BulkFollowResult[]): Html {
  const count = (o: BulkFollowResult["outcome"]) => results.filter((r) => r.outcome === o).length;
  return html`<div role="status"><p>${b().summary(count("followed"), count("already"), count("error"))}</p></div>
<div class="table-scroll"><table>
<caption class="visually-hidden">${b().resultsTitle}</caption>
<thead><tr><th scope="col">${b().line}</th><th scope="col">${b().outcome}</th></tr></thead>
<tbody>${results.map(
  (r) => html`<tr><td>${r.target}</td><td>${r.outcome === "error" ? html`${b().outcomes.error}: ${r.reason ?? ""}` : b().outcomes[r.outcome]}</td></tr>`,
)}</tbody></table></div>`;
}

/**
 * Follow many municipalities at once: paste a list, or (with the small
 * bulk-follow.js) pick a text or CSV file that fills the same field.
 */
export function bulkFollowSection(p: BulkFollowProps): Html {
  return html`<section aria-labelledby="folg-mange" class="form-section">
<h2 id="folg-mange">${b().title}</h2>
<p>${b().intro}</p>
${p.results ? resultsTable(p.results) : ""}
<form method="post" action="/admin/foderasjon/folg-mange" novalidate>
${csrfField(p.csrf)}
<div data-file-into="f-targets" data-file-label="${b().file}"></div>
${textArea({ name: "targets", label: b().targets, rows: 6, maxlength: 200_000, value: p.value, errors: p.errors, hint: b().hint })}
<div class="actions"><button type="submit">${b().submit}</button></div>
</form>
</section>`;
}
