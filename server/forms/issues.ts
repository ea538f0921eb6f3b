import type { z } from "zod";
import { t } from "../../web/texts.ts";

import type { FormErrors } from "../../web/components/form-fields.ts";

/** Field path → message, the shape every form view shows next to its fields. */
export type { FormErrors };

/**
 * Bokmål messages for zod's built-in checks. Messages written into a schema
 * (`{ error: "…" }`) take precedence over this map, so they are kept as they are.
 */
export const bokmalErrors: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case "too_small":
      if (issue.origin === "string" && issue.input === "") return t.form.required;
      if (issue.origin === "string") return Number(issue.minimum) <= 1 ? t.form.required : t.form.tooShort(Number(issue.minimum));
      return t.form.invalid;
    case "too_big":
      if (issue.origin === "string") return t.form.tooLong(Number(issue.maximum));
      if (issue.origin === "array") return t.form.tooMany(Number(issue.maximum));
      return t.form.invalid;
    case "invalid_value":
      return t.form.invalidChoice;
    case "invalid_type":
      return issue.input === undefined ? t.form.required : t.form.invalid;
    case "invalid_format":
      if (issue.format === "email") return t.form.email;
      if (issue.format === "url") return t.form.url;
      if (issue.format === "date") return t.form.date;
      return t.form.invalid;
    case "unrecognized_keys":
      return t.form.unknownField;
    default:
      return t.form.invalid;
  }
};

/** The first message per field; unknown keys are named one by one. */
export function formErrors(error: z.ZodError, renamePath: (path: PropertyKey[]) => PropertyKey[] = (p) => p): FormErrors {
  const out: FormErrors = {};
  for (const issue of error.issues) {
    const path = renamePath(issue.path).map(String).join(".");
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) out[path ? `${path}.${key}` : key] ??= t.form.unknownField;
    } else {
      out[path || "_form"] ??= issue.message;
    }
  }
  return out;
}

export type FormResult<T> = { ok: true; data: T } | { ok: false; errors: FormErrors };

export function parseForm<S extends z.ZodType>(
  schema: S,
  input: unknown,
  renamePath?: (path: PropertyKey[]) => PropertyKey[],
): FormResult<z.output<S>> {
  const result = schema.safeParse(input, { error: bokmalErrors });
  return result.success ? { ok: true, data: result.data } : { ok: false, errors: formErrors(result.error, renamePath) };
}

/** A urlencoded body as Express gives it (`extended: false`): repeated keys become arrays. */
export type FormBody = Record<string, string | string[] | undefined>;

export function one(body: FormBody | undefined, key: string): string {
  const v = body?.[key];
  return (Array.isArray(v) ? v[v.length - 1] : v) ?? "";
}

export function many(body: FormBody | undefined, key: string): string[] {
  const v = body?.[key];
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

/** Empty text means "not given". */
export function orNull(value: string): string | null {
  return value.trim() === "" ? null : value;
}
