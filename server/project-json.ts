import type { Project } from "../core/project.ts";
import type { ImitationLink } from "../db/schema.ts";

/** A project as the JSON API shows it. Field names follow the domain; dates are ISO strings. */
export function projectJson(p: Project, imitations: readonly ImitationLink[] = []) {
  return {
    id: p.id,
    url: p.url,
    slug: p.slug,
    local: p.local,
    published: p.published,
    title: p.title,
    summary: p.summary,
    description: p.description,
    descriptionHtml: p.descriptionHtml,
    floke: p.floke,
    behov: p.behov,
    phase: p.phase,
    n3Stage: p.n3Stage,
    innovationTypes: p.innovationTypes,
    scale: p.scale,
    serviceAreas: p.serviceAreas,
    strategicAreas: p.strategicAreas,
    municipalRoles: p.municipalRoles,
    plannedBenefits: p.plannedBenefits,
    realisedBenefits: p.realisedBenefits,
    partners: p.partners,
    funding: p.funding,
    methods: p.methods,
    contacts: p.contacts,
    lessons: p.lessons,
    lessonsFailed: p.lessonsFailed,
    risk: p.risk,
    cost: p.cost,
    seekingPartners: p.seekingPartners,
    startDate: p.startDate,
    endDate: p.endDate,
    imitationOf: p.imitationOf,
    adaptation: p.adaptation,
    imitatedBy: imitations.map((l) => ({
      id: l.copyUrl,
      title: l.copyTitle,
      phase: l.copyPhase,
      municipality: {
        name: l.copyMunicipalityName,
        kommunenummer: l.copyKommunenummer,
        fylke: l.copyFylke,
        actorUrl: l.copyMunicipalityActorUrl,
      },
    })),
    imitationCount: new Set(imitations.map((l) => l.copyMunicipalityActorUrl)).size,
    municipality: {
      name: p.municipality.name,
      kommunenummer: p.municipality.kommunenummer,
      fylke: p.municipality.fylke,
      handle: p.municipality.handle,
      actorUrl: p.municipality.actorUrl,
    },
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
    publishedAt: p.publishedAt?.toISOString() ?? null,
  };
}
export type ProjectJson = ReturnType<typeof projectJson>;
