import { html, type Html } from "../../core/html.ts";
import { csrfField, fieldId, type FormErrors } from "./form-fields.ts";
import { mt } from "../media-texts.ts";
import { t } from "../texts.ts";
import type { MediaItemView } from "./project-media.ts";

export interface MediaUploadProps {
  readonly csrf: string;
  /** Where the forms post: `/admin/prosjekter/<id>`. */
  readonly base: string;
  readonly items: readonly MediaItemView[];
  readonly errors?: FormErrors;
  /** What was typed into a refused form. */
  readonly values?: { readonly alt?: string; readonly url?: string; readonly title?: string };
  readonly notice?: string;
}

const labels: Record<string, string> = { file: mt.file, alt: mt.alt, url: mt.url, title: mt.title };

/** Ids of their own: this section sits on the project form's page, whose "title" field is f-title already. */
const mediaFieldId = (name: string) => fieldId(`vedlegg-${name}`);

/** The file field (the form fields in form-fields.ts take text). */
function fileInput(name: string, label: string, hint: string, accept: string, error?: string): Html {
  const id = mediaFieldId(name);
  const described = [`${id}-hint`, error ? `${id}-feil` : ""].filter(Boolean).join(" ");
  return html`<div class="field${error ? " has-error" : ""}">
<label for="${id}">${label}</label>
<p class="hint" id="${id}-hint">${hint}</p>
${error ? html`<p class="field-error" id="${id}-feil"><span class="visually-hidden">${t.form.errorPrefix}</span>${error}</p>` : ""}
<input type="file" id="${id}" name="${name}" accept="${accept}" required aria-describedby="${described}"${error ? html` aria-invalid="true"` : ""}>
</div>`;
}

function textInput(name: string, label: string, value: string, opts: { hint?: string; error?: string; type?: string; max: number }): Html {
  const id = mediaFieldId(name);
  const described = [opts.hint ? `${id}-hint` : "", opts.error ? `${id}-feil` : ""].filter(Boolean).join(" ");
  return html`<div class="field${opts.error ? " has-error" : ""}">
<label for="${id}">${label}</label>
${opts.hint ? html`<p class="hint" id="${id}-hint">${opts.hint}</p>` : ""}
${opts.error ? html`<p class="field-error" id="${id}-feil"><span class="visually-hidden">${t.form.errorPrefix}</span>${opts.error}</p>` : ""}
<input type="${opts.type ?? "text"}" id="${id}" name="${name}" value="${value}" maxlength="${opts.max}"${described ? html` aria-describedby="${described}"` : ""}${opts.error ? html` aria-invalid="true"` : ""}>
</div>`;
}

function currentItems(p: MediaUploadProps): Html {
  if (p.items.length === 0) return html`<p>${mt.none}</p>`;
  return html`<ul class="media-admin-list">${p.items.map(
    (item) => html`<li>
${item.kind === "image" ? html`<img src="${item.url}" alt="" width="96" height="${item.width && item.height ? Math.round((96 * item.height) / item.width) : 72}" loading="lazy">` : ""}
<span class="media-admin-text"><span class="media-kind">${mt.kinds[item.kind]}</span> ${item.kind === "image" ? item.name : html`<a href="${item.url}">${item.name}</a>`}</span>
<form method="post" action="${p.base}/vedlegg/${item.id}/slett" class="inline-form">${csrfField(p.csrf)}<button type="submit" class="button-secondary" aria-label="${mt.removeLabel(item.name)}">${mt.remove}</button></form>
</li>`,
  )}</ul>`;
}

/**
 * The edit page's section for pictures, PDF reports and video links: forms of
 * their own (the upload is multipart), outside the project form, so an upload
 * never submits or loses what is typed there, and the other way round.
 */
export function mediaUpload(p: MediaUploadProps): Html {
  const e = p.errors ?? {};
  const fileErrors = ["file", "alt"].filter((f) => e[f]);
  const linkErrors = ["url", "title"].filter((f) => e[f]);
  const summary = (fields: string[]) =>
    fields.length === 0
      ? ""
      : html`<div class="error-summary" role="alert" tabindex="-1"><h3>${mt.refused}</h3><ul>${fields.map(
          (f) => html`<li><a href="#${mediaFieldId(f)}">${labels[f]}: ${e[f]}</a></li>`,
        )}</ul></div>`;
  return html`<section class="form-section media-upload" id="vedlegg" aria-labelledby="vedlegg-tittel">
<h2 id="vedlegg-tittel">${mt.section}</h2>
<p class="hint">${mt.sectionIntro}</p>
${p.notice ? html`<p class="notice" role="status">${p.notice}</p>` : ""}
<h3>${mt.current}</h3>
${currentItems(p)}
<form method="post" action="${p.base}/vedlegg" enctype="multipart/form-data" novalidate>
<h3>${mt.uploadTitle}</h3>
${summary(fileErrors)}
${csrfField(p.csrf)}
${fileInput("file", mt.file, mt.fileHint, "image/jpeg,image/png,image/webp,image/gif,application/pdf,.jpg,.jpeg,.png,.webp,.gif,.pdf", e.file)}
${textInput("alt", mt.alt, p.values?.alt ?? "", { hint: mt.altHint, error: e.alt, max: 1500 })}
<div class="actions"><button type="submit">${mt.upload}</button></div>
</form>
<form method="post" action="${p.base}/lenker" novalidate>
<h3>${mt.linkTitle}</h3>
${summary(linkErrors)}
${csrfField(p.csrf)}
${textInput("url", mt.url, p.values?.url ?? "", { hint: mt.urlHint, error: e.url, type: "url", max: 2000 })}
${textInput("title", mt.title, p.values?.title ?? "", { error: e.title, max: 200 })}
<div class="actions"><button type="submit" class="button-secondary">${mt.addLink}</button></div>
</form>
</section>`;
}
