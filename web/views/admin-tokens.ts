import { adminNav } from "../components/admin-nav.ts";
import { csrfField, errorSummary, hasErrors, notice, textField, type FormErrors } from "../components/form-fields.ts";
import { formatDateTime } from "../format.ts";
import { html, type Html } from "../../core/html.ts";
import { layout } from "../layout.ts";
import { t } from "../texts.ts";
import type { Chrome } from "./chrome.ts";

/** An API token as its list shows it: the prefix, never the token or its hash. */
export interface TokenSummary {
  readonly id: string;
  readonly name: string;
  readonly prefix: string;
  readonly createdAt: Date;
  readonly lastUsedAt: Date | null;
  readonly revokedAt: Date | null;
}

export interface AdminTokensProps {
  readonly chrome: Chrome & { readonly csrf: string };
  readonly tokens: readonly TokenSummary[];
  /** The token just created, shown this once. */
  readonly created?: string;
  readonly errors?: FormErrors;
  readonly notice?: string;
}

export function adminTokensPage({ chrome, tokens, created, errors: e, notice: message }: AdminTokensProps): Html {
  return layout({
    ...chrome,
    title: e ? `${t.form.errorPrefix}${t.admin.tokensTitle}` : t.admin.tokensTitle,
    focusErrors: hasErrors(e),
    current: "admin",
    body: html`<h1>${t.admin.title}</h1>
${adminNav("tokens")}
<h2>${t.admin.tokensTitle}</h2>
<p>${t.admin.tokensIntro}</p>
${notice(message)}
${created ? html`<div class="notice" role="status"><p>${t.admin.tokenCreated}</p><p><code class="token">${created}</code></p></div>` : ""}
${tokens.length === 0
  ? html`<p>${t.admin.noTokens}</p>`
  : html`<div class="table-scroll"><table class="stack-on-phone">
<caption class="visually-hidden">${t.admin.tokensTitle}</caption>
<thead><tr><th scope="col">${t.admin.name}</th><th scope="col">${t.admin.tokenPrefix}</th><th scope="col">${t.admin.tokenCreatedAt}</th><th scope="col">${t.admin.tokenLastUsed}</th><th scope="col">${t.staff.actions}</th></tr></thead>
<tbody>${tokens.map(
  (k) => html`<tr><td data-label="${t.admin.name}">${k.name}</td><td data-label="${t.admin.tokenPrefix}"><code>${k.prefix}…</code></td><td data-label="${t.admin.tokenCreatedAt}">${formatDateTime(k.createdAt)}</td><td data-label="${t.admin.tokenLastUsed}">${k.lastUsedAt ? formatDateTime(k.lastUsedAt) : t.admin.never}</td>
<td data-label="${t.staff.actions}">${k.revokedAt
  ? t.admin.tokenRevoked
  : html`<form method="post" action="/admin/nokler/${k.id}/trekk-tilbake" class="inline-form">${csrfField(chrome.csrf)}<button type="submit" class="button-small button-secondary">${t.admin.tokenRevoke}<span class="visually-hidden"> ${k.name}</span></button></form>`}</td></tr>`,
)}</tbody></table></div>`}
<section aria-labelledby="ny-nokkel" class="form-section">
<h2 id="ny-nokkel">${t.admin.tokenCreate}</h2>
${errorSummary(e, () => t.admin.tokenName)}
<form method="post" action="/admin/nokler" novalidate>
${csrfField(chrome.csrf)}
${textField({ name: "name", label: t.admin.tokenName, required: true, maxlength: 100, autocomplete: "off", errors: e })}
<div class="actions"><button type="submit">${t.admin.tokenCreate}</button></div>
</form>
</section>`,
  });
}
