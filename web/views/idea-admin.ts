import { csrfField, errorSummary, notice, textField, type FormErrors } from "../components/form-fields.ts";
import { formatDateTime, isoDate } from "../format.ts";
import { html, type Html } from "../../core/html.ts";
import { layout } from "../layout.ts";
import { ti } from "../texts-ideas.ts";
import type { Chrome } from "./chrome.ts";

export interface QueuedIdea {
  readonly id: string;
  readonly title: string;
  readonly problem: string;
  readonly createdAt: Date;
}

export interface IdeaQueueProps {
  readonly chrome: Chrome & { csrf: string };
  readonly pending: readonly QueuedIdea[];
  /** Only administrators set the retention period. */
  readonly retention?: { days: string; errors?: FormErrors };
  readonly notice?: string;
}

/** Staff: public submissions waiting for moderation, and (administrators) the retention period. */
export function ideaQueuePage({ chrome, pending, retention, notice: message }: IdeaQueueProps): Html {
  return layout({
    ...chrome,
    title: ti.ideas.queueTitle,
    current: "ideas",
    body: html`<h1>${ti.ideas.queueTitle}</h1>
${notice(message)}
<p>${ti.ideas.queueIntro}</p>
${pending.length === 0
  ? html`<p>${ti.ideas.queueNone}</p>`
  : html`<ul class="requests">${pending.map((i) => html`<li class="request"><h2 class="card-title"><a href="/ideer/${i.id}">${i.title}</a></h2>
<p class="card-meta"><time datetime="${isoDate(i.createdAt)}">${formatDateTime(i.createdAt)}</time></p>
<blockquote>${i.problem.length > 400 ? `${i.problem.slice(0, 400)}…` : i.problem}</blockquote>
<div class="actions">${(["approved", "rejected", "spam"] as const).map((d) => html`<form method="post" action="/admin/ideer/${i.id}/moderer" class="inline-form">${csrfField(chrome.csrf)}<input type="hidden" name="decision" value="${d}"><button type="submit" class="button button-small${d === "approved" ? "" : " button-secondary"}">${d === "approved" ? ti.ideas.approve : d === "rejected" ? ti.ideas.reject : ti.ideas.spam}<span class="visually-hidden">: ${i.title}</span></button></form>`)}</div></li>`)}</ul>`}
${retention
  ? html`<section aria-labelledby="oppbevaring" class="form-section"><h2 id="oppbevaring">${ti.ideas.retention}</h2>
${errorSummary(retention.errors, () => ti.ideas.retentionDays)}
<form method="post" action="/admin/ideer/oppbevaring" novalidate>${csrfField(chrome.csrf)}
${textField({ name: "retentionDays", label: ti.ideas.retentionDays, hint: ti.ideas.retentionHint, value: retention.days, required: true, inputmode: "numeric", errors: retention.errors })}
<p><button type="submit" class="button">${ti.ideas.retentionSave}</button></p></form></section>`
  : ""}`,
  });
}
