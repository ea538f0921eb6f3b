import { formatDate } from "../format.ts";
import { html, type Html } from "../../core/html.ts";
import { layout } from "../layout.ts";
import { t } from "../texts.ts";
import type { Chrome } from "./chrome.ts";

/** A participating municipality and its figures, as the list and its own page show them. */
export interface ParticipantSummary {
  readonly id: string;
  readonly name: string;
  readonly fylke: string | null;
  readonly actorUrl: string;
  /** Published projects. */
  readonly projects: number;
  /** Its published projects that imitate another project. */
  readonly imitationsMade: number;
  /** Published imitations (by anyone) of its projects. */
  readonly timesImitated: number;
  /** Set while the national instance cannot reach it. */
  readonly unreachableSince: Date | null;
}

export interface MunicipalityListProps {
  readonly chrome: Chrome;
  readonly participants: readonly ParticipantSummary[];
}

export const municipalityPath = (id: string) => `/kommuner/${id}`;

/** `/kommuner`: every participating municipality with its projects and imitations. */
export function municipalityListPage({ chrome, participants }: MunicipalityListProps): Html {
  const p = t.participants;
  return layout({
    ...chrome,
    title: p.title,
    current: "municipalities",
    description: p.intro,
    body: html`<h1>${p.title}</h1>
<p class="lead">${p.intro}</p>
${participants.length === 0
  ? html`<p>${p.empty}</p>`
  : html`<table class="stack-on-phone">
<caption class="visually-hidden">${p.title}</caption>
<thead><tr><th scope="col">${p.name}</th><th scope="col">${p.fylke}</th><th scope="col" class="num">${p.projects}</th><th scope="col" class="num">${p.imitationsMade}</th><th scope="col" class="num">${p.timesImitated}</th></tr></thead>
<tbody>${participants.map(
  (m) => html`<tr><th scope="row"><a href="${municipalityPath(m.id)}">${m.name}</a>${m.unreachableSince ? html`<br><span class="muted">${p.unreachable(formatDate(m.unreachableSince))}</span>` : ""}</th><td data-label="${p.fylke}">${m.fylke ?? "–"}</td>
<td class="num" data-label="${p.projects}">${m.projects}</td><td class="num" data-label="${p.imitationsMade}">${m.imitationsMade}</td><td class="num" data-label="${p.timesImitated}">${m.timesImitated}</td></tr>`,
)}</tbody></table>`}
<p><a href="/oversikt">${p.toOverview}</a></p>`,
  });
}
