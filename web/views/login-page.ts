import { csrfField, errorSummary, textField, type FormErrors } from "../components/form-fields.ts";
import { html, type Html } from "../html.ts";
import { layout } from "../layout.ts";
import { t } from "../texts.ts";
import type { Chrome } from "./chrome.ts";

export interface LoginPageProps {
  readonly chrome: Chrome & { readonly csrf: string };
  readonly email?: string;
  readonly next?: string;
  /** A message for the whole form (wrong password, rate limited). */
  readonly problem?: string;
  readonly errors?: FormErrors;
}

const labels: Record<string, string> = { email: t.login.email, password: t.login.password };

export function loginPage({ chrome, email, next, problem, errors }: LoginPageProps): Html {
  return layout({
    ...chrome,
    title: problem || errors ? `Feil: ${t.login.title}` : t.login.title,
    current: "login",
    body: html`<div class="narrow">
<h1>${t.login.title}</h1>
<p>${t.login.intro}</p>
${problem ? html`<div class="error-summary" role="alert"><p>${problem}</p></div>` : ""}
${errorSummary(errors, (f) => labels[f] ?? f)}
<form method="post" action="/logg-inn" novalidate>
${csrfField(chrome.csrf)}
${next ? html`<input type="hidden" name="neste" value="${next}">` : ""}
${textField({ name: "email", label: t.login.email, type: "email", value: email, autocomplete: "username", required: true, errors })}
${textField({ name: "password", label: t.login.password, type: "password", autocomplete: "current-password", required: true, errors })}
<div class="actions"><button type="submit">${t.login.submit}</button></div>
</form>
</div>`,
  });
}

export function signOutPage({ chrome }: { readonly chrome: Chrome & { readonly csrf: string } }): Html {
  return layout({
    ...chrome,
    title: t.login.signOutTitle,
    body: html`<div class="narrow"><h1>${t.login.signOutTitle}</h1><p>${t.login.signOutQuestion}</p>
<form method="post" action="/logg-ut">${csrfField(chrome.csrf)}<button type="submit">${t.nav.signOut}</button></form></div>`,
  });
}
