import { adminNav } from "../components/admin-nav.ts";
import { formatDateTime, isoDate } from "../format.ts";
import { html, type Html } from "../../core/html.ts";
import { layout } from "../layout.ts";
import { ti } from "../texts-ideas.ts";
import type { Chrome } from "./chrome.ts";

/** One message of the outbox as the administrator sees it. */
export interface MailSummary {
  readonly to: string;
  readonly subject: string;
  readonly createdAt: Date;
  readonly sentAt: Date | null;
  readonly failedAt: Date | null;
  readonly attempts: number;
  readonly lastError: string | null;
}

export interface MailAdminProps {
  readonly chrome: Chrome;
  readonly configured: boolean;
  readonly unsent: number;
  readonly messages: readonly MailSummary[];
}

function status(m: MailSummary): Html {
  if (m.sentAt) return html`<time datetime="${isoDate(m.sentAt)}">${ti.mail.sent(formatDateTime(m.sentAt))}</time>`;
  if (m.failedAt) return html`<strong>${ti.mail.failed}</strong>${m.lastError ? html`<br><small>${m.lastError}</small>` : ""}`;
  return html`${m.attempts > 0 ? ti.mail.waitingTries(m.attempts) : ti.mail.waiting}${m.lastError ? html`<br><small>${m.lastError}</small>` : ""}`;
}

/** The e-mail outbox: what was sent, what waits, and whether e-mail is set up at all. */
export function mailAdminPage({ chrome, configured, unsent, messages }: MailAdminProps): Html {
  return layout({
    ...chrome,
    title: ti.mail.title,
    current: "admin",
    body: html`<h1>${ti.mail.title}</h1>
${adminNav("mail")}
<div class="notice${configured ? "" : " notice-warning"}" role="status"><p>${configured ? ti.mail.configured : ti.mail.notConfigured}</p>
${unsent > 0 ? html`<p>${ti.mail.unsent(unsent)}</p>` : ""}</div>
<p>${ti.mail.intro}</p>
${messages.length === 0
  ? html`<p>${ti.mail.none}</p>`
  : html`<div class="table-scroll" tabindex="0" role="region" aria-label="${ti.mail.title}"><table>
<caption class="visually-hidden">${ti.mail.title}</caption>
<thead><tr><th scope="col">${ti.mail.to}</th><th scope="col">${ti.mail.subject}</th><th scope="col">${ti.mail.created}</th><th scope="col">${ti.mail.status}</th></tr></thead>
<tbody>${messages.map(
  (m) => html`<tr><td>${m.to}</td><td>${m.subject}</td><td><time datetime="${isoDate(m.createdAt)}">${formatDateTime(m.createdAt)}</time></td><td>${status(m)}</td></tr>`,
)}</tbody></table></div>`}`,
  });
}
