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
import { imitationOriginLabel, type ImitationOriginView } from "../components/imitation-origin.ts";
import { projectPageTexts as pp } from "../page-texts.ts";
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
  /** For an imitation: the original it builds on, named at the top. */
  readonly origin?: ImitationOriginView;
  /**
   * Staff actions: imitate (with the form's CSRF token; offered only on other
   * municipalities' projects) and ask to collaborate.
   */
  readonly actions?: { readonly imitateCsrf?: string; readonly collaborateHref?: string };
  /** Where a visitor follows the owning municipality (its profile, with the feed and fediverse address). */
  readonly followHref?: string;
  /** Slot: pictures, documents and video links, shown after what was done. */
  readonly media?: Html;
  /** Slot: similar projects, shown after the case study. */
  readonly similar?: Html;
  /** Slot: the signed-in staff member's follow button (web/components/follow-button.ts). */
  readonly follow?: Html;
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
  if (benefits.length === 0) return html``;
  return html`<div><h3>${title}</h3><ul class="benefits">${benefits.map((b) => html`<li><strong>${labelOf(benefitKinds, b.kind)}:</strong> ${b.description}</li>`)}</ul></div>`;
}

function section(id: string, title: string, content: Html): Html {
  return html`<section class="project-section" aria-labelledby="${id}"><h2 id="${id}">${title}</h2>${content}</section>`;
}

function sub(title: string, text: string): Html {
  return text ? html`<h3>${title}</h3>${paragraphs(text)}` : html``;
}

function historyTable(history: readonly RevisionView[]): Html {
  return section("historikk", t.project.history, html`<p class="hint">${t.project.historyNote}</p>
<table class="stack-on-phone">
<thead><tr><th scope="col">${t.project.historyWhen}</th><th scope="col">${t.project.historyWho}</th><th scope="col">${t.project.historyWhat}</th><th scope="col">${t.project.changed}</th></tr></thead>
<tbody>${history.map(
  (r) => html`<tr><td data-label="${t.project.historyWhen}" class="nowrap"><time datetime="${isoDate(r.at)}">${formatDateTime(r.at)}</time></td><td data-label="${t.project.historyWho}">${r.actorName}</td><td data-label="${t.project.historyWhat}">${r.action}</td><td data-label="${t.project.changed}">${r.changedFields.map(fieldLabel).join(", ")}</td></tr>`,
)}</tbody>
</table>`);
}

/** What a reader can do: contact, follow, ask to collaborate; staff also edit or imitate. */
function actionBar(p: Project, props: ProjectPageProps): Html {
  const { editHref, actions, followHref } = props;
  const contact = p.contacts.find((c) => c.email) ?? p.contacts[0];
  const items: Html[] = [];
  if (editHref) items.push(html`<li><a class="button" href="${editHref}">${t.project.edit}</a></li>`);
  if (contact) {
    items.push(html`<li><a class="button${editHref ? " button-secondary" : ""}" href="${contact.email ? `mailto:${contact.email}` : "#kontakt"}">${pp.contactPerson(contact.name)}</a></li>`);
  }
  if (followHref) items.push(html`<li><a class="button button-secondary" href="${followHref}">${pp.follow(p.municipality.name)}</a></li>`);
  if (props.follow) items.push(html`<li>${props.follow}</li>`);
  if (actions?.collaborateHref) {
    items.push(html`<li><a class="button button-secondary" href="${actions.collaborateHref}">${t.imitation.collaborate}</a></li>`);
  } else if (p.seekingPartners && !p.local && contact?.email) {
    items.push(html`<li><a class="button button-secondary" href="mailto:${contact.email}">${pp.askToCollaborate}</a></li>`);
  }
  const imitate = actions?.imitateCsrf && p.published && !p.local ? imitateForm(p.url, actions.imitateCsrf) : html``;
  if (items.length === 0 && !imitate.value) return html``;
  return html`<nav class="project-actions" aria-label="${pp.actions}">
${items.length > 0 ? html`<ul class="action-list">${items}</ul>` : ""}
${imitate}
</nav>`;
}

export function projectPage(props: ProjectPageProps): Html {
  const { chrome, project: p, strategicAreas, history, imitation, origin } = props;
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
  const originView: ImitationOriginView | undefined =
    origin ?? (p.imitationOf ? { title: "", municipalityName: "", href: p.imitationOf } : undefined);

  const body = html`${banner}
<article class="project">
<h1>${p.title}</h1>
${originView ? imitationOriginLabel(originView, "imitation-of lead-note") : ""}
<p class="lead">${p.summary}</p>
${actionBar(p, props)}
${p.floke || p.behov ? section("utfordring", pp.problem, html`${sub(t.fields.floke, p.floke)}${sub(t.fields.behov, p.behov)}`) : ""}
${p.descriptionHtml || p.adaptation
  ? section("gjort", pp.done, html`${p.descriptionHtml ? html`<div class="prose">${trusted(p.descriptionHtml)}</div>` : ""}${
      p.adaptation ? html`<h3>${t.staff.sections.adaptation}</h3>${paragraphs(p.adaptation)}` : ""
    }`)
  : ""}
${props.media ?? ""}
${p.plannedBenefits.length > 0 || p.realisedBenefits.length > 0
  ? section("resultater", pp.results, html`<div class="two-columns">${benefitList(t.project.realised, p.realisedBenefits)}${benefitList(t.project.planned, p.plannedBenefits)}</div>`)
  : ""}
${p.lessons || p.lessonsFailed ? section("erfaringer", pp.lessons, html`${sub(t.fields.lessons, p.lessons)}${sub(t.fields.lessonsFailed, p.lessonsFailed)}`) : ""}
${section("fakta", pp.facts, html`<dl class="facts">
${fact(t.project.municipality, municipality)}
${fact(t.fields.phase, labelOf(phases, p.phase))}
${fact(t.project.imitationOf, originView && html`${originView.title ? `«${originView.title}»` : pp.original}${originView.municipalityName ? `, ${originView.municipalityName}` : ""}`)}
${fact(t.fields.n3Stage, p.n3Stage && labelOf(n3Stages, p.n3Stage))}
${fact(t.fields.scale, p.scale && labelOf(scales, p.scale))}
${fact(t.fields.innovationTypes, labels(innovationTypes, p.innovationTypes))}
${fact(t.fields.serviceAreas, labels(serviceAreas, p.serviceAreas))}
${fact(t.fields.strategicAreas, labels(areaTerms, p.strategicAreas))}
${fact(t.fields.municipalRoles, labels(municipalRoles, p.municipalRoles))}
${fact(t.fields.methods, labels(methods, p.methods))}
${fact(t.fields.funding, labels(fundingSources, p.funding))}
${fact(t.project.period, period(p))}
${fact(t.fields.seekingPartners, p.seekingPartners && t.project.yes)}
${fact(t.project.published, p.publishedAt && html`<time datetime="${isoDate(p.publishedAt)}">${formatDate(p.publishedAt)}</time>`)}
${fact(t.project.updated, html`<time datetime="${isoDate(p.updatedAt)}">${formatDate(p.updatedAt)}</time>`)}
</dl>`)}
${p.partners.length > 0
  ? section("partnere", t.project.partners, html`<ul>${p.partners.map((x) => html`<li>${x.name} <span class="muted">(${labelOf(partnerTypes, x.type)})</span></li>`)}</ul>`)
  : ""}
${p.risk || p.cost ? section("risiko", t.project.riskCost, html`${sub(t.fields.risk, p.risk)}${sub(t.fields.cost, p.cost)}`) : ""}
${p.contacts.length > 0
  ? section("kontakt", t.project.contacts, html`<ul class="contacts">${p.contacts.map(
      (c) => html`<li><strong>${c.name}</strong>${c.role ? html`, ${c.role}` : ""}${c.email ? html`<br><a href="mailto:${c.email}">${c.email}</a>` : ""}</li>`,
    )}</ul>`)
  : ""}
${imitation && p.published ? imitatedBySection(imitation.adopters) : ""}
${imitation ? evidenceSection(imitation.adopters) : ""}
${imitation ? lineageSection(imitation.lineage, p) : ""}
${props.similar ?? ""}
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
