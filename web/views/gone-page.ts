import { html, type Html } from "../../core/html.ts";
import { formatDate } from "../format.ts";
import { layout } from "../layout.ts";
import { t } from "../texts.ts";
import type { Chrome } from "./chrome.ts";

export interface GonePageProps {
  readonly chrome: Chrome;
  readonly title: string;
  readonly municipalityName: string;
  readonly deletedAt: Date;
}

/** What a person sees at the URL of a deleted project (sent with 410 Gone). */
export function gonePage({ chrome, title, municipalityName, deletedAt }: GonePageProps): Html {
  return layout({
    ...chrome,
    title: t.errors.gone,
    current: "projects",
    head: html`<meta name="robots" content="noindex">`,
    body: html`<h1>${t.errors.gone}</h1>
<p>${t.errors.goneBody(title, municipalityName)}</p>
<p class="muted">${t.errors.goneWhen(formatDate(deletedAt))}</p>
<p>${t.errors.goneHint}</p>
<ul class="footer-links"><li><a href="/prosjekter">${t.errors.toList}</a></li><li><a href="/sok">${t.errors.toSearch}</a></li><li><a href="/">${t.errors.toFront}</a></li></ul>`,
  });
}
