import { csrfField, errorSummary, hasErrors, textField, type FormErrors } from "../components/form-fields.ts";
import { html, type Html } from "../../core/html.ts";
import { layout } from "../layout.ts";
import { t } from "../texts.ts";
import type { Chrome } from "./chrome.ts";
import {
  oidcSignInChoice,
  oidcSignOutOption,
  passwordFallbackLink,
  showsPasswordForm,
  type OidcLoginOption,
} from "./oidc-login.ts";

export interface LoginPageProps {
  readonly chrome: Chrome & { readonly csrf: string };
  readonly email?: string;
  readonly next?: string;
  /** A message for the whole form (wrong password, rate limited). */
  readonly problem?: string;
  readonly errors?: FormErrors;
  /** Sign-in with the municipality's identity provider, when set up. */
  readonly oidc?: OidcLoginOption;
}

const labels: Record<string, string> = { email: t.login.email, password: t.login.password };

export function loginPage({ chrome, email, next, problem, errors, oidc }: LoginPageProps): Html {
  return layout({
    ...chrome,
    title: problem || errors ? `${t.form.errorPrefix}${t.login.title}` : t.login.title,
    current: "login",
    focusErrors: hasErrors(errors),
    body: html`<div class="narrow">
<h1>${t.login.title}</h1>
<p>${t.login.intro}</p>
${problem ? html`<div class="error-summary" role="alert"><p>${problem}</p></div>` : ""}
${errorSummary(errors, (f) => labels[f] ?? f)}
${oidc ? oidcSignInChoice(oidc, next) : ""}
${showsPasswordForm(oidc)
  ? html`<form method="post" action="/logg-inn" novalidate>
${csrfField(chrome.csrf)}
${next ? html`<input type="hidden" name="neste" value="${next}">` : ""}
${textField({ name: "email", label: t.login.email, type: "email", value: email, autocomplete: "username", required: true, errors })}
${textField({ name: "password", label: t.login.password, type: "password", autocomplete: "current-password", required: true, errors })}
<div class="actions"><button type="submit">${t.login.submit}</button></div>
</form>`
  : passwordFallbackLink(next)}
</div>`,
  });
}

export interface SignOutPageProps {
  readonly chrome: Chrome & { readonly csrf: string };
  /** Offer signing out at the identity provider too. */
  readonly providerSignOut?: boolean;
}

export function signOutPage({ chrome, providerSignOut }: SignOutPageProps): Html {
  return layout({
    ...chrome,
    title: t.login.signOutTitle,
    body: html`<div class="narrow"><h1>${t.login.signOutTitle}</h1><p>${t.login.signOutQuestion}</p>
<div class="actions"><form method="post" action="/logg-ut">${csrfField(chrome.csrf)}<button type="submit">${t.nav.signOut}</button></form>
${providerSignOut ? oidcSignOutOption(chrome.csrf) : ""}</div></div>`,
  });
}
