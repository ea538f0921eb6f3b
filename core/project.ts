import { z } from "zod";
import {
  benefitKinds,
  fundingSources,
  innovationTypes,
  methods,
  municipalRoles,
  n3Stages,
  partnerTypes,
  phases,
  scales,
  serviceAreas,
  slugsOf,
} from "./taxonomies.ts";
import { plainString } from "./text.ts";

export const limits = {
  title: 200,
  summary: 1_000,
  markdown: 50_000,
  text: 10_000,
  listItems: 50,
  name: 200,
} as const;

const text = (max: number = limits.text) => plainString().trim().max(max);
const optionalText = (max: number = limits.text) => text(max).nullable().optional();
const isoDate = z.iso.date({ error: "må være en dato på formen ÅÅÅÅ-MM-DD" });
const strategicAreaSlug = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, {
  error: "må være en slug med små bokstaver, tall og bindestrek",
});

export const benefitSchema = z.strictObject({
  kind: z.enum(slugsOf(benefitKinds)),
  description: text(2_000).min(1),
});

export const partnerSchema = z.strictObject({
  type: z.enum(slugsOf(partnerTypes)),
  name: text(limits.name).min(1),
});

export const contactSchema = z.strictObject({
  name: text(limits.name).min(1),
  role: text(limits.name).optional().default(""),
  email: z.email({ error: "må være en gyldig e-postadresse" }).max(254).optional().or(z.literal("")).default(""),
});

const list = <T extends z.ZodType>(item: T) => z.array(item).max(limits.listItems);

/** Every field a staff member may set on a project, all optional. */
const projectFieldShape = {
  title: text(limits.title).min(1, { error: "kan ikke være tom" }),
  summary: text(limits.summary).min(1, { error: "kan ikke være tom" }),
  description: text(limits.markdown),
  floke: text(),
  behov: text(),
  phase: z.enum(slugsOf(phases)),
  n3Stage: z.enum(slugsOf(n3Stages)).nullable(),
  innovationTypes: list(z.enum(slugsOf(innovationTypes))),
  scale: z.enum(slugsOf(scales)).nullable(),
  serviceAreas: list(z.enum(slugsOf(serviceAreas))),
  strategicAreas: list(strategicAreaSlug),
  municipalRoles: list(z.enum(slugsOf(municipalRoles))),
  plannedBenefits: list(benefitSchema),
  realisedBenefits: list(benefitSchema),
  partners: list(partnerSchema),
  funding: list(z.enum(slugsOf(fundingSources))),
  methods: list(z.enum(slugsOf(methods))),
  contacts: list(contactSchema),
  lessons: text(),
  lessonsFailed: text(),
  risk: text(),
  cost: text(),
  seekingPartners: z.boolean(),
  startDate: isoDate.nullable(),
  endDate: isoDate.nullable(),
  adaptation: text(),
  published: z.boolean(),
};

const datesInOrder = (p: { startDate?: string | null; endDate?: string | null }) =>
  !p.startDate || !p.endDate || p.startDate <= p.endDate;
const datesError = { error: "sluttdato kan ikke være før startdato", path: ["endDate"] };

/** POST body: title, summary and phase are required; the rest may be filled in later. */
export const projectCreateSchema = z
  .strictObject({
    ...partialShape(),
    title: projectFieldShape.title,
    summary: projectFieldShape.summary,
    phase: projectFieldShape.phase,
  })
  .refine(datesInOrder, datesError);

/** PATCH body: any subset of the fields. */
export const projectPatchSchema = z
  .strictObject(partialShape())
  .refine(datesInOrder, datesError);

function partialShape() {
  const shape = projectFieldShape;
  return {
    title: shape.title.optional(),
    summary: shape.summary.optional(),
    description: shape.description.optional(),
    floke: shape.floke.optional(),
    behov: shape.behov.optional(),
    phase: shape.phase.optional(),
    n3Stage: shape.n3Stage.optional(),
    innovationTypes: shape.innovationTypes.optional(),
    scale: shape.scale.optional(),
    serviceAreas: shape.serviceAreas.optional(),
    strategicAreas: shape.strategicAreas.optional(),
    municipalRoles: shape.municipalRoles.optional(),
    plannedBenefits: shape.plannedBenefits.optional(),
    realisedBenefits: shape.realisedBenefits.optional(),
    partners: shape.partners.optional(),
    funding: shape.funding.optional(),
    methods: shape.methods.optional(),
    contacts: shape.contacts.optional(),
    lessons: shape.lessons.optional(),
    lessonsFailed: shape.lessonsFailed.optional(),
    risk: shape.risk.optional(),
    cost: shape.cost.optional(),
    seekingPartners: shape.seekingPartners.optional(),
    startDate: shape.startDate.optional(),
    endDate: shape.endDate.optional(),
    adaptation: shape.adaptation.optional(),
    published: shape.published.optional(),
  };
}

export type ProjectCreate = z.output<typeof projectCreateSchema>;
export type ProjectPatch = z.output<typeof projectPatchSchema>;
export type Benefit = z.output<typeof benefitSchema>;
export type Partner = z.output<typeof partnerSchema>;
export type Contact = z.output<typeof contactSchema>;

/** The content of a project: every field, with defaults filled in. */
export interface ProjectContent {
  title: string;
  summary: string;
  description: string;
  floke: string;
  behov: string;
  phase: ProjectCreate["phase"];
  n3Stage: NonNullable<ProjectPatch["n3Stage"]> | null;
  innovationTypes: NonNullable<ProjectPatch["innovationTypes"]>;
  scale: NonNullable<ProjectPatch["scale"]> | null;
  serviceAreas: NonNullable<ProjectPatch["serviceAreas"]>;
  strategicAreas: string[];
  municipalRoles: NonNullable<ProjectPatch["municipalRoles"]>;
  plannedBenefits: Benefit[];
  realisedBenefits: Benefit[];
  partners: Partner[];
  funding: NonNullable<ProjectPatch["funding"]>;
  methods: NonNullable<ProjectPatch["methods"]>;
  contacts: Contact[];
  lessons: string;
  lessonsFailed: string;
  risk: string;
  cost: string;
  seekingPartners: boolean;
  startDate: string | null;
  endDate: string | null;
  /** For an imitation: what was changed from the original, and why. */
  adaptation: string;
}

export function emptyContent(
  required: Pick<ProjectContent, "title" | "summary" | "phase">,
): ProjectContent {
  return {
    ...required,
    description: "",
    floke: "",
    behov: "",
    n3Stage: null,
    innovationTypes: [],
    scale: null,
    serviceAreas: [],
    strategicAreas: [],
    municipalRoles: [],
    plannedBenefits: [],
    realisedBenefits: [],
    partners: [],
    funding: [],
    methods: [],
    contacts: [],
    lessons: "",
    lessonsFailed: "",
    risk: "",
    cost: "",
    seekingPartners: false,
    startDate: null,
    endDate: null,
    adaptation: "",
  };
}

export interface MunicipalityRef {
  name: string;
  kommunenummer: string | null;
  fylke: string | null;
  handle: string;
  /** The municipality's ActivityPub actor URL. */
  actorUrl: string;
}

/** A project as the rest of the system sees it, local or received from a peer. */
export interface Project extends ProjectContent {
  id: string;
  slug: string;
  /** Canonical public page; also the ActivityPub id. */
  url: string;
  local: boolean;
  published: boolean;
  descriptionHtml: string;
  /** The URL (ActivityPub id) of the project this one imitates, or null. */
  imitationOf: string | null;
  municipality: MunicipalityRef;
  createdAt: Date;
  updatedAt: Date;
  publishedAt: Date | null;
}

/** Names of the content fields, in the order forms and histories show them. */
export const contentFields = Object.keys(projectFieldShape).filter(
  (k) => k !== "published",
) as (keyof ProjectContent)[];
