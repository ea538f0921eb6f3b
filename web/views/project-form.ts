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
import { formTexts } from "../project-form-texts.ts";

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

/** Empty rows shown after the filled ones; the script adds more on request, and each save adds one. */
const extraRows = 1;

/**
 * Filled rows plus an empty one, so no JavaScript is needed to add more.
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

/** What one row of each list is called: "Kontaktperson 3", as its legend on the page says. */
const rowNames: Record<string, string> = {
  plannedBenefits: t.staff.rows.plannedBenefit,
  realisedBenefits: t.staff.rows.realisedBenefit,
  partners: t.staff.rows.partner,
  contacts: t.staff.rows.contact,
};

/** Label of a field path for the error summary: "Kontaktperson 1, navn", "Planlagt gevinst 2, beskrivelse av gevinsten". */
export function projectFieldLabel(path: string): string {
  const [field, index, sub] = path.split(".");
  if (field === "adaptation") return formTexts.adaptationShort;
  if (index === undefined || sub === undefined) return fieldLabel(field);
  const subLabel = field === "contacts" && sub === "name" ? t.fields.contactName : (rowLabels[sub] ?? sub);
  return `${t.staff.row(rowNames[field] ?? fieldLabel(field), Number(index) + 1)}, ${subLabel.toLowerCase()}`;
}

type ValueKey = keyof ProjectFormValues;

/** A part of the form: its heading, its fields (for the progress shown in the contents list) and its content. */
interface FormSection {
  readonly id: string;
  readonly title: string;
  readonly fields: readonly ValueKey[];
  readonly content: Html;
}

function isFilled(values: ProjectFormValues, key: ValueKey): boolean {
  const v = values[key];
  if (typeof v === "string") return v.trim() !== "";
  if (typeof v === "boolean") return v;
  return v.some((x) => typeof x === "string" || Object.values(x).some((s) => s.trim() !== ""));
}

function filledCount(values: ProjectFormValues, fields: readonly ValueKey[]): number {
  return fields.filter((f) => isFilled(values, f)).length;
}

function sectionHtml(s: FormSection): Html {
  return html`<section class="form-section" id="${s.id}" aria-labelledby="${s.id}-tittel" data-fields="${s.fields.join(" ")}"><h2 id="${s.id}-tittel">${s.title}</h2>${s.content}</section>`;
}

/** The contents list: a jump link to each part and how much of it is filled in. */
function contentsList(sections: readonly FormSection[], values: ProjectFormValues): Html {
  const total = sections.reduce((n, s) => n + s.fields.length, 0);
  const filled = sections.reduce((n, s) => n + filledCount(values, s.fields), 0);
  return html`<nav class="form-contents" aria-labelledby="skjemadeler">
<h2 id="skjemadeler">${formTexts.contents}</h2>
<p class="form-progress" data-progress>${formTexts.progress(filled, total)}</p>
<ol>${sections.map((s) => {
    const n = filledCount(values, s.fields);
    const state = n === s.fields.length ? "full" : n === 0 ? "empty" : "partial";
    return html`<li><a href="#${s.id}">${s.title}</a> <span class="section-state" data-state-for="${s.id}" data-state="${state}"><span aria-hidden="true">${formTexts.sectionState(n, s.fields.length)}</span><span class="visually-hidden">${formTexts.sectionStateLabel(n, s.fields.length)}</span></span></li>`;
  })}</ol>
</nav>`;
}

function termList(terms: readonly Term[]): Html {
  return html`<dl class="term-list">${terms.filter((x) => x.description).map((x) => html`<dt>${x.label}</dt><dd>${x.description}</dd>`)}</dl>`;
}

function moreHelp(summary: string, content: Html): Html {
  return html`<details class="more-help"><summary>${summary}</summary>${content}</details>`;
}

function benefitRows(list: "plannedBenefits" | "realisedBenefits", values: ProjectFormValues, errors?: FormErrors): Html {
  return html`<div class="rows" data-rows="${list}" data-add-label="${formTexts.addRow(rowNames[list])}">
<h3>${fieldLabel(list)}</h3>
${rowsToShow(values[list], { kind: "", description: "" }).map(
  (row, i) => html`<fieldset class="row">
<legend>${t.staff.row(rowNames[list], i + 1)}</legend>
${selectField({ name: `${list}.${i}.kind`, label: t.fields.benefitKind, value: row.kind, options: benefitKinds, empty: t.form.choose, errors, plain: true })}
${textField({ name: `${list}.${i}.description`, label: t.fields.benefitDescription, value: row.description, errors, maxlength: 2_000, plain: true })}
</fieldset>`,
)}</div>`;
}

function partnerRows(values: ProjectFormValues, errors?: FormErrors): Html {
  return html`<div class="rows" data-rows="partners" data-add-label="${formTexts.addRow(rowNames.partners)}">
<h3>${t.fields.partners}</h3>
${rowsToShow(values.partners, { type: "", name: "" }).map(
    (row, i) => html`<fieldset class="row">
<legend>${t.staff.row(rowNames.partners, i + 1)}</legend>
${selectField({ name: `partners.${i}.type`, label: t.fields.partnerType, value: row.type, options: partnerTypes, empty: t.form.choose, errors, plain: true })}
${textField({ name: `partners.${i}.name`, label: t.fields.partnerName, value: row.name, errors, maxlength: limits.name, plain: true })}
</fieldset>`,
  )}</div>`;
}

function contactRows(values: ProjectFormValues, errors?: FormErrors): Html {
  return html`<div class="rows" data-rows="contacts" data-add-label="${formTexts.addRow(rowNames.contacts)}">
${rowsToShow(values.contacts, { name: "", role: "", email: "" }).map(
    (row, i) => html`<fieldset class="row row-3">
<legend>${t.staff.row(rowNames.contacts, i + 1)}</legend>
${textField({ name: `contacts.${i}.name`, label: t.fields.contactName, value: row.name, errors, maxlength: limits.name, autocomplete: "off", plain: true })}
${textField({ name: `contacts.${i}.role`, label: t.fields.contactRole, value: row.role, errors, maxlength: limits.name, plain: true })}
${textField({ name: `contacts.${i}.email`, label: t.fields.contactEmail, value: row.email, errors, type: "email", autocomplete: "off", plain: true })}
</fieldset>`,
  )}</div>`;
}

/** Where the project stands, with a link to see it; publishing and saving are in the action bar of the form. */
function statusBox(project: Project): Html {
  return html`<div class="status-box">
<p>${t.staff.status}: <strong>${project.published ? t.staff.statusPublished : t.staff.statusDraft}</strong> · <a href="${projectPath(project)}">${
    project.published ? t.staff.view : t.staff.preview
  }</a></p>
<a class="danger-link" href="/admin/prosjekter/${project.id}/slett">${t.staff.delete}</a>
</div>`;
}

/**
 * The one action bar of the form: every button sends the form as it is, so
 * nothing typed is left behind. Publiser saves and publishes in one step.
 */
function actionBar(project: Project | undefined): Html {
  const buttons = !project
    ? html`<button type="submit" name="handling" value="lagre" class="button-secondary">${formTexts.saveDraft}</button>
<button type="submit" name="handling" value="publiser">${formTexts.saveAndPublish}</button>`
    : project.published
      ? html`<button type="submit" name="handling" value="lagre">${formTexts.save}</button>
<button type="submit" name="handling" value="avpubliser" class="button-secondary">${formTexts.unpublish}</button>`
      : html`<button type="submit" name="handling" value="lagre" class="button-secondary">${formTexts.save}</button>
<button type="submit" name="handling" value="publiser">${formTexts.publish}</button>`;
  return html`<div class="action-bar" role="group" aria-label="${formTexts.actions}">
<p class="unsaved" data-unsaved-note hidden>${formTexts.unsaved}</p>
${buttons}
</div>`;
}

export function projectFormPage({ chrome, values, errors, strategicAreas, project, notice: message, media }: ProjectFormProps): Html {
  const title = project ? t.staff.editTitle(project.title) : t.staff.newTitle;
  const action = project ? `/admin/prosjekter/${project.id}/rediger` : "/admin/prosjekter/ny";
  const areaTerms: Term[] = strategicAreas.map((a) => ({ slug: a.slug, label: a.label }));
  const e = errors;
  const required = formTexts.requiredMark;
  const imitation = Boolean(project?.imitationOf);
  const sections: FormSection[] = [];
  if (project?.imitationOf) {
    const original = safeHttpUrl(project.imitationOf);
    sections.push({
      id: "tilpasning",
      title: t.staff.sections.adaptation,
      fields: ["adaptation"],
      content: html`${original ? html`<p><a href="${original}">${t.project.original}</a></p>` : ""}
${textArea({ name: "adaptation", label: t.fields.adaptation, value: values.adaptation, errors: e, hint: formTexts.help.adaptation, marker: formTexts.requiredToPublishMark })}`,
    });
  }
  sections.push(
    {
      id: "grunnleggende",
      title: t.staff.sections.basics,
      fields: ["title", "summary", "phase", "description"],
      content: html`
${textField({ name: "title", label: t.fields.title, value: values.title, errors: e, marker: required, maxlength: limits.title })}
${textArea({ name: "summary", label: t.fields.summary, value: values.summary, errors: e, marker: required, rows: 3, hint: t.staff.hints.summary })}
${selectField({ name: "phase", label: t.fields.phase, value: values.phase || "forstaelse", options: phases, errors: e, marker: required, hint: formTexts.help.phase, help: moreHelp(formTexts.help.phaseMore, termList(phases)) })}
${textArea({ name: "description", label: t.fields.description, value: values.description, errors: e, rows: 8, hint: t.form.markdownHint, plain: true })}`,
    },
    {
      id: "floke-behov",
      title: t.staff.sections.problem,
      fields: ["floke", "behov"],
      content: html`
${textArea({ name: "floke", label: t.fields.floke, value: values.floke, errors: e, hint: t.staff.hints.floke, plain: true })}
${textArea({ name: "behov", label: t.fields.behov, value: values.behov, errors: e, hint: t.staff.hints.behov, plain: true })}`,
    },
    {
      id: "klassifisering",
      title: t.staff.sections.classification,
      fields: ["n3Stage", "scale", "innovationTypes", "serviceAreas", ...(areaTerms.length > 0 ? ["strategicAreas" as const] : []), "municipalRoles", "methods"],
      content: html`
${selectField({ name: "n3Stage", label: t.fields.n3Stage, value: values.n3Stage, options: n3Stages, empty: t.form.none, errors: e, plain: true, hint: formTexts.help.n3Stage, help: moreHelp(formTexts.help.n3More, termList(n3Stages)) })}
${selectField({ name: "scale", label: t.fields.scale, value: values.scale, options: scales, empty: t.form.none, errors: e, plain: true, hint: formTexts.help.scale })}
${checkboxGroup({ name: "innovationTypes", label: t.fields.innovationTypes, values: values.innovationTypes, options: innovationTypes, errors: e, plain: true })}
${checkboxGroup({ name: "serviceAreas", label: t.fields.serviceAreas, values: values.serviceAreas, options: serviceAreas, errors: e, plain: true })}
${areaTerms.length > 0 ? checkboxGroup({ name: "strategicAreas", label: t.fields.strategicAreas, values: values.strategicAreas, options: areaTerms, errors: e, plain: true }) : ""}
${checkboxGroup({ name: "municipalRoles", label: t.fields.municipalRoles, values: values.municipalRoles, options: municipalRoles, errors: e, plain: true })}
${checkboxGroup({ name: "methods", label: t.fields.methods, values: values.methods, options: methods, errors: e, plain: true })}`,
    },
    {
      id: "gevinster",
      title: t.staff.sections.benefits,
      fields: ["plannedBenefits", "realisedBenefits"],
      content: html`<p class="hint" id="gevinster-hjelp">${formTexts.help.benefits}</p>
<p class="hint">${formTexts.rowsHint}</p>
${benefitRows("plannedBenefits", values, e)}
${benefitRows("realisedBenefits", values, e)}`,
    },
    {
      id: "samarbeid",
      title: t.staff.sections.partners,
      fields: ["partners", "funding"],
      content: html`
${checkbox({ name: "seekingPartners", label: t.staff.seekingPartnersLabel, checked: values.seekingPartners, errors: e })}
<p class="hint">${formTexts.rowsHint}</p>
${partnerRows(values, e)}
${checkboxGroup({ name: "funding", label: t.fields.funding, values: values.funding, options: fundingSources, errors: e, plain: true })}`,
    },
    {
      id: "kontakter",
      title: t.staff.sections.contacts,
      fields: ["contacts"],
      content: html`<p class="hint">${formTexts.rowsHint}</p>${contactRows(values, e)}`,
    },
    {
      id: "laering",
      title: t.staff.sections.lessons,
      fields: ["lessons", "lessonsFailed", "risk", "cost"],
      content: html`
${textArea({ name: "lessons", label: t.fields.lessons, value: values.lessons, errors: e, hint: t.staff.hints.lessons, plain: true })}
${textArea({ name: "lessonsFailed", label: t.fields.lessonsFailed, value: values.lessonsFailed, errors: e, hint: t.staff.hints.lessonsFailed, plain: true })}
${textArea({ name: "risk", label: t.fields.risk, value: values.risk, errors: e, hint: t.staff.hints.risk, plain: true })}
${textArea({ name: "cost", label: t.fields.cost, value: values.cost, errors: e, rows: 2, plain: true })}`,
    },
    {
      id: "periode",
      title: t.staff.sections.period,
      fields: ["startDate", "endDate"],
      content: html`<div class="two-columns">
${textField({ name: "startDate", label: t.fields.startDate, value: values.startDate, type: "date", errors: e, hint: t.form.dateHint, plain: true })}
${textField({ name: "endDate", label: t.fields.endDate, value: values.endDate, type: "date", errors: e, hint: t.form.dateHint, plain: true })}
</div>`,
    },
  );
  const refused = hasErrors(errors);
  const form = html`<form method="post" action="${action}" class="project-form" novalidate data-warn-unsaved${refused ? html` data-unsaved="true"` : ""}>
${csrfField(chrome.csrf)}
${imitation ? "" : html`<input type="hidden" name="adaptation" value="${values.adaptation}">`}
${sections.map(sectionHtml)}
${actionBar(project)}
</form>`;
  const cancel = html`<p class="form-cancel"><a href="/admin/prosjekter">${t.form.cancel}</a></p>`;
  return layout({
    ...chrome,
    title: refused ? t.form.titleWithErrors(title) : title,
    current: project ? "mine" : "new",
    focusErrors: true,
    body: html`<h1>${title}</h1>
${notice(message)}
${errorSummary(errors, projectFieldLabel, formTexts.notSaved)}
${project ? statusBox(project) : ""}
<p class="form-intro">${formTexts.requiredIntro}${imitation ? html` ${formTexts.requiredIntroImitation}` : ""}</p>
<div class="form-layout">
${contentsList(sections, values)}
${form}
</div>
${cancel}
${media ?? ""}`,
  });
}
