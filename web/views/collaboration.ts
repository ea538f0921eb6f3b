import { csrfField, errorSummary, notice, textArea, textField, type FormErrors } from "../components/form-fields.ts";
import { formatDateTime, isoDate } from "../format.ts";
import { html, type Html } from "../../core/html.ts";
import { layout } from "../layout.ts";
import { t } from "../texts.ts";
import type { Chrome } from "./chrome.ts";

export interface CollaborationFormProps {
  readonly chrome: Chrome & { csrf: string };
  readonly project: { url: string; title: string; municipalityName: string };
  readonly values?: Record<string, string>;
  readonly errors?: FormErrors;
}

const labels: Record<string, string> = {
  message: t.imitation.message,
  contactName: t.imitation.contactName,
  contactEmail: t.imitation.contactEmail,
};

export function collaborationFormPage({ chrome, project, values = {}, errors }: CollaborationFormProps): Html {
  return layout({
    ...chrome,
    title: t.imitation.collaborateTitle,
    body: html`<h1>${t.imitation.collaborateTitle}</h1>
<p class="lead">${project.title} – ${project.municipalityName}</p>
<p>${t.imitation.collaborateIntro}</p>
${errorSummary(errors, (f) => labels[f] ?? f)}
<form method="post" action="/admin/samarbeid/ny" novalidate>
${csrfField(chrome.csrf)}
<input type="hidden" name="project" value="${project.url}">
${textArea({ name: "message", label: t.imitation.message, value: values.message, errors, required: true, rows: 5, maxlength: 2000 })}
${textField({ name: "contactName", label: t.imitation.contactName, value: values.contactName, errors, required: true, autocomplete: "name" })}
${textField({ name: "contactEmail", label: t.imitation.contactEmail, value: values.contactEmail, errors, required: true, type: "email", autocomplete: "email" })}
<p><button type="submit" class="button">${t.imitation.send}</button></p>
</form>`,
  });
}

/** A request to collaborate on a project, sent or received. */
export interface CollaborationRequestView {
  readonly id: string;
  readonly projectTitle: string;
  readonly fromMunicipalityName: string;
  readonly message: string;
  readonly contactName: string;
  readonly contactEmail: string;
  readonly status: "pending" | "accepted" | "declined";
  readonly createdAt: Date;
}

export interface CollaborationListProps {
  readonly chrome: Chrome & { csrf: string };
  readonly incoming: readonly CollaborationRequestView[];
  readonly outgoing: readonly CollaborationRequestView[];
  readonly message?: string;
}

function requestRow(r: CollaborationRequestView, csrf: string, answerable: boolean): Html {
  return html`<li class="request">
<p><strong>${r.projectTitle}</strong> – ${r.fromMunicipalityName}, <time datetime="${isoDate(r.createdAt)}">${formatDateTime(r.createdAt)}</time></p>
<blockquote>${r.message}</blockquote>
<p>${r.contactName}, <a href="mailto:${r.contactEmail}">${r.contactEmail}</a></p>
<p><strong>${t.imitation.status[r.status]}</strong></p>
${answerable && r.status === "pending"
  ? html`<div class="actions">
<form method="post" action="/admin/samarbeid/${r.id}/godta" class="inline-form">${csrfField(csrf)}<button type="submit" class="button button-small">${t.imitation.accept}<span class="visually-hidden">: ${r.fromMunicipalityName}</span></button></form>
<form method="post" action="/admin/samarbeid/${r.id}/avsla" class="inline-form">${csrfField(csrf)}<button type="submit" class="button button-secondary button-small">${t.imitation.decline}<span class="visually-hidden">: ${r.fromMunicipalityName}</span></button></form>
</div>`
  : ""}
</li>`;
}

export function collaborationListPage({ chrome, incoming, outgoing, message }: CollaborationListProps): Html {
  const list = (items: CollaborationListProps["incoming"], answerable: boolean) =>
    items.length === 0 ? html`<p>${t.imitation.none}</p>` : html`<ul class="requests">${items.map((r) => requestRow(r, chrome.csrf, answerable))}</ul>`;
  return layout({
    ...chrome,
    title: t.imitation.requests,
    current: "collaboration",
    body: html`<h1>${t.imitation.requests}</h1>
<p>${t.imitation.requestsIntro}</p>
${notice(message)}
<h2>${t.imitation.incoming}</h2>
${list(incoming, true)}
<h2>${t.imitation.outgoing}</h2>
${list(outgoing, false)}`,
  });
}
