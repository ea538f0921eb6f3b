// The e-mail of notifications (at once or a digest): grouped by what the
// person follows, each item with the one line that says why it is there. Plain
// text and simple HTML with the same content; no images, no tracking.
import { html, type Html } from "../../core/html.ts";
import { nt } from "./notifications-texts.ts";

export interface MailItemView {
  readonly title: string;
  readonly reason: string;
  /** Absolute URL of the project. */
  readonly url: string;
}

export interface MailGroupView {
  /** What the person follows, e.g. "Tjenesteområde: Helse og omsorg". */
  readonly label: string;
  readonly items: readonly MailItemView[];
  /** Items left out of this mail for length (all are on the notifications page). */
  readonly more: number;
}

export interface NotificationMailProps {
  readonly name: string;
  readonly period: "immediate" | "daily" | "weekly";
  readonly count: number;
  readonly groups: readonly MailGroupView[];
  readonly pageUrl: string;
  readonly unsubscribeUrl: string;
}

const periodLabel = { immediate: nt.mail.periodImmediate, daily: nt.mail.periodDaily, weekly: nt.mail.periodWeekly } as const;

export function notificationMailSubject(p: Pick<NotificationMailProps, "count" | "period">): string {
  return nt.mail.subjectDigest(p.count, periodLabel[p.period]);
}

export function notificationMailText(p: NotificationMailProps): string {
  const lines = [nt.mail.greeting(p.name), nt.mail.intro, ""];
  for (const g of p.groups) {
    lines.push(`## ${g.label}`, "");
    for (const item of g.items) lines.push(`* ${item.title}`, `  ${item.reason}`, `  ${item.url}`, "");
    if (g.more > 0) lines.push(nt.mail.more(g.more), "");
  }
  lines.push(`${nt.mail.seeAll}: ${p.pageUrl}`, "", "-- ", nt.mail.footer, `${nt.mail.settings}: ${p.pageUrl}#innstillinger`, `${nt.mail.unsubscribe}: ${p.unsubscribeUrl}`);
  return lines.join("\n");
}

export function notificationMailHtml(p: NotificationMailProps): Html {
  return html`<!doctype html>
<html lang="nb"><head><meta charset="utf-8"><title>${notificationMailSubject(p)}</title></head>
<body style="font-family: sans-serif; line-height: 1.5; color: #1a1a1a; max-width: 40rem">
<p>${nt.mail.greeting(p.name)}<br>${nt.mail.intro}</p>
${p.groups.map(
  (g) => html`<h2 style="font-size: 1.1rem; margin-top: 1.5rem">${g.label}</h2>
<ul style="padding-left: 1.2rem">${g.items.map((item) => html`<li style="margin-bottom: .6rem"><a href="${item.url}">${item.title}</a><br>${item.reason}</li>`)}</ul>
${g.more > 0 ? html`<p>${nt.mail.more(g.more)}</p>` : ""}`,
)}
<p><a href="${p.pageUrl}">${nt.mail.seeAll}</a></p>
<hr>
<p style="font-size: .9rem">${nt.mail.footer} <a href="${p.pageUrl}#innstillinger">${nt.mail.settings}</a> · <a href="${p.unsubscribeUrl}">${nt.mail.unsubscribe}</a></p>
</body></html>`;
}
