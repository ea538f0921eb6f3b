import { html, type Html } from "../../core/html.ts";
import { t } from "../texts.ts";

export interface PaginationProps {
  readonly page: number;
  readonly pages: number;
  /** The URL of another page, keeping the current filters. */
  readonly href: (page: number) => string;
}

export function pagination({ page, pages, href }: PaginationProps): Html {
  if (pages <= 1) return html``;
  return html`<nav class="pagination" aria-label="${t.list.pagination}">
${page > 1 ? html`<a href="${href(page - 1)}" rel="prev">${t.list.previous}</a>` : ""}
<span>${t.list.pageOf(page, pages)}</span>
${page < pages ? html`<a href="${href(page + 1)}" rel="next">${t.list.next}</a>` : ""}
</nav>`;
}
