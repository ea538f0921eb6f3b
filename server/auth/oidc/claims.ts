import type { Role } from "../../../core/rules.ts";
import { OidcProblem } from "./client.ts";

export interface StaffProfile {
  subject: string;
  email: string;
  name: string;
}

type Claims = Record<string, unknown>;

const emailLike = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Name and e-mail for the staff account, from the verified ID token. */
export function profileFromClaims(claims: Claims): StaffProfile {
  const subject = String(claims.sub);
  // Entra ID often leaves out `email` and puts the work address in `preferred_username`.
  const email = [claims.email, claims.preferred_username].find((v): v is string => typeof v === "string" && emailLike.test(v));
  if (!email) throw new OidcProblem("noEmail");
  const joined = [claims.given_name, claims.family_name].filter((v) => typeof v === "string" && v.trim()).join(" ");
  const name = (typeof claims.name === "string" && claims.name.trim()) || joined || email;
  return { subject, email: email.slice(0, 320), name: name.trim().slice(0, 200) };
}

/**
 * Entra ID leaves the groups out of the token of someone in more than about
 * 200 groups and names a Graph source instead (`_claim_names.groups`).
 */
function groupsLeftOut(claims: Claims): boolean {
  const names = claims._claim_names;
  return typeof names === "object" && names !== null && "groups" in names;
}

/**
 * The role from the groups claim, recomputed on every sign-in: an admin group
 * wins over an editor group; in neither means no access. Group names compare
 * without regard to case (Entra sends GUIDs, other providers names).
 */
export function roleFromGroups(claims: Claims, groups: { adminGroups: string[]; editorGroups: string[] }): Role {
  const raw = claims.groups;
  const list = typeof raw === "string" ? [raw] : Array.isArray(raw) ? raw.filter((g): g is string => typeof g === "string") : undefined;
  if (!list) throw new OidcProblem(groupsLeftOut(claims) ? "tooManyGroups" : "noGroups");
  const member = new Set(list.map((g) => g.toLowerCase()));
  const inAny = (wanted: string[]) => wanted.some((g) => member.has(g.toLowerCase()));
  if (inAny(groups.adminGroups)) return "admin";
  if (inAny(groups.editorGroups)) return "editor";
  throw new OidcProblem("refused");
}
