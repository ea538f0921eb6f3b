import { checkbox, checkboxGroup, csrfField, errorSummary, hasErrors, notice, selectField, textArea, textField, type FormErrors } from "../components/form-fields.ts";
import { formatDate } from "../format.ts";
import { html, trusted, type Html } from "../../core/html.ts";
import { renderMarkdown } from "../../core/markdown.ts";
import type { ChallengeCriterion } from "../../core/ideas.ts";
import { layout } from "../layout.ts";
import { ti } from "../texts-ideas.ts";
import { tcf } from "../texts-challenges-fed.ts";
import { serviceAreas } from "../../core/taxonomies.ts";
import type { Chrome } from "./chrome.ts";
import { ideaCards, type IdeaSummary } from "./idea-pages.ts";

export type ChallengeStatus = "open" | "closed" | "upcoming";

export interface ChallengeSummary {
  readonly id: string;
  readonly title: string;
  readonly opensAt: Date;
  /** The last day it takes submissions. */
  readonly closesAt: Date;
  readonly status: ChallengeStatus;
}

const statusLabel: Record<ChallengeStatus, string> = { open: ti.challenges.open, closed: ti.challenges.closed, upcoming: ti.challenges.upcoming };

function period(c: ChallengeSummary): string {
  return `${formatDate(c.opensAt)} – ${formatDate(c.closesAt)}`;
}

/** A challenge another municipality opened to others: linked under /konkurranser/ekstern/{id}. */
export interface RemoteChallengeSummary extends ChallengeSummary {
  readonly municipality: string;
}

function remoteCards(list: readonly RemoteChallengeSummary[]): Html {
  return html`<section aria-labelledby="fra-andre"><h2 id="fra-andre">${tcf.fromOthers}</h2>
<ul class="cards">${list.map((c) => html`<li class="card"><h3 class="card-title"><a href="/konkurranser/ekstern/${c.id}">${c.title}</a></h3>
<p class="card-meta"><span class="tag">${statusLabel[c.status]}</span> ${tcf.from(c.municipality)} · ${period(c)}</p></li>`)}</ul></section>`;
}

export function challengeListPage({ chrome, challenges, canCreate, remote = [] }: { chrome: Chrome; challenges: readonly ChallengeSummary[]; canCreate: boolean; remote?: readonly RemoteChallengeSummary[] }): Html {
  return layout({
    ...chrome,
    title: ti.challenges.title,
    current: "ideas",
    body: html`<h1>${ti.challenges.title}</h1>
<p class="lead">${ti.challenges.intro}</p>
${canCreate ? html`<p><a class="button" href="/admin/konkurranser/ny">${ti.challenges.create}</a></p>` : ""}
${challenges.length === 0
  ? html`<p>${ti.challenges.none}</p>`
  : html`<ul class="cards">${challenges.map((c) => html`<li class="card"><h2 class="card-title"><a href="/konkurranser/${c.id}">${c.title}</a></h2>
<p class="card-meta"><span class="tag">${statusLabel[c.status]}</span> ${period(c)}</p></li>`)}</ul>`}
${remote.length > 0 ? remoteCards(remote) : ""}`,
  });
}

export interface ChallengeView extends ChallengeSummary {
  readonly problem: string;
  readonly eligibility: string;
  readonly criteria: readonly ChallengeCriterion[];
  readonly prizes: string;
  readonly scaleMax: number;
  readonly openToOthers: boolean;
  readonly winnersNote: string | null;
  readonly winners: readonly IdeaSummary[];
  readonly submissions: readonly IdeaSummary[];
}

export interface JuryPanel {
  readonly csrf: string;
  /** This juror's scores so far, by idea id. */
  readonly mine: Readonly<Record<string, readonly number[]>>;
  readonly results: readonly { ideaId: string; title: string; perCriterion: readonly (number | null)[]; total: number; jurors: number }[];
  readonly errors?: FormErrors;
  /** The idea whose scoring form came back with errors, and what was typed. */
  readonly failed?: { ideaId: string; values: Record<string, string> };
  readonly notice?: string;
}

function scoreForm(c: ChallengeView, idea: IdeaSummary, jury: JuryPanel): Html {
  const failed = jury.failed?.ideaId === idea.id ? jury.failed : undefined;
  const errors = failed ? jury.errors : undefined;
  const mine = jury.mine[idea.id] ?? [];
  return html`<form method="post" action="/konkurranser/${c.id}/poeng" class="score-form" novalidate>
${csrfField(jury.csrf)}<input type="hidden" name="idea" value="${idea.id}">
<fieldset><legend>${ti.challenges.score}: ${idea.title}</legend>
${c.criteria.map((k, i) => textField({
  name: `score.${i}`,
  id: `score-${idea.id}-${i}`,
  label: `${k.name} (1–${c.scaleMax})`,
  value: failed ? failed.values[`score.${i}`] : mine[i] !== undefined ? String(mine[i]) : "",
  inputmode: "numeric",
  required: true,
  errors,
}))}
<p><button type="submit" class="button button-small">${ti.challenges.saveScore}<span class="visually-hidden">: ${idea.title}</span></button></p>
</fieldset></form>`;
}

function juryPanel(c: ChallengeView, jury: JuryPanel): Html {
  return html`<section aria-labelledby="jury" class="form-section"><h2 id="jury">${ti.challenges.jury}</h2>
${notice(jury.notice)}
${c.status === "open" ? html`<form method="post" action="/konkurranser/${c.id}/steng" novalidate>${csrfField(jury.csrf)}<p class="hint">${tcf.closeHint}</p><p><button type="submit" class="button button-secondary">${tcf.close}</button></p></form>` : ""}
${errorSummary(jury.errors, (f) => f.replace(/^score\.(\d+)$/, (_, i: string) => c.criteria[Number(i)]?.name ?? f))}
${c.winnersNote === null ? c.submissions.map((s) => scoreForm(c, s, jury)) : ""}
<h3>${ti.challenges.results}</h3>
${jury.results.length === 0 ? html`<p>${ti.challenges.noSubmissions}</p>` : html`<div class="table-scroll" tabindex="0" role="region" aria-label="${ti.challenges.results}"><table>
<thead><tr><th scope="col">${ti.ideas.title}</th>${c.criteria.map((k) => html`<th scope="col">${k.name}</th>`)}<th scope="col">${ti.challenges.total}</th><th scope="col">${ti.challenges.jurors}</th></tr></thead>
<tbody>${jury.results.map((r) => html`<tr><th scope="row"><a href="/ideer/${r.ideaId}">${r.title}</a></th>${r.perCriterion.map((v) => html`<td>${v === null ? "–" : String(v).replace(".", ",")}</td>`)}<td>${String(r.total).replace(".", ",")}</td><td>${r.jurors}</td></tr>`)}</tbody></table></div>`}
${c.winnersNote === null && c.submissions.length > 0
  ? html`<h3>${ti.challenges.announce}</h3>
<form method="post" action="/konkurranser/${c.id}/vinnere" novalidate>${csrfField(jury.csrf)}
${checkboxGroup({ name: "winners", label: ti.challenges.winnersField, values: [], options: c.submissions.map((s) => ({ slug: s.id, label: s.title })), required: true, errors: jury.errors })}
${textArea({ name: "note", label: ti.challenges.announceNote, rows: 3, required: true, errors: jury.errors })}
<p><button type="submit" class="button">${ti.challenges.announce}</button></p></form>`
  : ""}
</section>`;
}

export function challengePage({ chrome, challenge: c, jury }: { chrome: Chrome; challenge: ChallengeView; jury?: JuryPanel }): Html {
  return layout({
    ...chrome,
    title: c.title,
    current: "ideas",
    focusErrors: hasErrors(jury?.errors),
    body: html`<p class="back-link"><a href="/konkurranser">${ti.challenges.title}</a></p>
<h1>${c.title}</h1>
<p class="card-meta"><span class="tag">${statusLabel[c.status]}</span>${c.openToOthers ? html` <span class="tag">${tcf.openToOthersTag}</span>` : ""} ${period(c)}</p>
<div class="prose">${trusted(renderMarkdown(c.problem))}</div>
<dl class="idea-facts">
<dt>${ti.challenges.eligibility}</dt><dd>${c.eligibility}</dd>
${c.prizes ? html`<dt>${ti.challenges.prizes}</dt><dd>${c.prizes}</dd>` : ""}
</dl>
<h2>${ti.challenges.criteria}</h2>
<ol>${c.criteria.map((k) => html`<li><strong>${k.name}</strong>${k.description ? html`: ${k.description}` : ""}</li>`)}</ol>
<p>${ti.challenges.scale(c.scaleMax)}</p>
${c.status === "open" ? html`<p><a class="button" href="/ideer/ny?konkurranse=${c.id}">${ti.challenges.submit}</a></p>` : html`<p class="notice">${c.status === "closed" ? ti.challenges.closedRefused : ti.challenges.upcoming}</p>`}
${c.winnersNote !== null
  ? html`<section aria-labelledby="vinnere"><h2 id="vinnere">${ti.challenges.winners}</h2><p>${c.winnersNote}</p>${ideaCards(c.winners, 3)}</section>`
  : ""}
<h2>${ti.challenges.submissions}</h2>
${c.submissions.length === 0 ? html`<p>${ti.challenges.noSubmissions}</p>` : ideaCards(c.submissions, 3)}
${jury ? juryPanel(c, jury) : ""}`,
  });
}

export interface ChallengeFormProps {
  readonly chrome: Chrome & { csrf: string };
  readonly staff: readonly { id: string; name: string }[];
  readonly values?: Record<string, string | string[]>;
  readonly errors?: FormErrors;
}

const criteriaRows = 5;

export function challengeFormPage({ chrome, staff, values = {}, errors }: ChallengeFormProps): Html {
  const v = (k: string) => {
    const x = values[k];
    return Array.isArray(x) ? x[0] : x;
  };
  const jury = values.jury === undefined ? [] : Array.isArray(values.jury) ? values.jury : [values.jury];
  const labels: Record<string, string> = {
    title: ti.challenges.fieldTitle, problem: ti.challenges.fieldProblem, eligibility: ti.challenges.fieldEligibility,
    opensAt: ti.challenges.fieldOpens, closesAt: ti.challenges.fieldCloses, criteria: ti.challenges.fieldCriterion(1),
    prizes: ti.challenges.fieldPrizes, scaleMax: ti.challenges.fieldScale,
  };
  return layout({
    ...chrome,
    title: hasErrors(errors) ? `Feil: ${ti.challenges.create}` : ti.challenges.create,
    current: "ideas",
    focusErrors: hasErrors(errors),
    body: html`<h1>${ti.challenges.create}</h1>
${errorSummary(errors, (f) => labels[f] ?? labels[f.split(".")[0]] ?? f)}
<form method="post" action="/admin/konkurranser/ny" novalidate>${csrfField(chrome.csrf)}
${textField({ name: "title", label: ti.challenges.fieldTitle, value: v("title"), required: true, maxlength: 200, errors })}
${textArea({ name: "problem", label: ti.challenges.fieldProblem, value: v("problem"), required: true, rows: 6, errors })}
${textField({ name: "eligibility", label: ti.challenges.fieldEligibility, hint: ti.challenges.fieldEligibilityHint, value: v("eligibility"), required: true, errors })}
${textField({ name: "opensAt", label: ti.challenges.fieldOpens, type: "date", value: v("opensAt"), required: true, errors })}
${textField({ name: "closesAt", label: ti.challenges.fieldCloses, type: "date", value: v("closesAt"), required: true, errors })}
<fieldset class="form-section"><legend>${ti.challenges.criteria}</legend>
${Array.from({ length: criteriaRows }, (_, i) => html`${textField({ name: `criteria.${i}.name`, label: ti.challenges.fieldCriterion(i + 1), value: v(`criteria.${i}.name`), required: i === 0, errors: i === 0 && errors?.criteria ? { [`criteria.0.name`]: errors.criteria, ...errors } : errors })}
${textField({ name: `criteria.${i}.description`, label: ti.challenges.fieldCriterionDescription(i + 1), value: v(`criteria.${i}.description`), errors })}`)}
</fieldset>
${textField({ name: "scaleMax", label: ti.challenges.fieldScale, value: v("scaleMax") ?? "5", inputmode: "numeric", required: true, errors })}
${textArea({ name: "prizes", label: ti.challenges.fieldPrizes, value: v("prizes"), rows: 2, errors })}
${checkbox({ name: "openToOthers", label: tcf.openToOthers, hint: tcf.openToOthersHint, checked: v("openToOthers") === "true", errors })}
${checkboxGroup({ name: "jury", label: ti.challenges.fieldJury, values: jury, options: staff.map((s) => ({ slug: s.id, label: s.name })), errors })}
<p><button type="submit" class="button">${ti.challenges.createButton}</button></p>
</form>`,
  });
}

export interface RemoteChallengeView extends RemoteChallengeSummary {
  readonly url: string;
  readonly problem: string;
  readonly eligibility: string;
  readonly prizes: string;
  readonly criteria: readonly ChallengeCriterion[];
}

/** Another municipality's challenge; signed-in staff send an idea to it from here (never the public). */
export function remoteChallengePage({ chrome, challenge: c, form, values = {}, errors, sent }: {
  chrome: Chrome;
  challenge: RemoteChallengeView;
  /** The CSRF token when signed-in staff may send an idea. */
  form?: { csrf: string };
  values?: Record<string, string>;
  errors?: FormErrors;
  sent?: boolean;
}): Html {
  const labels: Record<string, string> = { title: ti.ideas.fieldTitle, problem: ti.ideas.fieldProblem, proposal: ti.ideas.fieldProposal, serviceArea: ti.ideas.fieldArea, challenge: ti.challenges.title };
  return layout({
    ...chrome,
    title: hasErrors(errors) ? `Feil: ${c.title}` : c.title,
    current: "ideas",
    focusErrors: hasErrors(errors),
    body: html`<p class="back-link"><a href="/konkurranser">${ti.challenges.title}</a></p>
<h1>${c.title}</h1>
<p class="card-meta"><span class="tag">${statusLabel[c.status]}</span> ${tcf.from(c.municipality)} · ${period(c)}</p>
<div class="prose">${trusted(renderMarkdown(c.problem))}</div>
<dl class="idea-facts">
${c.eligibility ? html`<dt>${ti.challenges.eligibility}</dt><dd>${c.eligibility}</dd>` : ""}
${c.prizes ? html`<dt>${ti.challenges.prizes}</dt><dd>${c.prizes}</dd>` : ""}
</dl>
${c.criteria.length ? html`<h2>${ti.challenges.criteria}</h2><ol>${c.criteria.map((k) => html`<li><strong>${k.name}</strong>${k.description ? html`: ${k.description}` : ""}</li>`)}</ol>` : ""}
<p><a href="${c.url}">${tcf.original}</a></p>
${notice(sent ? tcf.sent : undefined)}
${c.status !== "open"
  ? html`<p class="notice">${c.status === "closed" ? ti.challenges.closedRefused : ti.challenges.upcoming}</p>`
  : form
    ? html`<section aria-labelledby="send" class="form-section"><h2 id="send">${tcf.sendTitle}</h2>
<p>${tcf.sendIntro(c.municipality)}</p>
${errorSummary(errors, (f) => labels[f] ?? f)}
<form method="post" action="/konkurranser/ekstern/${c.id}/forslag" novalidate>${csrfField(form.csrf)}
${textField({ name: "title", label: ti.ideas.fieldTitle, value: values.title, required: true, maxlength: 200, errors })}
${textArea({ name: "problem", label: ti.ideas.fieldProblem, value: values.problem, required: true, rows: 4, errors })}
${textArea({ name: "proposal", label: ti.ideas.fieldProposal, value: values.proposal, required: true, rows: 6, errors })}
${selectField({ name: "serviceArea", label: ti.ideas.fieldArea, value: values.serviceArea, options: serviceAreas, empty: ti.ideas.fieldAreaEmpty, errors })}
<p><button type="submit" class="button">${tcf.sendButton}</button></p>
</form></section>`
    : html`<p>${tcf.signInToSend}</p>`}`,
  });
}
