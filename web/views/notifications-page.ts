import { html, type Html } from "../../core/html.ts";
import { deliveries, notificationKinds, subscriptionKindLabels, type Delivery } from "../../core/notifications.ts";
import { serviceAreas, type Term } from "../../core/taxonomies.ts";
import { checkboxGroup, csrfField, errorSummary, notice, selectField, textField, type FormErrors } from "../components/form-fields.ts";
import { followButton } from "../components/follow-button.ts";
import { formatDateTime, isoDate } from "../format.ts";
import { layout } from "../layout.ts";
import type { Chrome } from "./chrome.ts";
import { nt } from "./notifications-texts.ts";

export interface NotificationView {
  readonly id: number;
  readonly title: string;
  readonly reason: string;
  readonly link: string;
  readonly groupLabel: string;
  readonly createdAt: Date;
  readonly unread: boolean;
}

export interface SubscriptionView {
  readonly id: string;
  readonly kind: "service-area" | "project" | "municipality" | "search";
  readonly label: string;
  /** Where to see it: the project, the search, the list of the area's projects. */
  readonly href?: string;
}

export interface NotificationsPageProps {
  readonly chrome: Chrome & { readonly csrf: string };
  readonly items: readonly NotificationView[];
  readonly unread: number;
  readonly olderHref?: string;
  readonly subscriptions: readonly SubscriptionView[];
  /** Sentences saying which municipalities the instance follows on someone's behalf, and why. */
  readonly onBehalf: readonly string[];
  readonly prefs: { readonly delivery: Delivery; readonly mutedKinds: readonly string[]; readonly digestHour: number; readonly digestWeekday: number };
  /** Municipalities one can follow (known here). */
  readonly municipalities: readonly Term[];
  readonly mailConfigured: boolean;
  readonly feeds: readonly { readonly label: string; readonly atom: string; readonly activityPub: string }[];
  readonly message?: string;
  readonly errors?: FormErrors;
  /** What was typed into a refused form, shown again. */
  readonly values?: { readonly search?: string; readonly serviceArea?: string; readonly municipality?: string };
}

const hours: Term[] = Array.from({ length: 24 }, (_, h) => ({ slug: String(h), label: `kl. ${String(h).padStart(2, "0")}.00` }));
const weekdays: Term[] = nt.weekdays.map((d, i) => ({ slug: String(i + 1), label: d }));

function item(n: NotificationView, csrf: string): Html {
  return html`<li class="notification${n.unread ? " is-unread" : ""}">
<p class="notification-title">${n.unread ? html`<span class="badge">${nt.unreadMark}</span> ` : ""}<a href="${n.link}">${n.title}</a></p>
<p class="notification-reason">${n.reason}</p>
<p class="notification-meta"><span>${n.groupLabel}</span> · <time datetime="${isoDate(n.createdAt)}">${formatDateTime(n.createdAt)}</time>${n.unread
  ? html` <form method="post" action="/varsler/${n.id}/les" class="inline-form">${csrfField(csrf)}<button type="submit" class="link-button">${nt.markRead}<span class="visually-hidden">: ${n.title}</span></button></form>`
  : ""}</p>
</li>`;
}

function subscriptionRow(s: SubscriptionView, csrf: string): Html {
  return html`<li class="subscription"><span><span class="subscription-kind">${subscriptionKindLabels[s.kind]}:</span> ${s.href ? html`<a href="${s.href}">${s.label}</a>` : s.label}</span>
${followButton({ csrf, kind: s.kind, target: "", subscriptionId: s.id, back: "/varsler", followingLabel: "", name: s.label, compact: true })}</li>`;
}

export function notificationsPage(p: NotificationsPageProps): Html {
  const { csrf } = p.chrome;
  const errors = p.errors ?? {};
  const body = html`<h1>${nt.title}${p.unread > 0 ? html` <span class="count">(${nt.unread(p.unread)})</span>` : ""}</h1>
<p class="lead">${nt.intro}</p>
${errorSummary(p.errors, (f) => nt.fields[f] ?? f)}
${notice(p.message)}
<div class="notifications-layout">
<section aria-labelledby="siste" class="notifications-list">
<h2 id="siste" class="visually-hidden">${nt.title}</h2>
${p.unread > 0 ? html`<form method="post" action="/varsler/les" class="inline-form">${csrfField(csrf)}<button type="submit" class="button button-small button-secondary">${nt.markAllRead}</button></form>` : ""}
${p.items.length === 0 ? html`<p>${nt.noneYet}</p>` : html`<ul class="notifications">${p.items.map((n) => item(n, csrf))}</ul>`}
${p.olderHref ? html`<p><a href="${p.olderHref}">${nt.older}</a></p>` : ""}
</section>
<div class="notifications-side">
<section aria-labelledby="folger">
<h2 id="folger">${nt.following}</h2>
${p.subscriptions.length === 0 ? html`<p>${nt.followingNone}</p>` : html`<ul class="subscriptions">${p.subscriptions.map((s) => subscriptionRow(s, csrf))}</ul>`}
${p.onBehalf.map((line) => html`<p class="hint">${line}</p>`)}
</section>
<section aria-labelledby="ny-folging">
<h2 id="ny-folging">${nt.followSomething}</h2>
<form method="post" action="/varsler/folg" class="stack-form">${csrfField(csrf)}
<input type="hidden" name="kind" value="service-area"><input type="hidden" name="neste" value="/varsler">
${selectField({ name: "target", id: "f-area", label: nt.followArea, options: serviceAreas, value: p.values?.serviceArea, plain: true })}
<button type="submit" class="button button-small">${nt.follow}</button>
</form>
${p.municipalities.length > 0 ? html`<form method="post" action="/varsler/folg" class="stack-form">${csrfField(csrf)}
<input type="hidden" name="kind" value="municipality"><input type="hidden" name="neste" value="/varsler">
${selectField({ name: "target", id: "f-municipality", label: nt.followMunicipality, options: p.municipalities, value: p.values?.municipality, plain: true })}
<button type="submit" class="button button-small">${nt.follow}</button>
</form>` : ""}
<form method="post" action="/varsler/folg" class="stack-form">${csrfField(csrf)}
<input type="hidden" name="kind" value="search"><input type="hidden" name="neste" value="/varsler">
${textField({ name: "target", id: "f-target", label: nt.followSearch, hint: nt.searchHint, value: p.values?.search, errors: errors["target"] ? { target: errors["target"] } : undefined, plain: true, maxlength: 2000 })}
<button type="submit" class="button button-small">${nt.follow}</button>
</form>
</section>
<section aria-labelledby="innstillinger-tittel" id="innstillinger">
<h2 id="innstillinger-tittel">${nt.settings}</h2>
${p.mailConfigured ? "" : html`<p class="banner banner-draft" role="note">${nt.mailOff}</p>`}
<form method="post" action="/varsler/innstillinger" class="stack-form">${csrfField(csrf)}
<fieldset class="field">
<legend>${nt.delivery}</legend>
${deliveries.map((d) => html`<div class="check"><input type="radio" id="f-delivery-${d.slug}" name="delivery" value="${d.slug}"${p.prefs.delivery === d.slug ? html` checked` : ""}><label for="f-delivery-${d.slug}">${d.label}</label></div>`)}
</fieldset>
${selectField({ name: "digestHour", label: nt.digestHour, options: hours, value: String(p.prefs.digestHour), plain: true, errors })}
${selectField({ name: "digestWeekday", label: nt.digestWeekday, options: weekdays, value: String(p.prefs.digestWeekday), plain: true, errors })}
${checkboxGroup({ name: "kinds", label: nt.kindsLegend, options: notificationKinds, values: notificationKinds.map((k) => k.slug).filter((k) => !p.prefs.mutedKinds.includes(k)), plain: true })}
<button type="submit" class="button">${nt.save}</button>
</form>
</section>
<section aria-labelledby="strommer">
<h2 id="strommer">${nt.feeds}</h2>
<p class="hint">${nt.feedsIntro}</p>
<ul class="feeds">${p.feeds.map((f) => html`<li>${f.label}: <a href="${f.atom}">Atom</a> · <a href="${f.activityPub}" type="application/activity+json">ActivityPub</a></li>`)}</ul>
</section>
</div>
</div>`;
  return layout({ ...p.chrome, title: nt.title, current: "notifications", body, focusErrors: p.errors !== undefined && Object.keys(p.errors).length > 0 });
}

export interface UnsubscribePageProps {
  readonly chrome: Chrome;
  readonly token: string;
  readonly outcome?: "done" | "used" | "invalid";
}

/** The unsubscribe link's page: a button to confirm (a link scanner's GET changes nothing), then what happened. */
export function unsubscribePage(p: UnsubscribePageProps): Html {
  const body = p.outcome
    ? html`<h1>${nt.unsubscribe.title}</h1><p class="${p.outcome === "done" ? "notice" : "banner banner-draft"}" role="status">${nt.unsubscribe[p.outcome]}</p>`
    : html`<h1>${nt.unsubscribe.title}</h1>
<p>${nt.unsubscribe.confirm}</p>
<form method="post" action="/varsler/avmeld?t=${encodeURIComponent(p.token)}"><button type="submit" class="button">${nt.unsubscribe.button}</button></form>`;
  return layout({ ...p.chrome, title: nt.unsubscribe.title, body });
}
