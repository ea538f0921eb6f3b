import type { FederationSettings } from "../../core/federation-settings.ts";
import { adminNav } from "../components/admin-nav.ts";
import { bulkFollowSection, type BulkFollowResult } from "../components/bulk-follow.ts";
import { checkbox, csrfField, errorSummary, notice, textArea, textField, type FormErrors } from "../components/form-fields.ts";
import { formatDateTime, isoDate } from "../format.ts";
import { html, type Html } from "../../core/html.ts";
import { layout } from "../layout.ts";
import { t } from "../texts.ts";
import type { Chrome } from "./chrome.ts";

export interface PeerCheck {
  readonly handle: string;
  readonly state: "ok" | "unreachable" | "gone";
}

/** A municipality (or any actor) we follow. */
export interface FollowView {
  readonly id: string;
  readonly targetHandle: string;
  readonly targetName: string | null;
  readonly targetActorUrl: string;
  readonly status: keyof typeof t.federation.followStatus;
  readonly createdAt: Date;
  readonly acceptedAt: Date | null;
}

/** An actor that follows us, or asks to. */
export interface FollowerView {
  readonly id: string;
  readonly handle: string;
  readonly name: string | null;
  readonly actorUrl: string;
  readonly status: keyof typeof t.federation.followerStatus;
  readonly createdAt: Date;
}

/** A blocked domain. */
export interface DomainBlockView {
  readonly domain: string;
  readonly reason: string;
  readonly createdAt: Date;
}

/** One receiving host whose deliveries failed lately, as the administrator sees it. */
export interface DeliveryHealthRow {
  readonly host: string;
  /** paused: circuit open, everything waits; probing: one delivery is being tried; retrying: failed ones come back later; idle: nothing waits. */
  readonly state: "paused" | "probing" | "retrying" | "idle";
  /** Why the last delivery failed: a kind (federation/delivery-health.ts) and, for kind "http", the status. */
  readonly problem?: { readonly kind: string; readonly status?: number };
  readonly failures: number;
  readonly lastFailureAt: Date;
  readonly nextAttemptAt?: Date;
  /** Seconds from now to the next attempt (0 when due). */
  readonly nextAttemptIn?: number;
  readonly waiting: number;
}

export interface FederationAdminProps {
  readonly chrome: Chrome & { readonly csrf: string };
  readonly handle: string;
  readonly domain: string;
  readonly follows: readonly FollowView[];
  readonly followers: readonly FollowerView[];
  readonly blocks: readonly DomainBlockView[];
  readonly failures: readonly DeliveryHealthRow[];
  readonly settings: FederationSettings;
  readonly errors?: FormErrors;
  readonly values?: Readonly<Record<string, string>>;
  readonly notice?: string;
  /** After a bulk follow: each line's outcome. */
  readonly bulkResults?: readonly BulkFollowResult[];
  /** The answer to "Sjekk om de svarer", right after it ran. */
  readonly peerCheck?: readonly PeerCheck[];
}

const f = () => t.federation;

function postButton(action: string, csrf: string, label: string, hidden: string, secondary = true): Html {
  return html`<form method="post" action="${action}" class="inline-form">${csrfField(csrf)}<button type="submit" class="button-small${secondary ? " button-secondary" : ""}">${label}<span class="visually-hidden"> ${hidden}</span></button></form>`;
}

function followsTable(rows: readonly FollowView[], csrf: string): Html {
  if (rows.length === 0) return html`<p>${f().noFollows}</p>`;
  return html`<table class="stack-on-phone">
<caption class="visually-hidden">${f().followsTitle}</caption>
<thead><tr><th scope="col">${f().actor}</th><th scope="col">${f().status}</th><th scope="col">${f().since}</th><th scope="col">${t.staff.actions}</th></tr></thead>
<tbody>${rows.map(
  (r) => html`<tr><td data-label="${f().actor}">${r.targetName ? html`${r.targetName}<br>` : ""}<a href="${r.targetActorUrl}" rel="nofollow noopener" class="handle">${r.targetHandle}</a></td>
<td data-label="${f().status}">${f().followStatus[r.status]}</td><td data-label="${f().since}" class="nowrap">${formatDateTime(r.acceptedAt ?? r.createdAt)}</td>
<td data-label="${t.staff.actions}">${postButton(`/admin/foderasjon/folger/${r.id}/avslutt`, csrf, f().unfollow, r.targetHandle)}</td></tr>`,
)}</tbody></table>`;
}

function peerCheckResult(checks: readonly PeerCheck[]): Html {
  const count = (state: PeerCheck["state"]) => checks.filter((c) => c.state === state).length;
  const problems = checks.filter((c): c is PeerCheck & { state: "unreachable" | "gone" } => c.state !== "ok");
  return html`<div class="notice" role="status"><p>${f().checkSummary(checks.length, count("ok"), count("unreachable"), count("gone"))}</p>
${problems.length > 0 ? html`<ul>${problems.map((c) => html`<li>${c.handle}: ${f().checkStates[c.state]}</li>`)}</ul>` : ""}</div>`;
}

function followersTable(rows: readonly FollowerView[], csrf: string): Html {
  if (rows.length === 0) return html`<p>${f().noFollowers}</p>`;
  return html`<table class="stack-on-phone">
<caption class="visually-hidden">${f().followersTitle}</caption>
<thead><tr><th scope="col">${f().actor}</th><th scope="col">${f().status}</th><th scope="col">${f().since}</th><th scope="col">${t.staff.actions}</th></tr></thead>
<tbody>${rows.map(
  (r) => html`<tr><td data-label="${f().actor}">${r.name ? html`${r.name}<br>` : ""}<a href="${r.actorUrl}" rel="nofollow noopener" class="handle">${r.handle}</a></td>
<td data-label="${f().status}">${f().followerStatus[r.status]}</td><td data-label="${f().since}" class="nowrap">${formatDateTime(r.createdAt)}</td>
<td data-label="${t.staff.actions}">${r.status === "pending" ? postButton(`/admin/foderasjon/folgere/${r.id}/godkjenn`, csrf, f().approve, r.handle, false) : ""}
${postButton(`/admin/foderasjon/folgere/${r.id}/fjern`, csrf, f().removeFollower, r.handle)}</td></tr>`,
)}</tbody></table>`;
}

function blocksSection(rows: readonly DomainBlockView[], csrf: string, e: FormErrors | undefined, values: Readonly<Record<string, string>>): Html {
  return html`<section aria-labelledby="blokkeringer" class="form-section">
<h2 id="blokkeringer">${f().blocksTitle}</h2>
<p>${f().blocksIntro}</p>
${rows.length === 0
  ? html`<p>${f().noBlocks}</p>`
  : html`<table class="stack-on-phone">
<caption class="visually-hidden">${f().blocksTitle}</caption>
<thead><tr><th scope="col">${f().domain}</th><th scope="col">${f().reason}</th><th scope="col">${f().since}</th><th scope="col">${t.staff.actions}</th></tr></thead>
<tbody>${rows.map(
  (r) => html`<tr><td data-label="${f().domain}">${r.domain}</td><td data-label="${f().reason}">${r.reason}</td><td data-label="${f().since}" class="nowrap">${formatDateTime(r.createdAt)}</td>
<td data-label="${t.staff.actions}">${postButton(`/admin/foderasjon/blokker/${encodeURIComponent(r.domain)}/opphev`, csrf, f().unblock, r.domain)}</td></tr>`,
)}</tbody></table>`}
<form method="post" action="/admin/foderasjon/blokker" novalidate>
${csrfField(csrf)}
${textField({ name: "domain", label: f().domain, required: true, maxlength: 253, value: values.domain, errors: e, hint: f().domainHint })}
${textField({ name: "reason", label: f().reason, maxlength: 500, value: values.reason, errors: e })}
<div class="actions"><button type="submit">${f().block}</button></div>
</form>
<h3>${f().csvTitle}</h3>
<p><a href="/admin/foderasjon/blokkeringer.csv" download>${f().csvExport}</a></p>
<form method="post" action="/admin/foderasjon/blokker/import" novalidate>
${csrfField(csrf)}
${textArea({ name: "csv", label: f().csvImport, rows: 5, maxlength: 200_000, value: values.csv, errors: e, hint: f().csvHint })}
<div class="actions"><button type="submit" class="button-secondary">${f().csvImportButton}</button></div>
</form>
</section>`;
}

const clock = new Intl.DateTimeFormat("nb-NO", { timeStyle: "medium", timeZone: "Europe/Oslo" });

/** "om 25 s (kl. 14:03:12)": soon is what matters; a try more than half a day off gets its date. */
function nextAttempt(r: DeliveryHealthRow): Html | string {
  if (!r.nextAttemptAt) return "–";
  const when = r.nextAttemptIn === undefined || r.nextAttemptIn <= 0 ? f().nextNow : f().nextIn(r.nextAttemptIn);
  const at = (r.nextAttemptIn ?? 0) < 12 * 3600 ? `kl. ${clock.format(r.nextAttemptAt)}` : formatDateTime(r.nextAttemptAt);
  return html`${when} <span class="muted">(<time datetime="${isoDate(r.nextAttemptAt)}">${at}</time>)</span>`;
}

/** Per host: what went wrong last, in plain words, whether deliveries are paused, and when the next try is. Rows stack on a phone. */
function failuresSection(rows: readonly DeliveryHealthRow[]): Html {
  const head = [f().host, f().circuit, f().lastError, f().lastFailure, f().nextRetry, f().waiting, f().failures];
  // One element per cell, so the stacked (phone) layout puts the label on its left.
  const cell = (i: number, content: Html | string | number) => html`<td data-label="${head[i]}"><span>${content}</span></td>`;
  return html`<section aria-labelledby="feil" class="form-section">
<h2 id="feil">${f().failuresTitle}</h2>
<p>${f().failuresIntro}</p>
${rows.length === 0
  ? html`<p>${f().noFailures}</p>`
  : html`<div class="table-scroll"><table class="stack-on-phone delivery-health">
<caption class="visually-hidden">${f().failuresTitle}</caption>
<thead><tr>${head.map((h) => html`<th scope="col">${h}</th>`)}</tr></thead>
<tbody>${rows.map(
  (r) => html`<tr class="delivery-${r.state}"><th scope="row" data-label="${head[0]}">${r.host}</th>
${cell(1, html`<span class="delivery-state">${f().deliveryState[r.state]}</span>`)}
${cell(2, r.problem ? f().problem(r.problem.kind, r.problem.status) : "–")}
${cell(3, html`<time datetime="${isoDate(r.lastFailureAt)}">${formatDateTime(r.lastFailureAt)}</time>`)}
${cell(4, nextAttempt(r))}
${cell(5, r.waiting > 0 ? f().waitingCount(r.waiting) : "–")}
${cell(6, r.failures)}</tr>`,
)}</tbody></table></div>`}
</section>`;
}

/** The administrator's federation page: follow municipalities, handle followers, block domains, see failing deliveries. */
export function federationAdminPage(p: FederationAdminProps): Html {
  const { csrf } = p.chrome;
  const e = p.errors;
  const values = p.values ?? {};
  return layout({
    ...p.chrome,
    title: e ? `Feil: ${f().title}` : f().title,
    current: "admin",
    head: html`<script src="/static/bulk-follow.js" defer></script>`,
    body: html`<h1>${t.admin.title}</h1>
${adminNav("federation")}
<h2>${f().title}</h2>
<p>${f().intro(`@${p.handle}@${p.domain}`)}</p>
${notice(p.notice)}
${errorSummary(e, (field) => (field === "targets" ? t.bulkFollow.targets : (f().fieldLabels[field as "target"] ?? field)))}
<section aria-labelledby="folg" class="form-section">
<h2 id="folg">${f().followTitle}</h2>
<form method="post" action="/admin/foderasjon/folg" novalidate>
${csrfField(csrf)}
${textField({ name: "target", label: f().target, required: true, maxlength: 500, value: values.target, errors: e, hint: f().targetHint, autocomplete: "off" })}
<div class="actions"><button type="submit">${f().follow}</button></div>
</form>
</section>
${bulkFollowSection({ csrf, errors: e, value: values.targets, results: p.bulkResults })}
<section aria-labelledby="vi-folger"><h2 id="vi-folger">${f().followsTitle}</h2>${p.peerCheck ? peerCheckResult(p.peerCheck) : ""}${followsTable(p.follows, csrf)}
${p.follows.length > 0 || p.peerCheck ? html`<form method="post" action="/admin/foderasjon/sjekk">${csrfField(csrf)}<p class="hint">${f().checkHint}</p><div class="actions"><button type="submit" class="button-secondary">${f().checkNow}</button></div></form>` : ""}</section>
<section aria-labelledby="folgere"><h2 id="folgere">${f().followersTitle}</h2>${followersTable(p.followers, csrf)}</section>
<section aria-labelledby="innstillinger" class="form-section">
<h2 id="innstillinger">${f().settingsTitle}</h2>
<form method="post" action="/admin/foderasjon/innstillinger" novalidate>
${csrfField(csrf)}
${checkbox({ name: "approveFollowers", label: f().approveFollowers, checked: p.settings.approveFollowers, value: "ja", hint: f().approveFollowersHint })}
${textField({ name: "backfillLimit", label: f().backfillLimit, required: true, value: values.backfillLimit ?? String(p.settings.backfillLimit), inputmode: "numeric", maxlength: 5, errors: e, hint: f().backfillLimitHint })}
<div class="actions"><button type="submit">${f().saveSettings}</button></div>
</form>
</section>
${blocksSection(p.blocks, csrf, e, values)}
${failuresSection(p.failures)}`,
  });
}
