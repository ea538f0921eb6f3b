import type { StrategicArea } from "../../core/municipality.ts";
import { limits, type Project } from "../../core/project.ts";
import {
  benefitKinds,
  fundingSources,
  innovationTypes,
  methods,
  municipalRoles,
  n3Stages,
  partnerTypes,
  phases,
  scales,
  serviceAreas,
  type Term,
} from "../../core/taxonomies.ts";
import type { ProjectFormValues } from "../form-values.ts";
import {
  checkbox,
  checkboxGroup,
  csrfField,
  errorSummary,
  hasErrors,
  notice,
  selectField,
  textArea,
  textField,
  type FormErrors,
} from "../components/form-fields.ts";
import { projectPath } from "../../core/urls.ts";
import { safeHttpUrl } from "../format.ts";
import { html, type Html } from "../../core/html.ts";
import { layout } from "../layout.ts";
import { t } from "../texts.ts";
import type { Chrome } from "./chrome.ts";
import { fieldLabel } from "./project-page.ts";

export interface ProjectFormProps {
  readonly chrome: Chrome & { readonly csrf: string };
  readonly values: ProjectFormValues;
  readonly errors?: FormErrors;
  readonly strategicAreas: readonly StrategicArea[];
  /** The project being edited; undefined for a new one. */
  readonly project?: Project;
  readonly notice?: string;
  /** Slot: the section for pictures, documents and video links (its own forms, after this one). */
  readonly media?: Html;
}

const extraRows = 3;

/**
 * Filled rows plus a few empty ones, so no JavaScript is needed to add more.
 * Trailing blank rows of a returned form are not counted, so the form does not grow on every error.
 */
function rowsToShow<R extends Record<string, string>>(rows: readonly R[], empty: R): R[] {
  let filled = rows.length;
  while (filled > 0 && Object.values(rows[filled - 1]).every((v) => v.trim() === "")) filled--;
  const n = Math.min(limits.listItems, filled + extraRows);
  return Array.from({ length: n }, (_, i) => rows[i] ?? empty);
}

const rowLabels: Record<string, string> = {
  kind: t.fields.benefitKind,
  description: t.fields.benefitDescription,
  type: t.fields.partnerType,
  name: t.fields.partnerName,
  role: t.fields.contactRole,
  email: t.fields.contactEmail,
};

/** Label of a field path for the error summary: "Planlagte gevinster 2, Beskrivelse av gevinsten". */
export function projectFieldLabel(path: string): string {
  const [field, index, sub] = path.split(".");
  if (index === undefined || sub === undefined) return fieldLabel(field);
  const subLabel = field === "contacts" && sub === "name" ? t.fields.contactName : (rowLabels[sub] ?? sub);
  return `${fieldLabel(field)} ${Number(index) + 1}, ${subLabel.toLowerCase()}`;
}

function section(id: string, title: string, content: Html): Html {
  return html`<section class="form-section" aria-labelledby="${id}"><h2 id="${id}">${title}</h2>${content}</section>`;
}

function benefitRows(list: "plannedBenefits" | "realisedBenefits", values: ProjectFormValues, errors?: FormErrors): Html {
  return html`<h3>${fieldLabel(list)}</h3>
${rowsToShow(values[list], { kind: "", description: "" }).map(
  (row, i) => html`<fieldset class="row">
<legend>${t.staff.row(list === "plannedBenefits" ? t.staff.rows.plannedBenefit : t.staff.rows.realisedBenefit, i + 1)}</legend>
${selectField({ name: `${list}.${i}.kind`, label: t.fields.benefitKind, value: row.kind, options: benefitKinds, empty: t.form.choose, errors, plain: true })}
${textField({ name: `${list}.${i}.description`, label: t.fields.benefitDescription, value: row.description, errors, maxlength: 2_000, plain: true })}
</fieldset>`,
)}`;
}

function partnerRows(values: ProjectFormValues, errors?: FormErrors): Html {
  return html`${rowsToShow(values.partners, { type: "", name: "" }).map(
    (row, i) => html`<fieldset class="row">
<legend>${t.staff.row(t.staff.rows.partner, i + 1)}</legend>
${selectField({ name: `partners.${i}.type`, label: t.fields.partnerType, value: row.type, options: partnerTypes, empty: t.form.choose, errors, plain: true })}
${textField({ name: `partners.${i}.name`, label: t.fields.partnerName, value: row.name, errors, maxlength: limits.name, plain: true })}
</fieldset>`,
  )}`;
}

function contactRows(values: ProjectFormValues, errors?: FormErrors): Html {
  return html`${rowsToShow(values.contacts, { name: "", role: "", email: "" }).map(
    (row, i) => html`<fieldset class="row row-3">
<legend>${t.staff.row(t.staff.rows.contact, i + 1)}</legend>
${textField({ name: `contacts.${i}.name`, label: t.fields.contactName, value: row.name, errors, maxlength: limits.name, autocomplete: "off", plain: true })}
${textField({ name: `contacts.${i}.role`, label: t.fields.contactRole, value: row.role, errors, maxlength: limits.name, plain: true })}
${textField({ name: `contacts.${i}.email`, label: t.fields.contactEmail, value: row.email, errors, type: "email", autocomplete: "off", plain: true })}
</fieldset>`,
  )}`;
}

function statusBox(project: Project, csrf: string): Html {
  const id = project.id;
  return html`<div class="status-box">
<p>${t.staff.status}: <strong>${project.published ? t.staff.statusPublished : t.staff.statusDraft}</strong>${
    project.published ? html` · <a href="${projectPath(project)}">${t.staff.view}</a>` : html` · <a href="${projectPath(project)}">${t.staff.preview}</a>`
  }</p>
<form method="post" action="/admin/prosjekter/${id}/${project.published ? "avpubliser" : "publiser"}" class="inline-form">
${csrfField(csrf)}<button type="submit"${project.published ? html` class="button-secondary"` : ""}>${project.published ? t.staff.unpublish : t.staff.publish}</button>
</form>
<a class="danger-link" href="/admin/prosjekter/${id}/slett">${t.staff.delete}</a>
</div>`;
}

export function projectFormPage({ chrome, values, errors, strategicAreas, project, notice: message, media }: ProjectFormProps): Html {
  const title = project ? t.staff.editTitle(project.title) : t.staff.newTitle;
  const action = project ? `/admin/prosjekter/${project.id}/rediger` : "/admin/prosjekter/ny";
  const areaTerms: Term[] = strategicAreas.map((a) => ({ slug: a.slug, label: a.label }));
  const e = errors;
  const form = html`<form method="post" action="${action}" class="project-form" novalidate>
${csrfField(chrome.csrf)}
${project?.imitationOf
  ? section("tilpasning", t.staff.sections.adaptation, html`
${safeHttpUrl(project.imitationOf) ? html`<p><a href="${safeHttpUrl(project.imitationOf)}">${t.project.original}</a></p>` : ""}
${textArea({ name: "adaptation", label: t.fields.adaptation, value: values.adaptation, errors: e, hint: t.staff.hints.adaptation })}`)
  : html`<input type="hidden" name="adaptation" value="${values.adaptation}">`}
${section("grunnleggende", t.staff.sections.basics, html`
${textField({ name: "title", label: t.fields.title, value: values.title, errors: e, required: true, maxlength: limits.title })}
${textArea({ name: "summary", label: t.fields.summary, value: values.summary, errors: e, required: true, rows: 3, hint: t.staff.hints.summary })}
${selectField({ name: "phase", label: t.fields.phase, value: values.phase || "forstaelse", options: phases, errors: e, required: true })}
${textArea({ name: "description", label: t.fields.description, value: values.description, errors: e, rows: 10, hint: t.form.markdownHint })}
`)}
${section("floke-behov", t.staff.sections.problem, html`
${textArea({ name: "floke", label: t.fields.floke, value: values.floke, errors: e, hint: t.staff.hints.floke })}
${textArea({ name: "behov", label: t.fields.behov, value: values.behov, errors: e, hint: t.staff.hints.behov })}
`)}
${section("klassifisering", t.staff.sections.classification, html`
${selectField({ name: "n3Stage", label: t.fields.n3Stage, value: values.n3Stage, options: n3Stages, empty: t.form.none, errors: e })}
${selectField({ name: "scale", label: t.fields.scale, value: values.scale, options: scales, empty: t.form.none, errors: e })}
${checkboxGroup({ name: "innovationTypes", label: t.fields.innovationTypes, values: values.innovationTypes, options: innovationTypes, errors: e })}
${checkboxGroup({ name: "serviceAreas", label: t.fields.serviceAreas, values: values.serviceAreas, options: serviceAreas, errors: e })}
${areaTerms.length > 0 ? checkboxGroup({ name: "strategicAreas", label: t.fields.strategicAreas, values: values.strategicAreas, options: areaTerms, errors: e }) : ""}
${checkboxGroup({ name: "municipalRoles", label: t.fields.municipalRoles, values: values.municipalRoles, options: municipalRoles, errors: e })}
${checkboxGroup({ name: "methods", label: t.fields.methods, values: values.methods, options: methods, errors: e })}
`)}
${section("gevinster", t.staff.sections.benefits, html`<p class="hint">${t.form.rowsHint}</p>
${benefitRows("plannedBenefits", values, e)}
${benefitRows("realisedBenefits", values, e)}
`)}
${section("samarbeid", t.staff.sections.partners, html`
${checkbox({ name: "seekingPartners", label: t.staff.seekingPartnersLabel, checked: values.seekingPartners, errors: e })}
<h3>${t.fields.partners}</h3>
<p class="hint">${t.form.rowsHint}</p>
${partnerRows(values, e)}
${checkboxGroup({ name: "funding", label: t.fields.funding, values: values.funding, options: fundingSources, errors: e })}
`)}
${section("kontakter", t.staff.sections.contacts, html`<p class="hint">${t.form.rowsHint}</p>${contactRows(values, e)}`)}
${section("laering", t.staff.sections.lessons, html`
${textArea({ name: "lessons", label: t.fields.lessons, value: values.lessons, errors: e, hint: t.staff.hints.lessons })}
${textArea({ name: "lessonsFailed", label: t.fields.lessonsFailed, value: values.lessonsFailed, errors: e, hint: t.staff.hints.lessonsFailed })}
${textArea({ name: "risk", label: t.fields.risk, value: values.risk, errors: e, hint: t.staff.hints.risk })}
${textArea({ name: "cost", label: t.fields.cost, value: values.cost, errors: e, rows: 2 })}
`)}
${section("periode", t.staff.sections.period, html`<div class="two-columns">
${textField({ name: "startDate", label: t.fields.startDate, value: values.startDate, type: "date", errors: e, hint: t.form.dateHint })}
${textField({ name: "endDate", label: t.fields.endDate, value: values.endDate, type: "date", errors: e, hint: t.form.dateHint })}
</div>`)}
<div class="actions form-actions">
${project
  ? html`<button type="submit">${t.form.save}</button>`
  : html`<button type="submit" name="publish" value="false" class="button-secondary">${t.staff.saveDraft}</button>
<button type="submit" name="publish" value="true">${t.staff.saveAndPublish}</button>`}
<a href="/admin/prosjekter">${t.form.cancel}</a>
</div>
</form>`;
  return layout({
    ...chrome,
    title: errors && Object.keys(errors).length > 0 ? t.form.titleWithErrors(title) : title,
    current: project ? "mine" : "new",
    focusErrors: hasErrors(errors),
    body: html`<h1>${title}</h1>
${notice(message)}
${errorSummary(errors, projectFieldLabel)}
${project ? statusBox(project, chrome.csrf) : ""}
${form}
${media ?? ""}`,
  });
}
