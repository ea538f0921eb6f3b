import type { AdopterReport, Lineage, LineageNode } from "../../core/imitation.ts";
import { benefitKinds, labelOf, phases } from "../../core/taxonomies.ts";
import { safeHttpUrl } from "../format.ts";
import { html, type Html } from "../../core/html.ts";
import { paragraphs } from "./paragraphs.ts";
import { t } from "../texts.ts";
import { projectPageTexts } from "../page-texts.ts";

/** A link to a project in a lineage: our page when we hold it, else the peer's URL (http(s) only). */
function nodeLink(n: { href: string; title: string; url: string }): Html {
  const href = n.href.startsWith("/") ? n.href : safeHttpUrl(n.href);
  const title = n.title || n.url;
  return href ? html`<a href="${href}">${title}</a>` : html`${title}`;
}

function phaseOf(slug: string | null): string {
  return slug ? ` · ${labelOf(phases, slug)}` : "";
}

/** "Imitert av N kommuner" with each municipality, its phase and a link. */
export function imitatedBySection(adopters: readonly AdopterReport[]): Html {
  const municipalities = new Set(adopters.map((a) => a.municipality.actorUrl)).size;
  const heading = municipalities === 0 ? projectPageTexts.imitations : t.imitation.imitatedBy(municipalities);
  return html`<section class="project-section" aria-labelledby="imitert"><h2 id="imitert">${heading}</h2>
${adopters.length === 0
  ? html`<p>${t.imitation.notImitated}</p>`
  : html`<ul class="adopters">${adopters.map((a) => html`<li>${nodeLink(a)} – ${a.municipality.name}${a.municipality.fylke ? ` (${a.municipality.fylke})` : ""}<span class="muted">${phaseOf(a.phase)}</span></li>`)}</ul>`}
</section>`;
}

/** What adopters report back: their realised benefits and lessons. */
export function evidenceSection(adopters: readonly AdopterReport[]): Html {
  const reporting = adopters.filter((a) => a.realisedBenefits.length > 0 || a.lessons || a.lessonsFailed);
  if (adopters.length === 0) return html``;
  return html`<section class="project-section" aria-labelledby="resultater"><h2 id="resultater">${t.imitation.evidence}</h2>
${reporting.length === 0
  ? html`<p>${t.imitation.evidenceNone}</p>`
  : reporting.map((a) => html`<article class="evidence"><h3>${a.municipality.name}: ${nodeLink(a)}</h3>
${a.realisedBenefits.length > 0 ? html`<ul class="benefits">${a.realisedBenefits.map((b) => html`<li><strong>${labelOf(benefitKinds, b.kind)}:</strong> ${b.description}</li>`)}</ul>` : ""}
${a.adaptation ? html`<h4>${t.imitation.adapted}</h4>${paragraphs(a.adaptation)}` : ""}
${a.lessons ? html`<h4>Erfaringer</h4>${paragraphs(a.lessons)}` : ""}
${a.lessonsFailed ? html`<h4>Det som ikke virket</h4>${paragraphs(a.lessonsFailed)}` : ""}
</article>`)}
</section>`;
}

function nodeItem(n: LineageNode): Html {
  return html`${nodeLink(n)}${n.municipalityName ? html` – ${n.municipalityName}` : ""}<span class="muted">${phaseOf(n.phase)}</span>`;
}

/**
 * Ancestry (original first) and descendants, as nested lists a screen reader
 * reads in order. The direct imitations are listed under "Imitert av" on the
 * same page, so only those further down are listed here.
 */
export function lineageSection(lineage: Lineage, self: { title: string }): Html {
  const further = lineage.descendants.filter((n) => n.depth > 1);
  if (lineage.ancestors.length === 0 && further.length === 0) return html``;
  const depthClass = (d: number) => `lineage-depth-${Math.min(d, 6)}`;
  return html`<section class="project-section" aria-labelledby="slektstre"><h2 id="slektstre">${t.imitation.lineage}</h2>
<p class="hint">${t.imitation.lineageIntro}</p>
${lineage.ancestors.length > 0
  ? html`<h3>${t.imitation.ancestors}</h3><ol class="lineage">${lineage.ancestors.map((n) => html`<li>${nodeItem(n)}</li>`)}<li aria-current="page"><strong>${self.title}</strong> (${t.imitation.thisProject})</li></ol>`
  : ""}
${further.length > 0
  ? html`<h3>${projectPageTexts.imitatedByOthers}</h3><p class="hint">${projectPageTexts.imitatedByOthersIntro}</p><ul class="lineage">${further.map((n) => html`<li class="${depthClass(n.depth - 1)}">${nodeItem(n)}</li>`)}</ul>`
  : ""}
</section>`;
}

/** Staff: start an imitation of this project in our municipality. */
export function imitateForm(originalUrl: string, csrf: string): Html {
  return html`<form method="post" action="/admin/imitasjoner" class="inline-action">
<input type="hidden" name="_csrf" value="${csrf}"><input type="hidden" name="original" value="${originalUrl}">
<button type="submit" class="button" aria-describedby="imiter-hjelp">${t.imitation.imitate}</button>
<p id="imiter-hjelp" class="hint">${t.imitation.imitateHint}</p>
</form>`;
}
