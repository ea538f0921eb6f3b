import type { SignedIn, StaffAccount } from "../../core/staff-account.ts";
import { roleLabels, roles } from "../../core/rules.ts";
import { adminNav } from "../components/admin-nav.ts";
import { csrfField, errorSummary, hasErrors, notice, selectField, textField, type FormErrors } from "../components/form-fields.ts";
import { formatDateTime } from "../format.ts";
import { html, type Html } from "../../core/html.ts";
import { layout } from "../layout.ts";
import { t } from "../texts.ts";
import type { Chrome } from "./chrome.ts";
import { signInMethod } from "./oidc-login.ts";

export interface AdminStaffProps {
  readonly chrome: Chrome & { readonly csrf: string; readonly account: SignedIn };
  readonly accounts: readonly StaffAccount[];
  readonly values?: Partial<Record<"email" | "name" | "role", string>>;
  readonly errors?: FormErrors;
  readonly notice?: string;
  /** A problem with an action on the list (last admin, …). */
  readonly problem?: string;
}

const roleTerms = roles.map((r) => ({ slug: r, label: roleLabels[r] }));
const labels: Record<string, string> = {
  email: t.admin.email,
  name: t.admin.name,
  role: t.admin.role,
  password: t.admin.initialPassword,
};

function accountRow(a: StaffAccount, csrf: string, self: SignedIn): Html {
  const roleId = `rolle-${a.id}`;
  return html`<tr>
<td data-label="${t.admin.name}">${a.name}</td><td data-label="${t.admin.email}">${a.email}</td>
<td data-label="${t.admin.role}"><form method="post" action="/admin/ansatte/${a.id}/rolle" class="inline-form">${csrfField(csrf)}
<label class="visually-hidden" for="${roleId}">${t.admin.role} for ${a.name}</label>
<select id="${roleId}" name="role">${roleTerms.map((r) => html`<option value="${r.slug}"${r.slug === a.role ? html` selected` : ""}>${r.label}</option>`)}</select>
<button type="submit" class="button-small">${t.admin.changeRole}<span class="visually-hidden"> for ${a.name}</span></button></form></td>
<td data-label="${t.oidc.methods.label}">${signInMethod(a)}</td>
<td data-label="${t.admin.state}">${a.disabledAt ? t.admin.disabled : t.admin.active}</td>
<td data-label="${t.admin.lastLogin}">${a.lastLoginAt ? formatDateTime(a.lastLoginAt) : t.admin.never}</td>
<td data-label="${t.staff.actions}">${a.id === self.id
  ? ""
  : html`<form method="post" action="/admin/ansatte/${a.id}/${a.disabledAt ? "aktiver" : "deaktiver"}" class="inline-form">${csrfField(csrf)}
<button type="submit" class="button-small button-secondary">${a.disabledAt ? t.admin.enable : t.admin.disable}<span class="visually-hidden"> ${a.name}</span></button></form>`}</td>
</tr>`;
}

export function adminStaffPage({ chrome, accounts, values = {}, errors: e, notice: message, problem }: AdminStaffProps): Html {
  return layout({
    ...chrome,
    title: e || problem ? `${t.form.errorPrefix}${t.admin.staffTitle}` : t.admin.staffTitle,
    focusErrors: hasErrors(e),
    current: "admin",
    body: html`<h1>${t.admin.title}</h1>
${adminNav("staff")}
<h2>${t.admin.staffTitle}</h2>
<p>${t.admin.staffIntro}</p>
${notice(message)}
${problem ? html`<div class="error-summary" role="alert"><p>${problem}</p></div>` : ""}
<div class="table-scroll"><table class="stack-on-phone">
<caption class="visually-hidden">${t.admin.staffTitle}</caption>
<thead><tr><th scope="col">${t.admin.name}</th><th scope="col">${t.admin.email}</th><th scope="col">${t.admin.role}</th><th scope="col">${t.oidc.methods.label}</th><th scope="col">${t.admin.state}</th><th scope="col">${t.admin.lastLogin}</th><th scope="col">${t.staff.actions}</th></tr></thead>
<tbody>${accounts.map((a) => accountRow(a, chrome.csrf, chrome.account))}</tbody>
</table></div>
<section aria-labelledby="ny-ansatt" class="form-section">
<h2 id="ny-ansatt">${t.admin.newAccount}</h2>
${errorSummary(e, (f) => labels[f] ?? f)}
<form method="post" action="/admin/ansatte" novalidate>
${csrfField(chrome.csrf)}
${textField({ name: "name", label: t.admin.name, value: values.name, required: true, autocomplete: "off", errors: e })}
${textField({ name: "email", label: t.admin.email, type: "email", value: values.email, required: true, autocomplete: "off", errors: e })}
${selectField({ name: "role", label: t.admin.role, value: values.role ?? "editor", options: roleTerms, required: true, errors: e })}
${textField({ name: "password", label: t.admin.initialPassword, type: "password", required: true, hint: t.admin.initialPasswordHint, autocomplete: "new-password", errors: e })}
<div class="actions"><button type="submit">${t.admin.create}</button></div>
</form>
</section>`,
  });
}
