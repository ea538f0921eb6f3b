import type { ProfileFormValues } from "../form-values.ts";
import { adminNav } from "../components/admin-nav.ts";
import { csrfField, errorSummary, hasErrors, notice, textArea, textField, type FormErrors } from "../components/form-fields.ts";
import { html, type Html } from "../../core/html.ts";
import { layout } from "../layout.ts";
import { t } from "../texts.ts";
import type { Chrome } from "./chrome.ts";

export interface AdminProfileProps {
  readonly chrome: Chrome & { readonly csrf: string };
  readonly values: ProfileFormValues;
  readonly errors?: FormErrors;
  readonly notice?: string;
}

const labels: Record<string, string> = {
  name: t.setup.name,
  kommunenummer: t.profile.kommunenummer,
  fylke: t.profile.fylke,
  region: t.profile.region,
  website: t.profile.website,
  logoUrl: t.admin.logoUrl,
  description: t.admin.description,
};

export function adminFieldLabel(path: string): string {
  const [field, index, sub] = path.split(".");
  if (field === "strategicAreas" && index !== undefined) {
    return `${t.admin.areasTitle} ${Number(index) + 1}, ${(sub === "slug" ? t.admin.areaSlug : t.admin.areaLabel).toLowerCase()}`;
  }
  return labels[field] ?? field;
}

export function adminProfilePage({ chrome, values, errors: e, notice: message }: AdminProfileProps): Html {
  // Filled rows plus three empty ones; trailing blank rows of a returned form are not counted.
  let filled = values.strategicAreas.length;
  while (filled > 0 && !values.strategicAreas[filled - 1].label.trim() && !values.strategicAreas[filled - 1].slug.trim()) filled--;
  const rows = Array.from({ length: Math.min(30, filled + 3) }, (_, i) => values.strategicAreas[i] ?? { slug: "", label: "" });
  return layout({
    ...chrome,
    title: e ? `${t.form.errorPrefix}${t.admin.profileTitle}` : t.admin.profileTitle,
    focusErrors: hasErrors(e),
    current: "admin",
    body: html`<h1>${t.admin.title}</h1>
${adminNav("profile")}
<h2>${t.admin.profileTitle}</h2>
${notice(message)}
${errorSummary(e, adminFieldLabel)}
<form method="post" action="/admin/kommune" novalidate>
${csrfField(chrome.csrf)}
${textField({ name: "name", label: t.setup.name, value: values.name, required: true, errors: e })}
${textField({ name: "kommunenummer", label: t.profile.kommunenummer, value: values.kommunenummer, hint: t.setup.kommunenummerHint, inputmode: "numeric", maxlength: 4, errors: e })}
${textField({ name: "fylke", label: t.profile.fylke, value: values.fylke, errors: e })}
${textField({ name: "region", label: t.profile.region, value: values.region, hint: t.admin.regionHint, errors: e })}
${textField({ name: "website", label: t.profile.website, value: values.website, type: "url", errors: e })}
${textField({ name: "logoUrl", label: t.admin.logoUrl, value: values.logoUrl, type: "url", errors: e })}
${textArea({ name: "description", label: t.admin.description, value: values.description, rows: 6, errors: e })}
<fieldset class="field"><legend>${t.admin.areasTitle}</legend>
<p class="hint">${t.admin.areasHint}</p>
${rows.map(
  (a, i) => html`<div class="two-columns">
${textField({ name: `strategicAreas.${i}.label`, label: `${t.admin.areaLabel} ${i + 1}`, value: a.label, errors: e, plain: true })}
${textField({ name: `strategicAreas.${i}.slug`, label: `${t.admin.areaSlug} ${i + 1}`, value: a.slug, errors: e, plain: true })}
</div>`,
)}
</fieldset>
<div class="actions"><button type="submit">${t.form.save}</button></div>
</form>`,
  });
}
