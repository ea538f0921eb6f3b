import { z } from "zod";
import { one, parseForm, type FormBody, type FormErrors, type FormResult } from "../../forms/issues.ts";
import { oidcProblems, splitGroups, type OidcSettings } from "../../../core/oidc-config.ts";

/** The admin form's values as typed, to show again after an error (never the secret). */
export interface OidcFormValues {
  enabled: boolean;
  issuer: string;
  clientId: string;
  adminGroups: string;
  editorGroups: string;
  only: boolean;
}

const schema = z.strictObject({
  enabled: z.boolean(),
  issuer: z.union([z.literal(""), z.url({ protocol: /^https?$/, error: "må være en http(s)-adresse" }).max(500)]),
  clientId: z.string().trim().max(500),
  clientSecret: z.string().max(2_000),
  adminGroups: z.string().max(4_000),
  editorGroups: z.string().max(4_000),
  only: z.boolean(),
});

export function oidcFormValues(body: FormBody): OidcFormValues {
  return {
    enabled: one(body, "enabled") === "true",
    issuer: one(body, "issuer").trim().replace(/\/+$/, ""),
    clientId: one(body, "clientId").trim(),
    adminGroups: one(body, "adminGroups"),
    editorGroups: one(body, "editorGroups"),
    only: one(body, "only") === "true",
  };
}

/**
 * Parses the admin page's form. An empty secret keeps the one saved before.
 * Switched on, everything the sign-in needs must be there; switched off, what
 * was typed is kept for later.
 */
export function parseOidcForm(
  body: FormBody,
  previousSecret: string | undefined,
  allowHttp: boolean,
): FormResult<OidcSettings & { enabled: boolean }> {
  const values = oidcFormValues(body);
  const parsed = parseForm(schema, { ...values, clientSecret: one(body, "clientSecret") });
  if (!parsed.ok) return parsed;
  const d = parsed.data;
  const settings = {
    enabled: d.enabled,
    issuer: d.issuer,
    clientId: d.clientId,
    clientSecret: d.clientSecret || previousSecret || "",
    adminGroups: splitGroups(d.adminGroups),
    editorGroups: splitGroups(d.editorGroups),
    only: d.only,
  };
  if (!d.enabled) return { ok: true, data: settings };
  const errors: FormErrors = {};
  for (const p of oidcProblems(settings, allowHttp)) errors[p.key === "groups" ? "adminGroups" : p.key] = p.message;
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, data: settings };
}
