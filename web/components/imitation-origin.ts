import { html, type Html } from "../../core/html.ts";
import { safeHttpUrl } from "../format.ts";
import { pt } from "../page-texts.ts";

/** The project an imitation copies, as a card, a search hit or a page names it. */
export interface ImitationOriginView {
  readonly title: string;
  readonly municipalityName: string;
  /** A path on this instance, or the original's own http(s) URL. */
  readonly href: string;
}

/** "Imitasjon av «Tittel» fra Kommune", linking to the original where it can be read. */
export function imitationOriginLabel(origin: ImitationOriginView, className = "imitation-of"): Html {
  const href = origin.href.startsWith("/") ? origin.href : safeHttpUrl(origin.href);
  const title = origin.title ? `«${origin.title}»` : pt.imitation.unknownOriginal;
  const named = href ? html`<a href="${href}">${title}</a>` : html`${title}`;
  return html`<p class="${className}">${pt.imitation.of} ${named}${origin.municipalityName ? html` ${pt.imitation.from} ${origin.municipalityName}` : ""}</p>`;
}
