import { z } from "zod";
import { roles } from "../../core/rules.ts";
import { plainString } from "../../core/text.ts";
import { one, parseForm, type FormBody, type FormResult } from "./issues.ts";
import { t } from "../../web/texts.ts";

export const newAccountSchema = z.strictObject({
  name: plainString().trim().min(1).max(120),
  email: z.email({ error: t.form.email }).max(254),
  role: z.enum(roles),
  password: z.string().min(12, { error: t.form.tooShort(12) }).max(200),
});
export type NewAccountInput = z.output<typeof newAccountSchema>;

export function parseNewAccountForm(body: FormBody): FormResult<NewAccountInput> {
  return parseForm(newAccountSchema, {
    name: one(body, "name"),
    email: one(body, "email").trim(),
    role: one(body, "role"),
    password: one(body, "password"),
  });
}

export const roleSchema = z.strictObject({ role: z.enum(roles) });

export const tokenNameSchema = z.strictObject({ name: plainString().trim().min(1).max(100) });
