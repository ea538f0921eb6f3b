import type { ProfileFormValues } from "../form-values.ts";
import { adminNav } from "../components/admin-nav.ts";
import { checkbox, csrfField, errorSummary, fieldId, hasErrors, notice, textArea, textField, type FormErrors } from "../components/form-fields.ts";
import { mt } from "../media-texts.ts";
import { html, type Html } from "../../core/html.ts";
import { layout } from "../layout.ts";
import { t } from "../texts.ts";
import { registerTexts } from "../page-texts.ts";
import type { Chrome } from "./chrome.ts";

export interface AdminProfileProps {
  readonly chrome: Chrome & { readonly csrf: string };
  readonly values: ProfileFormValues;
  readonly errors?: FormErrors;
  readonly notice?: string;
  /** The actor's pictures, links, visibility and pinned projects: forms of their own, after the profile form. */
  readonly fediverse?: AdminFediverseView;
}

export interface AdminPictureView {
  readonly url: string;
  readonly name: string;
  readonly width: number | null;
  readonly height: number | null;
}

export interface AdminFediverseView {
  readonly icon?: AdminPictureView;
  readonly header?: AdminPictureView;
  readonly links: readonly { readonly label: string; readonly url: string }[];
  readonly maxLinks: number;
  readonly discoverable: boolean;
  readonly indexable: boolean;
  readonly projects: readonly { readonly id: string; readonly title: string; readonly pinned: boolean }[];
  readonly maxFeatured: number;
  /** By field: icon, iconAlt, header, headerAlt, links.N.label, links.N.url, featured. */
  readonly errors?: FormErrors;
  /** What was typed in a refused form. */
  readonly values?: Readonly<Record<string, string>>;
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

export function adminProfilePage({ chrome, values, errors: e, notice: message, fediverse }: AdminProfileProps): Html {
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
${textField({ name: "kommunenummer", label: t.profile.kommunenummer, value: values.kommunenummer, required: !chrome.aggregator, hint: registerTexts.kommunenummerHint, inputmode: "numeric", maxlength: 4, errors: e })}
${e?.fylke ? html`<p class="field-error" id="fylke">${e.fylke}</p>` : values.fylke ? html`<p><strong>${t.profile.fylke}:</strong> ${values.fylke} <span class="muted">${registerTexts.fylkeDerived}</span></p>` : ""}
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
</form>
${fediverse ? fediverseSections(chrome.csrf, fediverse) : ""}`,
  });
}

function pictureForm(csrf: string, slot: "icon" | "header", f: AdminFediverseView): Html {
  const picture = f[slot];
  const e = f.errors ?? {};
  const label = slot === "icon" ? mt.icon : mt.header;
  const id = fieldId(slot);
  const altName = `${slot}Alt`;
  const altId = fieldId(altName);
  return html`<div class="profile-picture">
<h3>${label}</h3>
${picture
  ? html`<p>${mt.currentPicture}:</p><img class="profile-picture-${slot}" src="${picture.url}" alt="${picture.name}"${picture.width ? html` width="${picture.width}" height="${picture.height}"` : ""}>
<form method="post" action="/admin/kommune/bilder/${slot}/slett" class="stack-form">${csrfField(csrf)}<button type="submit" class="button-secondary">${mt.removePicture}</button></form>`
  : html`<p>${mt.noPicture}</p>`}
<form method="post" action="/admin/kommune/bilder" enctype="multipart/form-data" novalidate>
${csrfField(csrf)}<input type="hidden" name="slot" value="${slot}">
<div class="field${e[slot] ? " has-error" : ""}">
<label for="${id}">${mt.file}</label>
<p class="hint" id="${id}-hint">${slot === "icon" ? mt.iconHint : mt.headerHint}</p>
${e[slot] ? html`<p class="field-error" id="${id}-feil"><span class="visually-hidden">${t.form.errorPrefix}</span>${e[slot]}</p>` : ""}
<input type="file" id="${id}" name="file" accept="image/jpeg,image/png,image/webp,image/gif" required aria-describedby="${id}-hint${e[slot] ? ` ${id}-feil` : ""}"${e[slot] ? html` aria-invalid="true"` : ""}>
</div>
${textField({ name: altName, label: mt.pictureAlt, value: f.values?.[altName] ?? picture?.name ?? "", hint: mt.pictureAltHint, errors: e })}
<div class="actions"><button type="submit">${mt.upload}</button></div>
</form>
</div>`;
}

function fediverseSections(csrf: string, f: AdminFediverseView): Html {
  const e = f.errors ?? {};
  const rows = Array.from({ length: f.maxLinks }, (_, i) => ({
    label: f.values?.[`links.${i}.label`] ?? f.links[i]?.label ?? "",
    url: f.values?.[`links.${i}.url`] ?? f.links[i]?.url ?? "",
  }));
  const linkErrors = Object.keys(e).filter((k) => k.startsWith("links."));
  const pinned = f.projects.filter((p) => p.pinned).length;
  return html`${f.notice ? html`<p class="notice" role="status" id="fodiverset">${f.notice}</p>` : ""}
<section class="form-section" aria-labelledby="bilder-tittel">
<h2 id="bilder-tittel">${mt.picturesTitle}</h2>
<p class="hint">${mt.picturesIntro}</p>
${errorSummary(Object.fromEntries(Object.entries(e).filter(([k]) => /^(icon|header)/.test(k))), pictureLabel)}
<div class="profile-pictures">${pictureForm(csrf, "icon", f)}${pictureForm(csrf, "header", f)}</div>
</section>
<section class="form-section" aria-labelledby="lenker-tittel">
<h2 id="lenker-tittel">${mt.linksTitle}</h2>
<p class="hint">${mt.linksIntro}</p>
${errorSummary(Object.fromEntries(linkErrors.map((k) => [k, e[k]])), linkLabel)}
<form method="post" action="/admin/kommune/fodiverset" novalidate>
${csrfField(csrf)}
${rows.map(
  (r, i) => html`<div class="two-columns">
${textField({ name: `links.${i}.label`, label: linkLabel(`links.${i}.label`), value: r.label, errors: e, plain: true })}
${textField({ name: `links.${i}.url`, label: linkLabel(`links.${i}.url`), value: r.url, type: "url", errors: e, plain: true })}
</div>`,
)}
<fieldset class="field"><legend>${mt.visibilityTitle}</legend>
<p class="hint">${mt.discoverableHint} ${mt.indexableHint}</p>
${checkbox({ name: "discoverable", label: mt.discoverable, checked: f.discoverable })}
${checkbox({ name: "indexable", label: mt.indexable, checked: f.indexable })}
</fieldset>
<div class="actions"><button type="submit">${mt.saveSettings}</button></div>
</form>
</section>
<section class="form-section" aria-labelledby="festet-tittel">
<h2 id="festet-tittel">${mt.featuredTitle}</h2>
<p class="hint">${mt.featuredIntro(f.maxFeatured)}</p>
${e.featured ? html`<p class="field-error" role="alert" id="${fieldId("featured")}">${e.featured}</p>` : ""}
${f.projects.length === 0
  ? html`<p>${mt.noProjects}</p>`
  : html`<ul class="pin-list">${f.projects.map(
      (p) => html`<li><span>${p.title}${p.pinned ? html` <strong class="pin-mark">(${mt.pinned})</strong>` : ""}</span>
<form method="post" action="/admin/kommune/festet" class="inline-form">${csrfField(csrf)}<input type="hidden" name="projectId" value="${p.id}"><input type="hidden" name="action" value="${p.pinned ? "unpin" : "pin"}">
<button type="submit" class="button-secondary" aria-label="${p.pinned ? mt.unpinLabel(p.title) : mt.pinLabel(p.title)}"${!p.pinned && pinned >= f.maxFeatured ? html` disabled` : ""}>${p.pinned ? mt.unpin : mt.pin}</button></form></li>`,
    )}</ul>`}
</section>`;
}

function pictureLabel(field: string): string {
  if (field === "iconAlt" || field === "headerAlt") return `${field === "iconAlt" ? mt.icon : mt.header}, ${mt.pictureAlt.toLowerCase()}`;
  return field === "icon" ? mt.icon : mt.header;
}

function linkLabel(path: string): string {
  const [, index, sub] = path.split(".");
  return `${mt.linkRow(Number(index) + 1)}, ${(sub === "label" ? mt.linkLabel : mt.linkUrl).toLowerCase()}`;
}
