import { csrfField, errorSummary, hasErrors, textField, type FormErrors } from "../components/form-fields.ts";
import { html, type Html } from "../../core/html.ts";
import { layout } from "../layout.ts";
import { t } from "../texts.ts";
import { registerTexts } from "../page-texts.ts";
import type { SetupFormValues } from "../form-values.ts";
import type { Chrome } from "./chrome.ts";

export interface SetupPageProps {
  readonly chrome: Chrome & { readonly csrf: string };
  readonly values: Partial<SetupFormValues>;
  readonly errors?: FormErrors;
  /** Aggregator instances (KS) have no kommunenummer. */
  readonly kommunenummerRequired: boolean;
}

const labels: Record<string, string> = {
  name: t.setup.name,
  kommunenummer: t.profile.kommunenummer,
  fylke: t.profile.fylke,
  handle: t.setup.handle,
  adminName: t.setup.adminName,
  adminEmail: t.setup.adminEmail,
  adminPassword: t.setup.adminPassword,
  adminPasswordRepeat: t.setup.adminPasswordRepeat,
};

export function setupPage({ chrome, values, errors, kommunenummerRequired }: SetupPageProps): Html {
  const e = errors;
  return layout({
    ...chrome,
    title: e ? `${t.form.errorPrefix}${t.setup.title}` : t.setup.title,
    focusErrors: hasErrors(e),
    body: html`<div class="narrow">
<h1>${t.setup.title}</h1>
<p>${t.setup.intro}</p>
${errorSummary(e, (f) => labels[f] ?? f)}
<form method="post" action="/oppsett" novalidate>
${csrfField(chrome.csrf)}
<fieldset><legend>${t.setup.municipality}</legend>
${textField({ name: "name", label: t.setup.name, value: values.name, required: true, errors: e, autocomplete: "organization" })}
${textField({ name: "kommunenummer", label: t.profile.kommunenummer, value: values.kommunenummer, required: kommunenummerRequired, hint: registerTexts.kommunenummerHint, inputmode: "numeric", maxlength: 4, errors: e })}
${e?.fylke ? html`<p class="field-error" id="fylke">${t.profile.fylke}: ${e.fylke}</p>` : ""}
${textField({ name: "handle", label: t.setup.handle, value: values.handle, required: true, hint: t.setup.handleHint, errors: e })}
</fieldset>
<fieldset><legend>${t.setup.admin}</legend>
${textField({ name: "adminName", label: t.setup.adminName, value: values.adminName, required: true, autocomplete: "name", errors: e })}
${textField({ name: "adminEmail", label: t.setup.adminEmail, value: values.adminEmail, type: "email", required: true, autocomplete: "email", errors: e })}
${textField({ name: "adminPassword", label: t.setup.adminPassword, type: "password", required: true, hint: t.setup.adminPasswordHint, autocomplete: "new-password", errors: e })}
${textField({ name: "adminPasswordRepeat", label: t.setup.adminPasswordRepeat, type: "password", required: true, autocomplete: "new-password", errors: e })}
</fieldset>
<div class="actions"><button type="submit">${t.setup.submit}</button></div>
</form>
</div>`,
  });
}
