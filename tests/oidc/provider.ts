// A real OpenID provider (the `oidc-provider` package) running in-process on
// 127.0.0.1 for the sign-in tests. Staff sign in through its development login
// form (any password); their groups can change between sign-ins, and a test
// can make its token endpoint misbehave to check how the portal reacts.
import { createServer, type Server } from "node:http";
import { createPrivateKey, generateKeyPairSync, sign, type KeyObject } from "node:crypto";
import Provider, { type KoaContextWithOIDC } from "oidc-provider";
import { freePort, startTestInstance, type TestInstance } from "../helpers/instance.ts";
import type { Driver } from "../helpers/databases.ts";

export interface TestUser {
  name: string;
  email: string;
  /** Undefined: the provider sends no groups claim at all. */
  groups?: string[];
}

export const adminGroup = "kominn-administratorer";
export const editorGroup = "kominn-redaktorer";

/** Login name at the provider → who they are. Two staff in different groups, and two who should not get in. */
export function defaultUsers(): Map<string, TestUser> {
  return new Map<string, TestUser>([
    ["anne", { name: "Anne Aasen", email: "anne.aasen@fredrikstad.test", groups: [adminGroup, "alle-ansatte"] }],
    ["erik", { name: "Erik Eng", email: "erik.eng@fredrikstad.test", groups: ["alle-ansatte", editorGroup] }],
    ["ola", { name: "Ola Olsen", email: "ola.olsen@fredrikstad.test", groups: ["alle-ansatte"] }],
    ["gro", { name: "Gro Grøtte", email: "gro.grotte@fredrikstad.test" }],
  ]);
}

export type IdTokenClaims = Record<string, unknown>;

/** What the token endpoint does: answer properly, rewrite the ID token (re-signed with the provider's key), or answer garbage. */
export type TokenMode = { kind: "normal" } | { kind: "rewrite"; change: (claims: IdTokenClaims) => IdTokenClaims } | { kind: "garbage" };

export interface TestProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  users: Map<string, TestUser>;
  tokenMode: TokenMode;
  close(): Promise<void>;
}

function base64url(input: Buffer | string): string {
  return Buffer.from(input).toString("base64url");
}

function resign(jwt: string, key: KeyObject, change: (claims: IdTokenClaims) => IdTokenClaims): string {
  const [header, payload] = jwt.split(".");
  const claims = change(JSON.parse(Buffer.from(payload, "base64url").toString("utf8")));
  const signingInput = `${header}.${base64url(JSON.stringify(claims))}`;
  return `${signingInput}.${base64url(sign("sha256", Buffer.from(signingInput), key))}`;
}

export async function startTestProvider(options: {
  redirectUri: string;
  postLogoutRedirectUri: string;
  users?: Map<string, TestUser>;
}): Promise<TestProvider> {
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const users = options.users ?? defaultUsers();
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const jwk = { ...privateKey.export({ format: "jwk" }), kid: "test-key", alg: "RS256", use: "sig" };
  const clientId = "kominn-test";
  const clientSecret = "hemmelig-klientnokkel-for-test-0123456789";

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [options.redirectUri],
        post_logout_redirect_uris: [options.postLogoutRedirectUri],
        grant_types: ["authorization_code"],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_basic",
      },
    ],
    jwks: { keys: [jwk as never] },
    cookies: { keys: ["testnokkel-for-informasjonskapsler-0123456789"] },
    claims: {
      openid: ["sub", "groups"],
      email: ["email", "email_verified"],
      profile: ["name", "preferred_username"],
    },
    // Put the scope's claims in the ID token (as Entra ID does with groups), not only at userinfo.
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    ttl: { Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 600, IdToken: 600, AuthorizationCode: 60 },
    features: {
      devInteractions: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        async logoutSource(ctx, form) {
          ctx.body = `<!doctype html><html lang="nb"><head><title>Logg ut</title></head><body><main><h1>Logge ut fra testleverandøren?</h1>${form}<button form="op.logoutForm" value="yes" name="logout">Ja, logg ut</button></main></body></html>`;
        },
      },
    },
    async findAccount(_ctx, id) {
      const user = users.get(id);
      if (!user) return undefined;
      return {
        accountId: id,
        async claims() {
          // Read at token time, so a change of groups shows at the next sign-in.
          const current = users.get(id)!;
          return {
            sub: id,
            name: current.name,
            email: current.email,
            email_verified: true,
            preferred_username: current.email,
            ...(current.groups ? { groups: current.groups } : {}),
          };
        },
      };
    },
    // The portal is a first-party client: no consent screen.
    async loadExistingGrant(ctx: KoaContextWithOIDC) {
      const { Grant } = ctx.oidc.provider;
      const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session!.grantIdFor(ctx.oidc.client!.clientId);
      const existing = grantId ? await Grant.find(grantId) : undefined;
      if (existing) return existing;
      const grant = new Grant({ clientId: ctx.oidc.client!.clientId, accountId: ctx.oidc.session!.accountId });
      grant.addOIDCScope("openid profile email");
      await grant.save();
      return grant;
    },
  });

  const fixture: TestProvider = { issuer, clientId, clientSecret, users, tokenMode: { kind: "normal" }, close: async () => {} };
  const key = createPrivateKey({ key: jwk as never, format: "jwk" });

  provider.use(async (ctx, next) => {
    await next();
    if (ctx.oidc?.route !== "token" || ctx.status !== 200) return;
    const mode = fixture.tokenMode;
    if (mode.kind === "garbage") {
      ctx.type = "text/html";
      ctx.body = "<html><body>Vedlikehold pågår</body></html>";
    } else if (mode.kind === "rewrite") {
      const body = ctx.body as { id_token: string };
      ctx.body = { ...body, id_token: resign(body.id_token, key, mode.change) };
    }
  });
  // No noise from the provider's expected refusals in test output.
  provider.on("server_error", (_ctx, error) => console.error("testleverandøren feilet", error));

  const server: Server = createServer(provider.callback());
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  fixture.close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return fixture;
}

/**
 * A test provider and a portal instance configured to sign staff in through
 * it (the portal's port is chosen first, since the provider must know the
 * redirect URI).
 */
export async function startWithProvider(
  options: { driver?: Driver; env?: Record<string, string> } = {},
): Promise<{ inst: TestInstance; idp: TestProvider }> {
  const port = await freePort();
  const portal = `http://127.0.0.1:${port}`;
  const idp = await startTestProvider({ redirectUri: `${portal}/logg-inn/oidc/callback`, postLogoutRedirectUri: `${portal}/` });
  const inst = await startTestInstance({
    driver: options.driver,
    port,
    env: {
      KOMINN_OIDC_ISSUER: idp.issuer,
      KOMINN_OIDC_CLIENT_ID: idp.clientId,
      KOMINN_OIDC_CLIENT_SECRET: idp.clientSecret,
      KOMINN_OIDC_ADMIN_GROUPS: adminGroup,
      KOMINN_OIDC_EDITOR_GROUPS: editorGroup,
      ...options.env,
    },
  });
  return { inst, idp };
}
