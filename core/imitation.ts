import type { Benefit, Project, ProjectContent } from "./project.ts";

/**
 * What an imitation starts from: the original's texts and classifications as
 * a starting point. Contact persons, dates, phase, realised benefits, lessons,
 * partners, funding and the original's own strategic areas belong to the
 * original municipality and are left for the imitator to fill in.
 */
export function imitationStartingPoint(original: Project): ProjectContent {
  return {
    title: original.title,
    summary: original.summary,
    description: original.description,
    floke: original.floke,
    behov: original.behov,
    phase: "forstaelse",
    n3Stage: "nytt",
    innovationTypes: [...original.innovationTypes],
    scale: original.scale,
    serviceAreas: [...original.serviceAreas],
    strategicAreas: [],
    municipalRoles: [...original.municipalRoles],
    plannedBenefits: original.plannedBenefits.map((b) => ({ ...b })),
    realisedBenefits: [],
    partners: [],
    funding: [],
    methods: [...original.methods],
    contacts: [],
    lessons: "",
    lessonsFailed: "",
    risk: original.risk,
    cost: original.cost,
    seekingPartners: false,
    startDate: null,
    endDate: null,
    adaptation: "",
  };
}

/** An imitation may be published only once it says what was adapted. */
export function missingAdaptation(p: Pick<Project, "imitationOf" | "adaptation">, publishing: boolean): boolean {
  return publishing && p.imitationOf !== null && p.adaptation.trim() === "";
}

/** Would linking `copyUrl` under `originalUrl` close a loop, given the known ancestry of the original? */
export function closesCycle(copyUrl: string, originalUrl: string, ancestorsOfOriginal: readonly string[]): boolean {
  return originalUrl === copyUrl || ancestorsOfOriginal.includes(copyUrl);
}

/** One project in a lineage, as pages and the API show it. */
export interface LineageNode {
  url: string;
  title: string;
  municipalityName: string;
  phase: string | null;
  /** Where to read it: a page here when this instance holds it, else its own URL. */
  href: string;
  depth: number;
}

export interface Lineage {
  /** Original first, the direct parent last. */
  ancestors: LineageNode[];
  /** Every known imitation below, nearest first. */
  descendants: LineageNode[];
}

/** What an adopting municipality reports back about its copy. */
export interface AdopterReport {
  url: string;
  title: string;
  phase: string;
  href: string;
  municipality: { name: string; kommunenummer: string | null; fylke: string | null; actorUrl: string };
  realisedBenefits: Benefit[];
  lessons: string;
  lessonsFailed: string;
  adaptation: string;
}
