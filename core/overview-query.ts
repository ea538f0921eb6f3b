import { z } from "zod";
import { defaultRegions, fylker } from "./regions.ts";
import { serviceAreas, slugsOf } from "./taxonomies.ts";

const isoDate = z.iso.date({ error: "må være en dato på formen ÅÅÅÅ-MM-DD" });

/** Filters of the national overview, shared by its page and its API. */
export const overviewQuerySchema = z.strictObject({
  fylke: z.enum(fylker.map((f) => f.slug) as [string, ...string[]], { error: "ukjent fylke" }).optional(),
  region: z.enum(defaultRegions.map((r) => r.slug) as [string, ...string[]], { error: "ukjent region" }).optional(),
  serviceArea: z.enum(slugsOf(serviceAreas)).optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
});
export type OverviewQuery = z.output<typeof overviewQuerySchema>;
