import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../core/config.ts";
import { profileFromClaims, roleFromGroups } from "../../server/auth/oidc/claims.ts";
import { OidcProblem } from "../../server/auth/oidc/client.ts";

const complete = {
  KOMINN_OIDC_ISSUER: "https://login.microsoftonline.com/3f1c0000-0000-0000-0000-000000000000/v2.0",
  KOMINN_OIDC_CLIENT_ID: "portal",
  KOMINN_OIDC_CLIENT_SECRET: "hemmelig",
  KOMINN_OIDC_ADMIN_GROUPS: "a1b2, c3d4",
  KOMINN_OIDC_EDITOR_GROUPS: "e5f6",
};

function configError(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error("expected a ConfigError");
}

describe("OIDC configuration from the environment", () => {
  it("is off when no KOMINN_OIDC_* is set, and complete when all are", () => {
    expect(loadConfig({}).oidc).toBeUndefined();
    expect(loadConfig(complete).oidc).toEqual({
      issuer: complete.KOMINN_OIDC_ISSUER,
      clientId: "portal",
      clientSecret: "hemmelig",
      adminGroups: ["a1b2", "c3d4"],
      editorGroups: ["e5f6"],
      only: false,
    });
    expect(loadConfig({ ...complete, KOMINN_OIDC_ONLY: "true" }).oidc?.only).toBe(true);
  });

  it("wants issuer, client id and secret together, naming each one missing", () => {
    const message = configError({ KOMINN_OIDC_ISSUER: complete.KOMINN_OIDC_ISSUER, KOMINN_OIDC_ADMIN_GROUPS: "a" });
    expect(message).toContain("KOMINN_OIDC_CLIENT_ID");
    expect(message).toContain("KOMINN_OIDC_CLIENT_SECRET");
    expect(message).not.toContain("KOMINN_OIDC_ISSUER:");
    expect(configError({ KOMINN_OIDC_ONLY: "true" })).toContain("KOMINN_OIDC_ISSUER");
  });

  it("wants at least one group, an https issuer (http only for tests and demos) and a real flag", () => {
    const { KOMINN_OIDC_ADMIN_GROUPS: _a, KOMINN_OIDC_EDITOR_GROUPS: _e, ...noGroups } = complete;
    expect(configError({ ...noGroups, KOMINN_OIDC_ADMIN_GROUPS: " , " })).toContain("KOMINN_OIDC_ADMIN_GROUPS");
    expect(configError({ ...complete, KOMINN_OIDC_ISSUER: "http://idp.example" })).toContain("må være en https-adresse");
    expect(loadConfig({ ...complete, KOMINN_OIDC_ISSUER: "http://127.0.0.1:9000", KOMINN_ALLOW_HOSTS: "127.0.0.1" }).oidc?.issuer).toBe("http://127.0.0.1:9000");
    expect(configError({ ...complete, KOMINN_OIDC_ISSUER: "ikke en adresse" })).toContain("KOMINN_OIDC_ISSUER");
    expect(configError({ ...complete, KOMINN_OIDC_ONLY: "kanskje" })).toContain("KOMINN_OIDC_ONLY");
  });
});

describe("role and profile from the ID token", () => {
  const groups = { adminGroups: ["Kominn-Admin"], editorGroups: ["kominn-redaktor"] };
  const kind = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      return (e as OidcProblem).kind;
    }
    return "ok";
  };

  it("gives admin over editor, compares groups without case, refuses neither and a missing claim", () => {
    expect(roleFromGroups({ groups: ["kominn-redaktor", "kominn-admin"] }, groups)).toBe("admin");
    expect(roleFromGroups({ groups: ["KOMINN-REDAKTOR"] }, groups)).toBe("editor");
    expect(roleFromGroups({ groups: "kominn-redaktor" }, groups)).toBe("editor");
    expect(kind(() => roleFromGroups({ groups: ["alle"] }, groups))).toBe("refused");
    expect(kind(() => roleFromGroups({ groups: [] }, groups))).toBe("refused");
    expect(kind(() => roleFromGroups({}, groups))).toBe("noGroups");
    expect(kind(() => roleFromGroups({ groups: 42 }, groups))).toBe("noGroups");
    expect(kind(() => roleFromGroups({ _claim_names: { groups: "src1" } }, groups))).toBe("tooManyGroups");
  });

  it("takes e-mail from email or preferred_username and a name from name or given and family names", () => {
    expect(profileFromClaims({ sub: "s1", email: "a@k.no", name: "Anne A" })).toEqual({ subject: "s1", email: "a@k.no", name: "Anne A" });
    expect(profileFromClaims({ sub: "s2", preferred_username: "b@k.no", given_name: "Bo", family_name: "Berg" })).toEqual({
      subject: "s2",
      email: "b@k.no",
      name: "Bo Berg",
    });
    expect(profileFromClaims({ sub: "s3", email: "c@k.no" }).name).toBe("c@k.no");
    expect(kind(() => profileFromClaims({ sub: "s4", preferred_username: "bare-et-navn" }))).toBe("noEmail");
  });
});
