import { checkbox, csrfField, errorSummary, hasErrors, notice, selectField, textArea, textField, type FormErrors } from "../components/form-fields.ts";
import { formatDate, formatDateTime, isoDate } from "../format.ts";
import { html, trusted, type Html } from "../../core/html.ts";
import { renderMarkdown } from "../../core/markdown.ts";
import { answerStates, ideaLimits, ideaStateLabels, type IdeaMeasureRow, type IdeaState } from "../../core/ideas.ts";
import { serviceAreas } from "../../core/taxonomies.ts";
import { layout } from "../layout.ts";
import { ti } from "../texts-ideas.ts";
import type { Chrome } from "./chrome.ts";
import { tcf } from "../texts-challenges-fed.ts";

const areaLabel = (slug: string | null) => (slug ? (serviceAreas.find((a) => a.slug === slug)?.label ?? slug) : null);

/** An idea as a list shows it. */
export interface IdeaSummary {
  readonly id: string;
  readonly title: string;
  readonly state: IdeaState;
  readonly serviceArea: string | null;
  readonly createdAt: Date;
}

function stateTag(state: IdeaState): Html {
  return html`<span class="tag tag-idea tag-idea-${state}">${ideaStateLabels[state]}</span>`;
}

export function ideaCards(items: readonly IdeaSummary[], level = 2): Html {
  return html`<ul class="cards">${items.map(
    (i) => html`<li class="card"><h${level} class="card-title"><a href="/ideer/${i.id}">${i.title}</a></h${level}>
<p class="card-meta">${stateTag(i.state)} ${areaLabel(i.serviceArea) ?? ""} · <time datetime="${isoDate(i.createdAt)}">${formatDate(i.createdAt)}</time></p></li>`,
  )}</ul>`;
}

export interface IdeaListProps {
  readonly chrome: Chrome;
  readonly ideas: readonly IdeaSummary[];
  readonly challenges: readonly { id: string; title: string }[];
}

export function ideaListPage({ chrome, ideas, challenges }: IdeaListProps): Html {
  return layout({
    ...chrome,
    title: ti.ideas.title,
    current: "ideas",
    body: html`<h1>${ti.ideas.title}</h1>
<p class="lead">${ti.ideas.intro}</p>
<p><a class="button" href="/ideer/ny">${ti.ideas.submit}</a></p>
${challenges.length > 0
  ? html`<section aria-labelledby="konk"><h2 id="konk">${ti.challenges.title}</h2><ul>${challenges.map((c) => html`<li><a href="/konkurranser/${c.id}">${c.title}</a></li>`)}</ul></section>`
  : ""}
<p><a href="/ideer/tall">${ti.ideas.measureLink}</a> · <a href="/konkurranser">${ti.challenges.title}</a></p>
<h2>${ti.ideas.title}</h2>
${ideas.length === 0 ? html`<p>${ti.ideas.none}</p>` : ideaCards(ideas, 3)}`,
  });
}

export interface IdeaFormProps {
  readonly chrome: Chrome & { csrf: string };
  /** Staff submit as themselves: no name or address fields. */
  readonly staff: boolean;
  readonly challenge?: { id: string; title: string };
  readonly values?: Record<string, string>;
  readonly errors?: FormErrors;
}

const formLabels: Record<string, string> = {
  title: ti.ideas.fieldTitle,
  problem: ti.ideas.fieldProblem,
  proposal: ti.ideas.fieldProposal,
  serviceArea: ti.ideas.fieldArea,
  submitterName: ti.ideas.fieldName,
  submitterEmail: ti.ideas.fieldEmail,
  showName: ti.ideas.fieldShowName,
  nettside: ti.ideas.honeypot,
  challenge: ti.ideas.challenge,
};

export function ideaFormPage({ chrome, staff, challenge, values = {}, errors }: IdeaFormProps): Html {
  return layout({
    ...chrome,
    title: hasErrors(errors) ? `Feil: ${ti.ideas.formTitle}` : ti.ideas.formTitle,
    current: "ideas",
    focusErrors: hasErrors(errors),
    body: html`<h1>${ti.ideas.formTitle}</h1>
${challenge ? html`<p class="lead">${ti.ideas.challenge}: <a href="/konkurranser/${challenge.id}">${challenge.title}</a></p>` : ""}
<p>${staff ? ti.ideas.formIntroStaff : ti.ideas.formIntro}</p>
${errorSummary(errors, (f) => formLabels[f] ?? f)}
<form method="post" action="/ideer/ny" novalidate>
${csrfField(chrome.csrf)}
${challenge ? html`<input type="hidden" name="challenge" value="${challenge.id}">` : ""}
${textField({ name: "title", label: ti.ideas.fieldTitle, value: values.title, errors, required: true, maxlength: ideaLimits.title })}
${textArea({ name: "problem", label: ti.ideas.fieldProblem, hint: ti.ideas.fieldProblemHint, value: values.problem, errors, required: true, rows: 5 })}
${textArea({ name: "proposal", label: ti.ideas.fieldProposal, hint: ti.ideas.fieldProposalHint, value: values.proposal, errors, required: true, rows: 7 })}
${selectField({ name: "serviceArea", label: ti.ideas.fieldArea, value: values.serviceArea, options: serviceAreas, empty: ti.ideas.fieldAreaEmpty, errors })}
${staff
  ? checkbox({ name: "showName", label: ti.ideas.fieldShowName, checked: values.showName === "true", errors })
  : html`<fieldset class="form-section"><legend>${ti.ideas.aboutYou}</legend>
<p class="hint">${ti.ideas.aboutYouHint}</p>
${textField({ name: "submitterName", label: ti.ideas.fieldName, value: values.submitterName, errors, autocomplete: "name", maxlength: ideaLimits.name })}
${textField({ name: "submitterEmail", label: ti.ideas.fieldEmail, value: values.submitterEmail, errors, type: "email", autocomplete: "email", maxlength: 254 })}
${checkbox({ name: "showName", label: ti.ideas.fieldShowName, checked: values.showName === "true", errors })}
</fieldset>
<div class="hp" aria-hidden="true"><label for="f-nettside">${ti.ideas.honeypot}</label><input id="f-nettside" name="nettside" type="text" tabindex="-1" autocomplete="off" value=""></div>`}
<p><button type="submit" class="button">${ti.ideas.send}</button></p>
</form>`,
  });
}

export function ideaThanksPage({ chrome, withMail }: { chrome: Chrome; withMail: boolean }): Html {
  return layout({
    ...chrome,
    title: ti.ideas.thanksTitle,
    current: "ideas",
    body: html`<h1>${ti.ideas.thanksTitle}</h1>
<div class="notice" role="status"><p>${ti.ideas.thanksPublic}</p>${withMail ? html`<p>${ti.ideas.thanksMail}</p>` : ""}</div>
<p><a href="/ideer">${ti.ideas.title}</a></p>`,
  });
}

export interface IdeaView extends IdeaSummary {
  readonly problem: string;
  readonly proposal: string;
  readonly byline: string;
  readonly moderation: "pending" | "approved" | "rejected" | "spam";
  readonly project?: { title: string; path: string };
  readonly challenge?: { id: string; title: string };
  readonly mergedInto?: { id: string; title: string };
  readonly personalErased: boolean;
  readonly hasContact: boolean;
  readonly history: readonly { state: IdeaState; reason: string; changedAt: Date; project?: { title: string; path: string } }[];
}

export interface IdeaStaffPanel {
  readonly csrf: string;
  readonly values?: Record<string, string>;
  readonly errors?: FormErrors;
  readonly similarIdeas: readonly IdeaSummary[];
  readonly similarProjects: readonly { title: string; path: string; municipality: string }[];
  readonly notice?: string;
}

export interface IdeaPageProps {
  readonly chrome: Chrome;
  readonly idea: IdeaView;
  /** Staff see the answer form, moderation and the search for duplicates. */
  readonly staff?: IdeaStaffPanel;
}

const answerLabels: Record<string, string> = { state: ti.ideas.newState, reason: ti.ideas.reason, projectUrl: ti.ideas.projectUrl, into: ti.ideas.merge };

function staffPanel(idea: IdeaView, p: IdeaStaffPanel): Html {
  const v = p.values ?? {};
  const moderation = idea.moderation === "pending"
    ? html`<section aria-labelledby="moderer" class="form-section"><h2 id="moderer">${ti.ideas.moderate}</h2><div class="actions">
${(["approved", "rejected", "spam"] as const).map((d) => html`<form method="post" action="/admin/ideer/${idea.id}/moderer" class="inline-form">${csrfField(p.csrf)}<input type="hidden" name="decision" value="${d}"><button type="submit" class="button button-small${d === "approved" ? "" : " button-secondary"}">${d === "approved" ? ti.ideas.approve : d === "rejected" ? ti.ideas.reject : ti.ideas.spam}</button></form>`)}
</div></section>`
    : "";
  const answer = idea.moderation === "approved"
    ? html`<section aria-labelledby="svar" class="form-section"><h2 id="svar">${ti.ideas.answer}</h2>
${errorSummary(p.errors, (f) => answerLabels[f] ?? f)}
<form method="post" action="/admin/ideer/${idea.id}/status" novalidate>
${csrfField(p.csrf)}
${selectField({ name: "state", label: ti.ideas.newState, value: v.state, required: true, options: answerStates.map((s) => ({ slug: s, label: ideaStateLabels[s] })), errors: p.errors })}
${textArea({ name: "reason", label: ti.ideas.reason, value: v.reason, required: true, rows: 3, maxlength: ideaLimits.reason, errors: p.errors })}
${textField({ name: "projectUrl", label: ti.ideas.projectUrl, hint: ti.ideas.projectUrlHint, value: v.projectUrl, errors: p.errors })}
<p><button type="submit" class="button">${ti.ideas.saveAnswer}</button></p>
</form>
${idea.project ? "" : html`<form method="post" action="/admin/ideer/${idea.id}/prosjekt">${csrfField(p.csrf)}<p class="hint">${ti.ideas.makeProjectHint}</p><p><button type="submit" class="button button-secondary">${ti.ideas.makeProject}</button></p></form>`}
</section>
<section aria-labelledby="lignende" class="form-section"><h2 id="lignende">${ti.ideas.similarIdeas}</h2>
${p.similarIdeas.length === 0 ? html`<p>${ti.ideas.noSimilar}</p>` : html`<ul>${p.similarIdeas.map((s) => html`<li><a href="/ideer/${s.id}">${s.title}</a> (${ideaStateLabels[s.state]})
<form method="post" action="/admin/ideer/${idea.id}/slaa-sammen" class="inline-form">${csrfField(p.csrf)}<input type="hidden" name="into" value="${s.id}"><button type="submit" class="button-small button-secondary">${ti.ideas.mergeButton}<span class="visually-hidden">: ${s.title}</span></button></form></li>`)}</ul>`}
<h2>${ti.ideas.similarProjects}</h2>
${p.similarProjects.length === 0 ? html`<p>${ti.ideas.noSimilar}</p>` : html`<ul>${p.similarProjects.map((s) => html`<li><a href="${s.path}">${s.title}</a> – ${s.municipality}</li>`)}</ul>`}
</section>`
    : "";
  const erase = idea.hasContact
    ? html`<section aria-labelledby="personvern" class="form-section"><h2 id="personvern">${ti.ideas.erase}</h2><p class="hint">${ti.ideas.eraseHint}</p>
<form method="post" action="/admin/ideer/${idea.id}/slett-personopplysninger">${csrfField(p.csrf)}<button type="submit" class="button button-secondary">${ti.ideas.erase}</button></form></section>`
    : "";
  return html`${notice(p.notice)}${moderation}${answer}${erase}`;
}

export function ideaPage({ chrome, idea, staff }: IdeaPageProps): Html {
  return layout({
    ...chrome,
    title: idea.title,
    current: "ideas",
    focusErrors: hasErrors(staff?.errors),
    body: html`<p class="back-link"><a href="/ideer">${ti.ideas.title}</a></p>
<h1>${idea.title}</h1>
${idea.moderation === "pending" ? html`<p class="notice notice-warning">${ti.ideas.pendingNote}</p>` : ""}
${idea.moderation === "rejected" || idea.moderation === "spam" ? html`<p class="notice notice-warning">${ti.ideas.rejectedNote}</p>` : ""}
${idea.mergedInto ? html`<p class="notice">${ti.ideas.mergedInto} <a href="/ideer/${idea.mergedInto.id}">${idea.mergedInto.title}</a></p>` : ""}
<dl class="idea-facts">
<dt>${ti.ideas.state}</dt><dd>${stateTag(idea.state)}</dd>
${areaLabel(idea.serviceArea) ? html`<dt>${ti.ideas.area}</dt><dd>${areaLabel(idea.serviceArea)}</dd>` : ""}
<dt>${ti.ideas.submitted}</dt><dd><time datetime="${isoDate(idea.createdAt)}">${formatDate(idea.createdAt)}</time></dd>
<dt>${ti.ideas.by}</dt><dd>${idea.byline}</dd>
${idea.challenge ? html`<dt>${ti.ideas.challenge}</dt><dd><a href="/konkurranser/${idea.challenge.id}">${idea.challenge.title}</a></dd>` : ""}
${idea.project ? html`<dt>${ti.ideas.project}</dt><dd><a href="${idea.project.path}">${idea.project.title}</a></dd>` : ""}
</dl>
<h2>${ti.ideas.problem}</h2>
<div class="prose">${trusted(renderMarkdown(idea.problem))}</div>
<h2>${ti.ideas.proposal}</h2>
<div class="prose">${trusted(renderMarkdown(idea.proposal))}</div>
<h2>${ti.ideas.history}</h2>
${idea.history.length === 0
  ? html`<p>${ti.ideas.noHistory}</p>`
  : html`<ol class="idea-history">${idea.history.map((h) => html`<li><p>${stateTag(h.state)} <time datetime="${isoDate(h.changedAt)}">${formatDateTime(h.changedAt)}</time></p>
<p>${h.reason}</p>${h.project ? html`<p><a href="${h.project.path}">${h.project.title}</a></p>` : ""}</li>`)}</ol>`}
${staff ? staffPanel(idea, staff) : ""}`,
  });
}

export interface IdeaMeasureProps {
  readonly chrome: Chrome;
  readonly rows: readonly IdeaMeasureRow[];
  /** On the national instance: whose published counts are added up, and whose could not be read. */
  readonly national?: { read: readonly string[]; unreadable: readonly string[] };
}

const days = (n: number | null) => (n === null ? "–" : String(n).replace(".", ","));

export function ideaMeasurePage({ chrome, rows, national }: IdeaMeasureProps): Html {
  return layout({
    ...chrome,
    title: ti.ideas.measureTitle,
    current: "ideas",
    body: html`<h1>${ti.ideas.measureTitle}</h1>
<p class="lead">${national ? tcf.nationalIntro : ti.ideas.measureIntro}</p>
${national ? html`<p>${tcf.nationalRead(national.read.join(", ") || "–")}</p>${national.unreadable.length ? html`<p>${tcf.nationalUnreadable(national.unreadable.join(", "))}</p>` : ""}` : ""}
${rows.length === 0
  ? html`<p>${ti.ideas.noData}</p>`
  : html`<div class="table-scroll" tabindex="0" role="region" aria-label="${ti.ideas.measureTitle}"><table class="idea-measure">
<caption class="visually-hidden">${ti.ideas.measureTitle}</caption>
<thead><tr><th scope="col">${ti.ideas.period}</th><th scope="col">${ti.ideas.area}</th><th scope="col">${ti.ideas.received}</th><th scope="col">${ti.ideas.answered30}</th><th scope="col">${ti.ideas.becameProjects}</th><th scope="col">${ti.ideas.putToUse}</th><th scope="col">${ti.ideas.share}</th><th scope="col">${ti.ideas.daysToAnswer}</th><th scope="col">${ti.ideas.daysToProject}</th><th scope="col">${ti.ideas.daysToUse}</th></tr></thead>
<tbody>${rows.map((r) => html`<tr data-period="${r.period}" data-area="${r.serviceArea ?? ""}"><th scope="row">${r.period}</th><td>${areaLabel(r.serviceArea) ?? ti.ideas.noArea}</td><td data-k="received">${r.received}</td><td data-k="answered">${r.answeredWithin30Days}</td><td data-k="projects">${r.becameProjects}</td><td data-k="inuse">${r.putToUse}</td><td data-k="share">${Math.round(r.shareInUse * 100)} %</td><td>${days(r.medianDaysToAnswer)}</td><td>${days(r.medianDaysToProject)}</td><td>${days(r.medianDaysToUse)}</td></tr>`)}</tbody>
</table></div>`}`,
  });
}

/** The submitter's own erasure, from the link in their e-mail: a confirmation form, then a receipt. */
export function ideaErasePage({ chrome, id, token, done }: { chrome: Chrome & { csrf?: string }; id: string; token?: string; done: boolean }): Html {
  return layout({
    ...chrome,
    title: ti.ideas.eraseMineTitle,
    current: "ideas",
    body: html`<h1>${ti.ideas.eraseMineTitle}</h1>
${done
  ? html`<div class="notice" role="status"><p>${ti.ideas.eraseMineDone}</p></div>`
  : html`<p>${ti.ideas.eraseMineIntro}</p>
<form method="post" action="/ideer/${id}/slett-meg">${csrfField(chrome.csrf ?? "")}<input type="hidden" name="n" value="${token ?? ""}">
<p><button type="submit" class="button">${ti.ideas.eraseMineButton}</button></p></form>`}
<p><a href="/ideer/${id}">${ti.ideas.title}</a></p>`,
  });
}
