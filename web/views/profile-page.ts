import type { MunicipalityProfile } from "../../core/municipality.ts";
import type { Project } from "../../core/project.ts";
import { projectCards } from "../components/project-card.ts";
import type { ImitationOriginView } from "../components/imitation-origin.ts";
import { paragraphs } from "../components/paragraphs.ts";
import { safeHttpUrl } from "../format.ts";
import { html, type Html } from "../../core/html.ts";
import { feedPath, layout } from "../layout.ts";
import { profileTexts } from "../page-texts.ts";
import { t } from "../texts.ts";
import type { Chrome } from "./chrome.ts";

export interface ProfilePageProps {
  readonly chrome: Chrome;
  readonly municipality: MunicipalityProfile;
  readonly projects: readonly Project[];
  readonly total: number;
  /** The originals of the imitations listed, by project URL. */
  readonly origins?: ReadonlyMap<string, ImitationOriginView>;
  /** The national (KS) instance: how many municipalities it follows, instead of projects of its own. */
  readonly national?: { readonly participants: number };
  /** The fediverse address to follow, `@handle@domain`. */
  readonly address?: string;
}

function fact(label: string, value: Html | string | null | undefined): Html {
  return value ? html`<div class="fact"><dt>${label}</dt><dd>${value}</dd></div>` : html``;
}

function followSection(address: string | undefined): Html {
  return html`<section aria-labelledby="folg" class="follow-box"><h2 id="folg">${profileTexts.follow}</h2>
<p>${profileTexts.followIntro}</p>
<ul>${address ? html`<li>${profileTexts.fediverse(address)}</li>` : ""}<li><a href="${feedPath}">${profileTexts.feed}</a></li></ul>
</section>`;
}

/** The national instance's profile: what it is and whom it follows; it publishes no projects, and has no county. */
function nationalProfile({ chrome, municipality: m, national }: ProfilePageProps & { national: { participants: number } }): Html {
  const website = safeHttpUrl(m.website);
  return layout({
    ...chrome,
    title: m.name,
    description: profileTexts.nationalIntro,
    current: "about",
    body: html`${safeHttpUrl(m.logoUrl) ? html`<img class="logo" src="${safeHttpUrl(m.logoUrl)}" alt="${t.profile.logoAlt(m.name)}">` : ""}
<h1>${m.name}</h1>
<p class="lead">${profileTexts.nationalIntro}</p>
${m.description ? html`<div class="prose">${paragraphs(m.description)}</div>` : ""}
${website ? html`<p><a href="${website}" rel="me noopener">${website}</a></p>` : ""}
<p><strong>${profileTexts.participants(national.participants)}.</strong></p>
<ul class="action-list"><li><a class="button" href="/kommuner">${profileTexts.toMunicipalities}</a></li><li><a class="button button-secondary" href="/">${profileTexts.toOverview}</a></li></ul>`,
  });
}

export function profilePage(props: ProfilePageProps): Html {
  const { chrome, municipality: m, projects, total, origins, national } = props;
  if (national) return nationalProfile({ ...props, national });
  const website = safeHttpUrl(m.website);
  return layout({
    ...chrome,
    title: m.name,
    description: m.description ? m.description.slice(0, 300) : undefined,
    current: "about",
    body: html`${safeHttpUrl(m.logoUrl) ? html`<img class="logo" src="${safeHttpUrl(m.logoUrl)}" alt="${t.profile.logoAlt(m.name)}">` : ""}
<h1>${m.name}</h1>
<dl class="facts">
${fact(t.profile.kommunenummer, m.kommunenummer)}
${fact(t.profile.fylke, m.fylke)}
${fact(t.profile.region, m.region)}
${fact(t.profile.website, website && html`<a href="${website}" rel="me noopener">${website}</a>`)}
</dl>
${m.description ? html`<div class="prose">${paragraphs(m.description)}</div>` : ""}
${m.strategicAreas.length > 0
  ? html`<section aria-labelledby="omrader"><h2 id="omrader">${t.profile.strategicAreas}</h2>
<ul class="tags">${m.strategicAreas.map((a) => html`<li class="tag"><a href="/prosjekter?strategisk-omrade=${a.slug}">${a.label}</a></li>`)}</ul></section>`
  : ""}
<section aria-labelledby="prosjekter"><h2 id="prosjekter">${t.profile.projects} (${total})</h2>
${projects.length > 0 ? projectCards(projects, 3, origins) : html`<p>${t.profile.noProjects}</p>`}
${total > projects.length ? html`<p><a href="/prosjekter?fra=var">${t.front.all}</a></p>` : ""}
</section>
${followSection(props.address)}`,
  });
}
