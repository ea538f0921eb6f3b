import type { SignedIn } from "../../core/staff-account.ts";
import { html, type Html } from "../../core/html.ts";
import { layout } from "../layout.ts";
import { t } from "../texts.ts";

export interface ErrorPageProps {
  readonly status: number;
  readonly message: string;
  readonly fields?: readonly { field: string; message: string }[];
  readonly account?: SignedIn;
  /** The municipality's name and handle for the header, when the page knows them. */
  readonly siteName?: string;
  readonly siteHandle?: string;
  readonly aggregator?: boolean;
}

const explanations: Record<number, string> = {
  403: t.errors.forbiddenBody,
  404: t.errors.notFoundBody,
  500: t.errors.serverBody,
};

export function errorPage({ status, message, fields = [], account, siteName, siteHandle, aggregator }: ErrorPageProps): Html {
  return layout({
    title: message,
    account,
    siteName,
    siteHandle,
    aggregator,
    body: html`<h1>${message}</h1>
${explanations[status] ? html`<p>${explanations[status]}</p>` : ""}
${fields.length > 0 ? html`<ul class="error-list">${fields.map((f) => html`<li><strong>${f.field}</strong>: ${f.message}</li>`)}</ul>` : ""}
<p class="muted">${t.errors.code(status)}</p>
<ul class="footer-links"><li><a href="/">${t.errors.toFront}</a></li><li><a href="/prosjekter">${t.errors.toList}</a></li></ul>`,
  });
}
