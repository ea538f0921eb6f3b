import { expect } from "vitest";
import type { CookieClient, Hop } from "./cookie-client.ts";

export interface FlowOptions {
  /** Change the authorization request on its way to the provider (e.g. another nonce). */
  editAuthorizeUrl?: (url: URL) => void;
}

/**
 * Clicks "Logg inn med kommunens konto", signs in at the provider's login form
 * when it asks, and stops at the redirect back to the portal: returns the
 * callback URL the provider sent the browser to, not yet requested.
 */
export async function reachCallback(client: CookieClient, portal: string, login: string, options: FlowOptions = {}): Promise<string> {
  const callbackPrefix = `${portal}/logg-inn/oidc/callback`;
  const start = await client.request(`${portal}/logg-inn/oidc`);
  expect(start.status, start.body).toBe(303);
  const authorize = new URL(start.location!);
  options.editAuthorizeUrl?.(authorize);
  const atCallback = (h: Hop) => h.location?.startsWith(callbackPrefix) ?? false;
  let hops = await client.follow(authorize.href, atCallback);
  let last = hops.at(-1)!;
  if (!atCallback(last)) {
    // The provider's login form.
    expect(last.status, last.body).toBe(200);
    const action = /<form[^>]*action="([^"]+)"/.exec(last.body)?.[1];
    expect(action, last.body).toBeTruthy();
    const posted = await client.request(new URL(action!.replaceAll("&amp;", "&"), last.url).href, {
      form: { prompt: "login", login, password: "hva-som-helst" },
    });
    hops = await client.follow(posted.location ?? "", atCallback, posted);
    last = hops.at(-1)!;
  }
  expect(atCallback(last), JSON.stringify(last)).toBe(true);
  return last.location!;
}

/** The whole sign-in: returns the portal's answer to the callback. */
export async function signIn(client: CookieClient, portal: string, login: string, options: FlowOptions = {}): Promise<Hop> {
  return client.request(await reachCallback(client, portal, login, options));
}

export function setsSession(hop: Hop): boolean {
  return hop.setCookies.some((c) => c.startsWith("kominn_session=") && !c.startsWith("kominn_session=;"));
}

/** Signs in with e-mail and password through the login form (the local, break-glass way). */
export async function passwordSignIn(client: CookieClient, portal: string, email: string, password: string): Promise<Hop> {
  // ?passord=1 shows the form also where only the provider's button is offered.
  const form = await client.request(`${portal}/logg-inn?passord=1`);
  return client.request(`${portal}/logg-inn`, { form: { _csrf: csrfOf(form.body), email, password } });
}

/** The CSRF token of the first form on a page. */
export function csrfOf(body: string): string {
  const token = /name="_csrf" value="([^"]+)"/.exec(body)?.[1];
  expect(token, "a form with a CSRF token").toBeTruthy();
  return token!;
}
