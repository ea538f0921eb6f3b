import type { MunicipalityProfile } from "../../core/municipality.ts";
import type { Project } from "../../core/project.ts";
import { Html, html } from "../../core/html.ts";
import { t } from "../texts.ts";

export interface AtomFeedProps {
  readonly origin: string;
  readonly municipality: Pick<MunicipalityProfile, "name" | "actorUrl" | "updatedAt">;
  readonly projects: readonly Project[];
  /** A feed of one service area (server/routes/feed.ts): its title, and its own and its HTML list's paths. */
  readonly area?: { readonly label: string; readonly selfPath: string; readonly htmlPath: string };
}

// What XML 1.0 forbids anywhere in a document, even escaped: C0 controls but
// tab and line breaks, lone surrogates, U+FFFE and U+FFFF.
const notXmlChar = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/**
 * An Atom 1.0 document; the html template's escaping is also correct XML
 * escaping. Characters XML cannot hold are dropped, whatever a stored text
 * (a peer's, or one saved before input was checked) carries.
 */
export function atomFeed(props: AtomFeedProps): Html {
  return new Html(feedDocument(props).value.replace(notXmlChar, ""));
}

function feedDocument({ origin, municipality, projects, area }: AtomFeedProps): Html {
  const updated = projects.reduce((max, p) => (p.updatedAt > max ? p.updatedAt : max), municipality.updatedAt);
  const self = `${origin}${area?.selfPath ?? "/prosjekter.atom"}`;
  return html`<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="nb">
<id>${self}</id>
<title>${area ? `${area.label} – ${municipality.name}` : t.front.heading(municipality.name)}</title>
<subtitle>${t.tagline}</subtitle>
<link rel="self" type="application/atom+xml" href="${self}"/>
<link rel="alternate" type="text/html" href="${origin}${area?.htmlPath ?? "/prosjekter"}"/>
<updated>${updated.toISOString()}</updated>
<author><name>${municipality.name}</name><uri>${municipality.actorUrl}</uri></author>
<generator>${t.productName}</generator>
${projects.map(
  (p) => html`<entry>
<id>${p.url}</id>
<title>${p.title}</title>
<link rel="alternate" type="text/html" href="${p.url}"/>
<published>${(p.publishedAt ?? p.createdAt).toISOString()}</published>
<updated>${p.updatedAt.toISOString()}</updated>
<summary>${p.summary}</summary>
${p.descriptionHtml ? html`<content type="html">${p.descriptionHtml}</content>` : ""}
</entry>`,
)}
</feed>
`;
}
