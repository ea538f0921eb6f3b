// "Lignende prosjekter" on a project page: projects elsewhere that address the
// same problem, found by search by problem (search/service.ts `similar`).
// View model in, HTML out; nothing is shown when there are none.
import { html, trusted, type Html } from "../../core/html.ts";
import { labelOf, phases } from "../../core/taxonomies.ts";

export const similarTexts = {
  heading: "Lignende prosjekter",
  intro: "Prosjekter som tar tak i det samme problemet, her og hos kommunene vi følger.",
} as const;

export interface SimilarProjectView {
  readonly title: string;
  /** Where to read it on this instance. */
  readonly href: string;
  readonly municipality: string;
  readonly phase: string;
  /** Escaped text with <mark> around the shared words (made by search/snippet.ts, which escapes everything else). */
  readonly snippetHtml: string;
}

export function similarProjects(items: readonly SimilarProjectView[]): Html {
  if (items.length === 0) return html``;
  return html`<section class="project-section similar-projects" aria-labelledby="lignende"><h2 id="lignende">${similarTexts.heading}</h2>
<p class="muted">${similarTexts.intro}</p>
<ul class="similar-list">${items.map(
    (p) => html`<li><a href="${p.href}">${p.title}</a> <span class="muted">– ${p.municipality} · ${labelOf(phases, p.phase)}</span>${
      p.snippetHtml ? html`<br><span class="similar-snippet">${trusted(p.snippetHtml)}</span>` : ""
    }</li>`,
  )}</ul>
</section>`;
}
