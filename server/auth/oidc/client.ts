import * as oidc from "openid-client";
import type { OidcSettings } from "../../../core/oidc-config.ts";

/** Why a sign-in through the identity provider did not go through; each has its own bokmål text. */
export type OidcProblemKind =
  | "notConfigured"
  | "noFlow"
  | "state"
  | "cancelled"
  | "unreachable"
  | "tokenRejected"
  | "noGroups"
  | "tooManyGroups"
  | "refused"
  | "disabled"
  | "emailTaken"
  | "noEmail";

export class OidcProblem extends Error {
  readonly kind: OidcProblemKind;
  /** Which check failed, for the administrator (e.g. the claim that did not match). */
  readonly detail: string | undefined;
  constructor(kind: OidcProblemKind, detail?: string, options?: { cause?: unknown }) {
    super(detail ? `${kind}: ${detail}` : kind, options);
    this.kind = kind;
    this.detail = detail;
  }
}

export interface AuthorizationStart {
  url: URL;
  state: string;
  nonce: string;
  codeVerifier: string;
}

const timeoutSeconds = 10;

/**
 * Talks to the identity provider through openid-client: discovery (cached per
 * settings; a failed discovery is retried on the next attempt), the
 * authorization URL with PKCE, state and nonce, and the code exchange with
 * every ID token check the library does (signature, iss, aud, exp, nonce).
 */
export class OidcClient {
  #discovered = new Map<string, Promise<oidc.Configuration>>();

  async configuration(s: OidcSettings): Promise<oidc.Configuration> {
    const key = JSON.stringify([s.issuer, s.clientId, s.clientSecret]);
    let found = this.#discovered.get(key);
    if (!found) {
      found = oidc.discovery(new URL(s.issuer), s.clientId, s.clientSecret, oidc.ClientSecretBasic(s.clientSecret), {
        timeout: timeoutSeconds,
        // http:// issuers pass config validation only when KOMINN_ALLOW_HOSTS names their host (tests, demo).
        execute: s.issuer.startsWith("http://") ? [oidc.allowInsecureRequests] : [],
      });
      this.#discovered.set(key, found);
      found.catch(() => this.#discovered.delete(key));
    }
    try {
      return await found;
    } catch (error) {
      throw classify(error);
    }
  }

  async start(s: OidcSettings, redirectUri: string): Promise<AuthorizationStart> {
    const config = await this.configuration(s);
    const codeVerifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: "openid profile email",
      response_type: "code",
      code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: "S256",
      state,
      nonce,
    });
    return { url, state, nonce, codeVerifier };
  }

  /** Exchanges the code and returns the verified ID token claims and the raw ID token (for RP-initiated logout). */
  async finish(
    s: OidcSettings,
    callbackUrl: URL,
    checks: { state: string; nonce: string; codeVerifier: string },
  ): Promise<{ claims: oidc.IDToken; idToken: string }> {
    const config = await this.configuration(s);
    try {
      const tokens = await oidc.authorizationCodeGrant(config, callbackUrl, {
        pkceCodeVerifier: checks.codeVerifier,
        expectedState: checks.state,
        expectedNonce: checks.nonce,
        idTokenExpected: true,
      });
      const claims = tokens.claims();
      if (!claims || !tokens.id_token) throw new OidcProblem("tokenRejected", "ingen ID-token i svaret");
      return { claims, idToken: tokens.id_token };
    } catch (error) {
      throw classify(error);
    }
  }

  /** Where to send the browser to sign out at the provider too, if it supports RP-initiated logout. */
  async endSessionUrl(s: OidcSettings, postLogoutRedirectUri: string, idTokenHint?: string): Promise<URL | undefined> {
    let config: oidc.Configuration;
    try {
      config = await this.configuration(s);
    } catch {
      return undefined;
    }
    if (!config.serverMetadata().end_session_endpoint) return undefined;
    return oidc.buildEndSessionUrl(config, {
      post_logout_redirect_uri: postLogoutRedirectUri,
      client_id: s.clientId,
      ...(idTokenHint ? { id_token_hint: idTokenHint } : {}),
    });
  }
}

const claimNames: Record<string, string> = {
  iss: "utstederen (iss) er en annen enn den som er satt opp",
  aud: "tokenet er utstedt til en annen klient (aud)",
  azp: "tokenet er utstedt til en annen klient (azp)",
  nonce: "engangsverdien (nonce) stemmer ikke med denne innloggingen",
  exp: "tokenet er utløpt (exp)",
  iat: "tokenet har ugyldig utstedelsestid (iat)",
  nbf: "tokenet er ikke gyldig ennå (nbf)",
};

/** Turns whatever openid-client or fetch threw into one of our problems, keeping the technical cause for the log. */
export function classify(error: unknown): OidcProblem {
  if (error instanceof OidcProblem) return error;
  if (error instanceof oidc.AuthorizationResponseError) {
    return new OidcProblem("cancelled", error.error, { cause: error });
  }
  if (error instanceof oidc.ResponseBodyError) {
    // The token endpoint refused the code (already used, expired, wrong verifier).
    return new OidcProblem("tokenRejected", `leverandøren avviste koden: ${error.error}`, { cause: error });
  }
  if (error instanceof oidc.ClientError) {
    const inner = error.cause as { code?: string; message?: string; cause?: { claim?: string } } | undefined;
    const claim = inner?.cause?.claim;
    switch (error.code) {
      case "OAUTH_JWT_CLAIM_COMPARISON_FAILED":
      case "OAUTH_JWT_TIMESTAMP_CHECK_FAILED":
        return new OidcProblem("tokenRejected", (claim && claimNames[claim]) ?? inner?.message ?? error.message, { cause: error });
      case "OAUTH_KEY_SELECTION_FAILED":
        return new OidcProblem("tokenRejected", "tokenet er ikke signert med leverandørens nøkler", { cause: error });
      case "OAUTH_INVALID_RESPONSE":
        if (/"state"/.test(inner?.message ?? "")) return new OidcProblem("state", undefined, { cause: error });
        if (/JWS|signature/i.test(inner?.message ?? "")) {
          return new OidcProblem("tokenRejected", "signaturen på tokenet er ugyldig", { cause: error });
        }
        return new OidcProblem("unreachable", "ugyldig svar fra leverandøren", { cause: error });
      default:
        return new OidcProblem("unreachable", error.message, { cause: error });
    }
  }
  if (error instanceof TypeError || (error instanceof Error && (error.name === "AbortError" || error.name === "TimeoutError"))) {
    return new OidcProblem("unreachable", "fikk ikke kontakt", { cause: error });
  }
  // jose's own errors (bad signature) and anything else from the library.
  const code = (error as { code?: string } | undefined)?.code;
  if (typeof code === "string" && code.startsWith("ERR_JW")) {
    return new OidcProblem("tokenRejected", "signaturen på tokenet er ugyldig", { cause: error });
  }
  return new OidcProblem("unreachable", error instanceof Error ? error.message : String(error), { cause: error });
}
