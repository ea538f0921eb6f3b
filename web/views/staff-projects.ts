import type { Project } from "../../core/project.ts";
import { labelOf, phases } from "../../core/taxonomies.ts";
import { csrfField, notice } from "../components/form-fields.ts";
import { pagination } from "../components/pagination.ts";
import { projectPath } from "../../core/urls.ts";
import { formatDateTime, isoDate } from "../format.ts";
import { html, type Html } from "../../core/html.ts";
import { layout } from "../layout.ts";
import { t } from "../texts.ts";
import type { Chrome } from "./chrome.ts";
import type { ProjectListPage } from "./project-list.ts";

export interface StaffProjectsProps {
  readonly chrome: Chrome;
  readonly result: ProjectListPage;
  readonly notice?: string;
}

export function staffProjectsPage({ chrome, result, notice: message }: StaffProjectsProps): Html {
  const pages = Math.max(1, Math.ceil(result.total / result.perPage));
  return layout({
    ...chrome,
    title: t.staff.projectsTitle,
    current: "mine",
    body: html`<h1>${t.staff.projectsTitle}</h1>
${notice(message)}
<p>${t.staff.projectsIntro}</p>
<p><a class="button" href="/admin/prosjekter/ny">${t.nav.newProject}</a></p>
${result.items.length === 0
  ? html`<p>${t.staff.none}</p>`
  : html`<div class="table-scroll"><table class="staff-table">
<caption class="visually-hidden">${t.staff.projectsTitle}</caption>
<thead><tr><th scope="col">${t.fields.title}</th><th scope="col">${t.staff.status}</th><th scope="col">${t.fields.phase}</th><th scope="col">${t.list.updatedAt}</th><th scope="col">${t.staff.actions}</th></tr></thead>
<tbody>${result.items.map(
  (p) => html`<tr><td><a href="${projectPath(p)}">${p.title}</a></td><td>${p.published ? t.staff.statusPublished : html`<span class="tag tag-draft">${t.staff.statusDraft}</span>`}</td><td>${labelOf(phases, p.phase)}</td><td><time datetime="${isoDate(p.updatedAt)}">${formatDateTime(p.updatedAt)}</time></td><td><a href="/admin/prosjekter/${p.id}/rediger">${t.staff.edit}<span class="visually-hidden"> ${p.title}</span></a></td></tr>`,
)}</tbody></table></div>`}
${pagination({ page: result.page, pages, href: (n) => `/admin/prosjekter?side=${n}` })}`,
  });
}

export interface ConfirmDeleteProps {
  readonly chrome: Chrome & { readonly csrf: string };
  readonly project: Project;
}

export function confirmDeletePage({ chrome, project }: ConfirmDeleteProps): Html {
  return layout({
    ...chrome,
    title: t.staff.deleteTitle(project.title),
    current: "mine",
    body: html`<h1>${t.staff.deleteTitle(project.title)}</h1>
<p>${t.staff.deleteWarning}</p>
<form method="post" action="/admin/prosjekter/${project.id}/slett" class="actions">
${csrfField(chrome.csrf)}
<button type="submit" class="button-danger">${t.staff.deleteConfirm}</button>
<a href="/admin/prosjekter/${project.id}/rediger">${t.form.cancel}</a>
</form>`,
  });
}
