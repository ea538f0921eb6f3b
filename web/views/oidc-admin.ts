import { adminNav } from "../components/admin-nav.ts";
import { checkbox, csrfField, errorSummary, notice, textArea, textField, type FormErrors } from "../components/form-fields.ts";
import { html, type Html } from "../../core/html.ts";
import { layout } from "../layout.ts";
import { t } from "../texts.ts";
import type { Chrome } from "./chrome.ts";

export interface OidcAdminProps {
  readonly chrome: Chrome & { readonly csrf: string };
  /** Where the current settings come from, and whether sign-in through the provider is on. */
  readonly status: "environment" | "admin" | "adminOff" | "off";
  readonly values: {
    readonly enabled: boolean;
    readonly issuer: string;
    readonly clientId: string;
    readonly adminGroups: string;
    readonly editorGroups: string;
    readonly only: boolean;
  };
  /** A secret is saved on this page, so an empty field keeps it. */
  readonly hasSecret: boolean;
  /** The saved secret can no longer be opened: it must be entered again. */
  readonly secretLost: boolean;
  readonly redirectUri: string;
  readonly postLogoutUri: string;
  readonly errors?: FormErrors;
  readonly notice?: string;
}

const a = t.oidc.admin;
const labels: Record<string, string> = {
  issuer: a.issuer,
  clientId: a.clientId,
  clientSecret: a.clientSecret,
  adminGroups: a.adminGroups,
  editorGroups: a.editorGroups,
};
const statusText = { environment: a.statusEnvironment, admin: a.statusAdmin, adminOff: a.statusAdminOff, off: a.statusOff };

/** The administrator's settings for sign-in with the municipality's identity provider. */
export function oidcAdminPage(p: OidcAdminProps): Html {
  const e = p.errors;
  return layout({
    ...p.chrome,
    title: e ? `Feil: ${a.title}` : a.title,
    current: "admin",
    body: html`<h1>${t.admin.title}</h1>
${adminNav("login")}
<h2>${a.title}</h2>
<p>${a.intro}</p>
${notice(p.notice)}
${p.secretLost ? notice(a.secretLost) : html``}
<p><strong>${statusText[p.status]}</strong></p>
<p>${a.register}</p>
<dl class="facts">
<dt>${a.redirectUri}</dt><dd><code>${p.redirectUri}</code></dd>
<dt>${a.postLogoutUri}</dt><dd><code>${p.postLogoutUri}</code></dd>
</dl>
${errorSummary(e, (f) => labels[f] ?? f)}
<form method="post" action="/admin/innlogging" novalidate>
${csrfField(p.chrome.csrf)}
${checkbox({ name: "enabled", label: a.enabled, checked: p.values.enabled })}
${textField({ name: "issuer", label: a.issuer, type: "url", value: p.values.issuer, hint: a.issuerHint, autocomplete: "off", errors: e, required: true })}
${textField({ name: "clientId", label: a.clientId, value: p.values.clientId, autocomplete: "off", errors: e, required: true })}
${textField({ name: "clientSecret", label: a.clientSecret, type: "password", autocomplete: "new-password", hint: p.hasSecret ? a.clientSecretKeep : undefined, errors: e, required: !p.hasSecret })}
${textArea({ name: "adminGroups", label: a.adminGroups, value: p.values.adminGroups, hint: a.groupsHint, rows: 3, errors: e })}
${textArea({ name: "editorGroups", label: a.editorGroups, value: p.values.editorGroups, hint: a.groupsHint, rows: 3, errors: e })}
${checkbox({ name: "only", label: a.only, hint: a.onlyHint, checked: p.values.only })}
<div class="actions"><button type="submit">${a.save}</button></div>
</form>
${p.status === "admin" || p.status === "adminOff"
  ? html`<form method="post" action="/admin/innlogging/miljo" class="form-section">${csrfField(p.chrome.csrf)}
<button type="submit" class="button-secondary">${a.useEnvironment}</button></form>`
  : ""}`,
  });
}
