import type { MunicipalityProfile } from "../../core/municipality.ts";
import type { Project } from "../../core/project.ts";
import { projectCards } from "../components/project-card.ts";
import type { ImitationOriginView } from "../components/imitation-origin.ts";
import { html, type Html } from "../../core/html.ts";
import { layout } from "../layout.ts";
import { t } from "../texts.ts";
import { frontTexts as f } from "../page-texts.ts";
import type { Chrome } from "./chrome.ts";

export interface FrontPageProps {
  readonly chrome: Chrome;
  readonly municipality: Pick<MunicipalityProfile, "name">;
  /** Newest published projects of this municipality. */
  readonly newHere: readonly Project[];
  /** Newest projects from the municipalities this instance follows. */
  readonly newFollowed: readonly Project[];
  /** Projects that seek partner municipalities (none of those listed above). */
  readonly seeking: readonly Project[];
  /** The most imitated solutions, nearest first (none of those listed above). */
  readonly mostImitated: readonly Project[];
  /** The originals of the imitations listed, by project URL. */
  readonly origins?: ReadonlyMap<string, ImitationOriginView>;
}

/** The front page: the search box first, then what is new, who seeks partners, and what others copy. */
export function frontPage(props: FrontPageProps): Html {
  const { chrome, municipality, origins } = props;
  const section = (id: string, title: string, projects: readonly Project[], options: { intro?: string; empty?: string; more?: string }) =>
    projects.length === 0 && !options.empty
      ? html``
      : html`<section aria-labelledby="${id}" class="front-section">
<h2 id="${id}">${title}</h2>
${options.intro ? html`<p class="hint">${options.intro}</p>` : ""}
${projects.length > 0 ? projectCards(projects, 3, origins) : html`<p>${options.empty}</p>`}
${options.more && projects.length > 0 ? html`<p><a href="${options.more}">${f.more}<span class="visually-hidden">: ${title}</span></a></p>` : ""}
</section>`;
  return layout({
    ...chrome,
    title: t.front.title,
    description: t.tagline,
    body: html`<div class="hero">
<h1>${t.front.heading(municipality.name)}</h1>
<p class="lead">${t.front.intro}</p>
<form method="get" action="/sok" class="search-box front-search" role="search">
<label for="front-q">${f.searchLabel}</label>
<p class="hint" id="front-q-hint">${f.searchHint}</p>
<input type="search" id="front-q" name="q" maxlength="500" aria-describedby="front-q-hint">
<button type="submit">${f.search}</button>
</form>
</div>
<div class="columns">
${section("nytt-her", f.newHere, props.newHere, { empty: f.emptyHere, more: "/prosjekter?fra=var&sortering=nyeste" })}
${section("nytt-fulgte", f.newFollowed, props.newFollowed, { empty: f.emptyFollowed, more: "/prosjekter?fra=andre&sortering=nyeste" })}
</div>
<div class="columns">
${section("soker-partnere", f.seeking, props.seeking, { intro: f.seekingIntro, more: "/prosjekter?soker-partnere=ja" })}
${section("mest-imiterte", f.mostImitated, props.mostImitated, { intro: f.mostImitatedIntro, more: "/prosjekter?sortering=mest-imitert&imitert=ja" })}
</div>
<p><a class="button button-secondary" href="/prosjekter">${t.front.all}</a></p>`,
  });
}
