import type { AdopterReport, Lineage } from "../../core/imitation.ts";
import type { StrategicArea } from "../../core/municipality.ts";
import type { Benefit, Project, ProjectContent } from "../../core/project.ts";
import {
  benefitKinds,
  fundingSources,
  innovationTypes,
  labelOf,
  methods,
  municipalRoles,
  n3Stages,
  partnerTypes,
  phases,
  scales,
  serviceAreas,
  type Term,
} from "../../core/taxonomies.ts";
import { paths } from "../../core/urls.ts";
import { paragraphs } from "../components/paragraphs.ts";
import { evidenceSection, imitateForm, imitatedBySection, lineageSection } from "../components/imitation.ts";
import { formatDate, formatDateTime, isoDate, safeHttpUrl } from "../format.ts";
import { html, trusted, type Html } from "../../core/html.ts";
import { layout } from "../layout.ts";
import { t } from "../texts.ts";
import type { Chrome } from "./chrome.ts";

/** One change in a project's history. */
export interface RevisionView {
  readonly at: Date;
  readonly actorName: string;
  readonly action: string;
  readonly changedFields: readonly string[];
}

export interface ProjectPageProps {
  readonly chrome: Chrome;
  readonly project: Project;
  /** The owning municipality's strategic areas, for their labels. */
  readonly strategicAreas: readonly StrategicArea[];
  /** Shown to signed-in staff only; undefined for the public. */
  readonly history?: readonly RevisionView[];
  /** Staff may edit local projects. */
  readonly editHref?: string;
  /** Who imitated it and what they report back, and its lineage. */
  readonly imitation?: { readonly adopters: readonly AdopterReport[]; readonly lineage: Lineage };
  /** Staff actions: imitate (with the form's CSRF token) and ask to collaborate. */
  readonly actions?: { readonly imitateCsrf?: string; readonly collaborateHref?: string };
}

export function fieldLabel(field: string): string {
  return (t.fields as Record<string, string>)[field] ?? field;
}

function fact(label: string, value: Html | string | false | null | undefined): Html {
  if (!value) return html``;
  return html`<div class="fact"><dt>${label}</dt><dd>${value}</dd></div>`;
}

function labels(list: readonly Term[], slugs: readonly string[]): string | undefined {
  return slugs.length > 0 ? slugs.map((s) => labelOf(list, s)).join(", ") : undefined;
}

function period(p: ProjectContent): string | undefined {
  if (!p.startDate && !p.endDate) return undefined;
  return `${p.startDate ? formatDate(p.startDate) : "…"} – ${p.endDate ? formatDate(p.endDate) : "…"}`;
}

function benefitList(title: string, benefits: readonly Benefit[]): Html {
  return html`<div><h3>${title}</h3>${benefits.length > 0
    ? html`<ul class="benefits">${benefits.map((b) => html`<li><strong>${labelOf(benefitKinds, b.kind)}:</strong> ${b.description}</li>`)}</ul>`
    : html`<p>${t.project.noBenefits}</p>`}</div>`;
}

function section(id: string, title: string, content: Html): Html {
  return html`<section class="project-section" aria-labelledby="${id}"><h2 id="${id}">${title}</h2>${content}</section>`;
}

function historyTable(history: readonly RevisionView[]): Html {
  return section("historikk", t.project.history, html`<p class="hint">${t.project.historyNote}</p>
<div class="table-scroll"><table>
<thead><tr><th scope="col">${t.project.historyWhen}</th><th scope="col">${t.project.historyWho}</th><th scope="col">${t.project.historyWhat}</th><th scope="col">${t.project.changed}</th></tr></thead>
<tbody>${history.map(
  (r) => html`<tr><td><time datetime="${isoDate(r.at)}">${formatDateTime(r.at)}</time></td><td>${r.actorName}</td><td>${r.action}</td><td>${r.changedFields.map(fieldLabel).join(", ")}</td></tr>`,
)}</tbody>
</table></div>`);
}

function staffActions(p: Project, editHref: string | undefined, actions: ProjectPageProps["actions"]): Html {
  if (!editHref && !actions?.imitateCsrf && !actions?.collaborateHref) return html``;
  return html`<div class="project-actions">
${editHref ? html`<p><a class="button button-secondary" href="${editHref}">${t.project.edit}</a></p>` : ""}
${actions?.imitateCsrf && p.published ? imitateForm(p.url, actions.imitateCsrf) : ""}
${actions?.collaborateHref ? html`<p><a class="button button-secondary" href="${actions.collaborateHref}">${t.imitation.collaborate}</a></p>` : ""}
</div>`;
}

export function projectPage({ chrome, project: p, strategicAreas, history, editHref, imitation, actions }: ProjectPageProps): Html {
  const banner = !p.local
    ? html`<div class="banner banner-remote" role="note"><p>${t.project.remoteBanner} <strong>${p.municipality.name}</strong>${
        p.municipality.fylke ? ` (${p.municipality.fylke})` : ""
      }.${
        safeHttpUrl(p.url) ? html` <a href="${safeHttpUrl(p.url)}" rel="noopener">${t.project.remoteOriginal}</a>` : ""
      }</p></div>`
    : !p.published
      ? html`<div class="banner banner-draft" role="note"><p>${t.project.draftBanner}</p></div>`
      : "";
  const areaTerms = strategicAreas.map((a) => ({ slug: a.slug, label: a.label }));
  const municipality = p.local
    ? html`<a href="${paths.actor(p.municipality.handle)}">${p.municipality.name}</a>`
    : safeHttpUrl(p.municipality.actorUrl)
      ? html`<a href="${safeHttpUrl(p.municipality.actorUrl)}" rel="noopener">${p.municipality.name}</a>`
      : p.municipality.name;

  const body = html`${banner}
<article class="project">
<h1>${p.title}</h1>
<p class="lead">${p.summary}</p>
${staffActions(p, editHref, actions)}
${section("fakta", t.project.facts, html`<dl class="facts">
${fact(t.project.municipality, municipality)}
${fact(t.fields.phase, labelOf(phases, p.phase))}
${fact(t.fields.n3Stage, p.n3Stage && labelOf(n3Stages, p.n3Stage))}
${fact(t.fields.scale, p.scale && labelOf(scales, p.scale))}
${fact(t.fields.innovationTypes, labels(innovationTypes, p.innovationTypes))}
${fact(t.fields.serviceAreas, labels(serviceAreas, p.serviceAreas))}
${fact(t.fields.strategicAreas, labels(areaTerms, p.strategicAreas))}
${fact(t.fields.municipalRoles, labels(municipalRoles, p.municipalRoles))}
${fact(t.fields.methods, labels(methods, p.methods))}
${fact(t.fields.funding, labels(fundingSources, p.funding))}
${fact(t.project.imitationOf, safeHttpUrl(p.imitationOf) && html`<a href="${safeHttpUrl(p.imitationOf)}">${t.project.original}</a>`)}
${fact(t.project.period, period(p))}
${fact(t.fields.seekingPartners, p.seekingPartners && t.project.yes)}
${fact(t.project.published, p.publishedAt && html`<time datetime="${isoDate(p.publishedAt)}">${formatDate(p.publishedAt)}</time>`)}
${fact(t.project.updated, html`<time datetime="${isoDate(p.updatedAt)}">${formatDate(p.updatedAt)}</time>`)}
</dl>`)}
${p.descriptionHtml ? section("beskrivelse", t.fields.description, html`<div class="prose">${trusted(p.descriptionHtml)}</div>`) : ""}
${p.adaptation ? section("tilpasning", t.staff.sections.adaptation, paragraphs(p.adaptation)) : ""}
${p.floke || p.behov
  ? section("floke", t.project.problem, html`${p.floke ? html`<h3>${t.fields.floke}</h3>${paragraphs(p.floke)}` : ""}${
      p.behov ? html`<h3>${t.fields.behov}</h3>${paragraphs(p.behov)}` : ""
    }`)
  : ""}
${p.plannedBenefits.length > 0 || p.realisedBenefits.length > 0
  ? section("gevinster", t.project.benefits, html`<div class="two-columns">${benefitList(t.project.planned, p.plannedBenefits)}${benefitList(t.project.realised, p.realisedBenefits)}</div>`)
  : ""}
${p.partners.length > 0
  ? section("partnere", t.project.partners, html`<ul>${p.partners.map((x) => html`<li>${x.name} <span class="muted">(${labelOf(partnerTypes, x.type)})</span></li>`)}</ul>`)
  : ""}
${p.lessons || p.lessonsFailed
  ? section("erfaringer", t.project.lessons, html`${p.lessons ? html`<h3>${t.fields.lessons}</h3>${paragraphs(p.lessons)}` : ""}${
      p.lessonsFailed ? html`<h3>${t.fields.lessonsFailed}</h3>${paragraphs(p.lessonsFailed)}` : ""
    }`)
  : ""}
${p.risk || p.cost
  ? section("risiko", t.project.riskCost, html`${p.risk ? html`<h3>${t.fields.risk}</h3>${paragraphs(p.risk)}` : ""}${
      p.cost ? html`<h3>${t.fields.cost}</h3>${paragraphs(p.cost)}` : ""
    }`)
  : ""}
${p.contacts.length > 0
  ? section("kontakt", t.project.contacts, html`<ul class="contacts">${p.contacts.map(
      (c) => html`<li><strong>${c.name}</strong>${c.role ? html`, ${c.role}` : ""}${c.email ? html`<br><a href="mailto:${c.email}">${c.email}</a>` : ""}</li>`,
    )}</ul>`)
  : ""}
${imitation && p.published ? imitatedBySection(imitation.adopters) : ""}
${imitation ? evidenceSection(imitation.adopters) : ""}
${imitation ? lineageSection(imitation.lineage, p) : ""}
${history ? historyTable(history) : ""}
</article>`;
  return layout({
    ...chrome,
    title: p.title,
    description: p.summary.slice(0, 300),
    current: "projects",
    head: safeHttpUrl(p.url) ? html`<link rel="canonical" href="${p.url}">` : undefined,
    body,
  });
}
