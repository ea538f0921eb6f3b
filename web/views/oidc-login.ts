// The pieces sign-in with the municipality's identity provider adds to pages
// owned elsewhere: the login page, the sign-out page and the staff list.
import type { StaffAccount } from "../../core/staff-account.ts";
import { html, type Html } from "../../core/html.ts";
import { t } from "../texts.ts";

export interface OidcLoginOption {
  /** Show only the provider's button; the password form hides behind a link (break-glass). */
  readonly only: boolean;
  /** The person asked for the password form (or has just used it). */
  readonly showPassword: boolean;
}

function withNext(path: string, next: string | undefined, extra: Record<string, string> = {}): string {
  const query = new URLSearchParams({ ...extra, ...(next ? { neste: next } : {}) }).toString();
  return query ? `${path}?${query}` : path;
}

/** "Logg inn med kommunens konto", shown above the password form. */
export function oidcSignInChoice(option: OidcLoginOption, next?: string): Html {
  const passwordShown = !option.only || option.showPassword;
  return html`<div class="actions"><a class="button" href="${withNext("/logg-inn/oidc", next)}">${t.oidc.button}</a></div>
<p class="hint">${t.oidc.buttonHint}</p>
${passwordShown ? html`<h2>${t.oidc.orPassword}</h2>` : ""}`;
}

/** Whether the login page shows its password form. */
export function showsPasswordForm(option: OidcLoginOption | undefined): boolean {
  return !option || !option.only || option.showPassword;
}

/** With the password form hidden, the way to it for the break-glass administrator. */
export function passwordFallbackLink(next?: string): Html {
  return html`<p><a href="${withNext("/logg-inn", next, { passord: "1" })}">${t.oidc.passwordFallback}</a></p>`;
}

/** On the sign-out page: sign out at the provider too (RP-initiated logout). */
export function oidcSignOutOption(csrf: string): Html {
  return html`<form method="post" action="/logg-inn/oidc/logg-ut"><input type="hidden" name="_csrf" value="${csrf}">
<button type="submit" class="button-secondary">${t.oidc.signOutProvider}</button></form>`;
}

/** How a staff member signs in: password, the municipality's account, or both. */
export function signInMethod(account: Pick<StaffAccount, "hasPassword" | "viaProvider">): string {
  if (account.viaProvider && account.hasPassword) return t.oidc.methods.both;
  return account.viaProvider ? t.oidc.methods.oidc : t.oidc.methods.password;
}
