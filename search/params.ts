// The search request as the API and the search page accept it: every facet
// may repeat (?phase=drift&phase=skalering) or list values with commas.
import { z } from "zod";
import { fylker, type Region } from "../core/regions.ts";
import {
  innovationTypes,
  methods,
  n3Stages,
  phases,
  scales,
  serviceAreas,
  slugsOf,
  type Term,
} from "../core/taxonomies.ts";
import type { FacetName, SearchFilters } from "./backend.ts";
import { maxProblemLength } from "./problem.ts";

export const maxQueryLength = 500;
export const maxPage = 1_000;
export const maxPerPage = 50;

const listOf = (allowed: readonly string[] | RegExp, what: string) =>
  z
    .union([z.string(), z.array(z.string())], { error: "må være tekst" })
    .transform((v) => (Array.isArray(v) ? v : [v]).flatMap((s) => s.split(",")).map((s) => s.trim()).filter(Boolean))
    .pipe(
      z
        .array(
          Array.isArray(allowed)
            ? z.string().refine((s) => (allowed as readonly string[]).includes(s), { error: (i) => `ukjent ${what}: ${String(i.input).slice(0, 60)}` })
            : z.string().regex(allowed as RegExp, { error: (i) => `ugyldig ${what}: ${String(i.input).slice(0, 60)}` }),
        )
        .max(50, { error: "for mange verdier" }),
    )
    .optional();

const slugs = (list: readonly Term[]) => slugsOf(list) as string[];
const flag = z.enum(["true", "false"], { error: "må være true eller false" }).transform((v) => [v]).optional();

/** The schema of a search request; regions are configurable, so it is built per instance. */
export function searchParamsSchema(regions: readonly Region[]) {
  return z.strictObject({
    q: z
      .string({ error: "må være tekst" })
      .max(maxQueryLength, { error: `kan ha høyst ${maxQueryLength} tegn` })
      .default(""),
    scope: z.enum(["region", "fylke", "all"], { error: "må være region, fylke eller all" }).default("all"),
    page: z.coerce.number({ error: "må være et heltall" }).int({ error: "må være et heltall" })
      .min(1, { error: "må være minst 1" }).max(maxPage, { error: `kan være høyst ${maxPage}` }).default(1),
    perPage: z.coerce.number({ error: "må være et heltall" }).int({ error: "må være et heltall" })
      .min(1, { error: "må være minst 1" }).max(maxPerPage, { error: `kan være høyst ${maxPerPage}` }).default(20),
    municipality: listOf(/^(\d{4}|[a-z0-9_]{2,30})$/, "kommune (kommunenummer eller kortnavn)"),
    fylke: listOf(fylker.map((f) => f.slug), "fylke"),
    region: listOf(regions.map((r) => r.slug), "region"),
    serviceArea: listOf(slugs(serviceAreas), "tjenesteområde"),
    phase: listOf(slugs(phases), "fase"),
    innovationType: listOf(slugs(innovationTypes), "innovasjonstype"),
    scale: listOf(slugs(scales), "skala"),
    n3Stage: listOf(slugs(n3Stages), "N3-trinn"),
    method: listOf(slugs(methods), "metode"),
    seekingPartners: flag,
    imitated: flag,
  });
}

export type SearchParams = z.output<ReturnType<typeof searchParamsSchema>>;

/** Search by problem (`POST /api/v1/search/problem`): a description instead of `q`, the same scope, facets and paging. */
export function problemParamsSchema(regions: readonly Region[]) {
  return searchParamsSchema(regions)
    .omit({ q: true })
    .extend({
      text: z
        .string({ error: "må være tekst" })
        .max(maxProblemLength, { error: `kan ha høyst ${maxProblemLength} tegn` })
        .refine((t) => t.trim() !== "", { error: "kan ikke være tom" }),
    });
}

export function filtersOf(p: Omit<SearchParams, "q">): SearchFilters {
  const out: SearchFilters = {};
  const names: FacetName[] = [
    "municipality", "fylke", "region", "serviceArea", "phase", "innovationType", "scale", "n3Stage", "method",
    "seekingPartners", "imitated",
  ];
  for (const name of names) {
    const values = p[name];
    if (values?.length) out[name] = values;
  }
  return out;
}
