import { html, type Html } from "../../core/html.ts";
import { t } from "../texts.ts";
import type { Term } from "../../core/taxonomies.ts";

/** Error messages by field path ("title", "plannedBenefits.0.description"). */
export type FormErrors = Record<string, string>;

/** The element id of a field: paths become ids without dots. */
export function fieldId(name: string): string {
  return `f-${name.replace(/[^a-zA-Z0-9_-]/g, "-")}`;
}

interface BaseProps {
  readonly name: string;
  readonly label: string;
  readonly errors?: FormErrors;
  readonly hint?: string;
  readonly required?: boolean;
  /** Links the error summary and field errors to another element (first checkbox of a group). */
  readonly id?: string;
  /** No "(valgfritt)" marker (filters, where every field is optional). */
  readonly plain?: boolean;
  /**
   * The marker in parentheses after the label, in place of "(valgfritt)": a form
   * where most fields are optional marks its required ones instead.
   */
  readonly marker?: string;
  /** More help below the hint, e.g. a <details> that explains a term's options. */
  readonly help?: Html;
}

function describedBy(id: string, hint?: string, error?: string): Html | string {
  const ids = [hint ? `${id}-hint` : "", error ? `${id}-feil` : ""].filter(Boolean).join(" ");
  return ids ? html` aria-describedby="${ids}"` : "";
}

function hintAndError(id: string, hint?: string, error?: string, help?: Html): Html {
  return html`${hint ? html`<p class="hint" id="${id}-hint">${hint}</p>` : ""}${help ?? ""}${error
    ? html`<p class="field-error" id="${id}-feil"><span class="visually-hidden">${t.form.errorPrefix}</span>${error}</p>`
    : ""}`;
}

function labelText(p: BaseProps): Html {
  if (p.marker) return html`${p.label} <span class="marker">(${p.marker})</span>`;
  return html`${p.label}${p.required || p.plain ? "" : html` <span class="optional">(${t.form.optional})</span>`}`;
}

export interface TextFieldProps extends BaseProps {
  readonly value?: string | null;
  readonly type?: "text" | "email" | "password" | "url" | "date" | "search";
  readonly autocomplete?: string;
  readonly maxlength?: number;
  readonly inputmode?: string;
}

export function textField(p: TextFieldProps): Html {
  const id = p.id ?? fieldId(p.name);
  const error = p.errors?.[p.name];
  return html`<div class="field${error ? " has-error" : ""}">
<label for="${id}">${labelText(p)}</label>
${hintAndError(id, p.hint, error, p.help)}
<input id="${id}" name="${p.name}" type="${p.type ?? "text"}" value="${p.value ?? ""}"${p.required ? html` required` : ""}${
    p.autocomplete ? html` autocomplete="${p.autocomplete}"` : ""
  }${p.maxlength ? html` maxlength="${p.maxlength}"` : ""}${p.inputmode ? html` inputmode="${p.inputmode}"` : ""}${
    error ? html` aria-invalid="true"` : ""
  }${describedBy(id, p.hint, error)}>
</div>`;
}

export interface TextAreaProps extends BaseProps {
  readonly value?: string | null;
  readonly rows?: number;
  readonly maxlength?: number;
}

export function textArea(p: TextAreaProps): Html {
  const id = p.id ?? fieldId(p.name);
  const error = p.errors?.[p.name];
  return html`<div class="field${error ? " has-error" : ""}">
<label for="${id}">${labelText(p)}</label>
${hintAndError(id, p.hint, error, p.help)}
<textarea id="${id}" name="${p.name}" rows="${p.rows ?? 4}"${p.required ? html` required` : ""}${
    p.maxlength ? html` maxlength="${p.maxlength}"` : ""
  }${error ? html` aria-invalid="true"` : ""}${describedBy(id, p.hint, error)}>${p.value ?? ""}</textarea>
</div>`;
}

export interface SelectProps extends BaseProps {
  readonly value?: string | null;
  readonly options: readonly Term[];
  /** Label of the empty first option; none when omitted. */
  readonly empty?: string;
}

export function selectField(p: SelectProps): Html {
  const id = p.id ?? fieldId(p.name);
  const error = p.errors?.[p.name];
  return html`<div class="field${error ? " has-error" : ""}">
<label for="${id}">${labelText(p)}</label>
${hintAndError(id, p.hint, error, p.help)}
<select id="${id}" name="${p.name}"${p.required ? html` required` : ""}${error ? html` aria-invalid="true"` : ""}${describedBy(id, p.hint, error)}>
${p.empty !== undefined ? html`<option value="">${p.empty}</option>` : ""}
${p.options.map((o) => html`<option value="${o.slug}"${o.slug === p.value ? html` selected` : ""}>${o.label}</option>`)}
</select>
</div>`;
}

export interface CheckboxGroupProps extends BaseProps {
  readonly values: readonly string[];
  readonly options: readonly Term[];
}

/** Several checkboxes under one legend; errors link to the first box. */
export function checkboxGroup(p: CheckboxGroupProps): Html {
  const id = fieldId(p.name);
  const error = p.errors?.[p.name];
  return html`<fieldset class="field checkboxes${error ? " has-error" : ""}"${describedBy(id, p.hint, error)}>
<legend>${labelText(p)}</legend>
${hintAndError(id, p.hint, error, p.help)}
${p.options.map(
  (o, i) => html`<div class="check"><input type="checkbox" id="${i === 0 ? id : `${id}-${o.slug}`}" name="${p.name}" value="${o.slug}"${
    p.values.includes(o.slug) ? html` checked` : ""
  }><label for="${i === 0 ? id : `${id}-${o.slug}`}">${o.label}</label></div>`,
)}
</fieldset>`;
}

export interface CheckboxProps extends BaseProps {
  readonly checked: boolean;
  readonly value?: string;
}

export function checkbox(p: CheckboxProps): Html {
  const id = p.id ?? fieldId(p.name);
  const error = p.errors?.[p.name];
  return html`<div class="field check${error ? " has-error" : ""}">
${hintAndError(id, p.hint, error, p.help)}
<input type="checkbox" id="${id}" name="${p.name}" value="${p.value ?? "true"}"${p.checked ? html` checked` : ""}${describedBy(id, p.hint, error)}>
<label for="${id}">${p.label}</label>
</div>`;
}

export function csrfField(token: string): Html {
  return html`<input type="hidden" name="_csrf" value="${token}">`;
}

export function hasErrors(errors: FormErrors | undefined): boolean {
  return errors !== undefined && Object.keys(errors).length > 0;
}

/** "Tittel: må fylles ut"; a label that is a question is not followed by a colon ("?:"). */
function summaryLine(label: string, message: string): string {
  return /[?!:.]$/.test(label) ? `${label} – ${message}` : `${label}: ${message}`;
}

/** The box at the top of a form that lists every error and links to its field. */
export function errorSummary(errors: FormErrors | undefined, labels: (field: string) => string, outcome?: string): Html {
  const entries = Object.entries(errors ?? {});
  if (entries.length === 0) return html``;
  return html`<div class="error-summary" role="alert" tabindex="-1" aria-labelledby="feiloppsummering">
<h2 id="feiloppsummering">${t.form.errorSummary}</h2>
${outcome ? html`<p>${outcome}</p>` : ""}
<p>${t.form.errorSummaryIntro}</p>
<ul>${entries.map(([field, message]) => html`<li><a href="#${fieldId(field)}">${summaryLine(labels(field), message)}</a></li>`)}</ul>
</div>`;
}

export function notice(message: string | undefined): Html {
  return message ? html`<p class="notice" role="status">${message}</p>` : html``;
}
