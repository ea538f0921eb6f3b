import type { Account } from "../db/schema.ts";
import { html, type Html } from "./html.ts";
import { t } from "./texts.ts";

export interface LayoutProps {
  readonly title: string;
  readonly body: Html;
  readonly account?: Account;
  readonly description?: string;
}

/** The page shell every view renders into: language, skip link, header, main, footer. */
export function layout({ title, body, description }: LayoutProps): Html {
  return html`<!doctype html>
<html lang="nb">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} – ${t.productName}</title>
${description ? html`<meta name="description" content="${description}">` : ""}
<link rel="stylesheet" href="/static/site.css">
</head>
<body>
<a class="skip" href="#innhold">Hopp til innholdet</a>
<header class="site-header"><a href="/" class="brand">${t.productName}</a></header>
<main id="innhold">${body}</main>
</body>
</html>`;
}
