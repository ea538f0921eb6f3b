import { z } from "zod";
import { phases, serviceAreas, slugsOf } from "./taxonomies.ts";

/** Filters and paging for project lists, shared by the HTML list and the JSON API. */
export const projectQueryShape = {
  page: z.coerce.number({ error: "må være et heltall" }).int().min(1).max(10_000).default(1),
  perPage: z.coerce.number({ error: "må være et heltall" }).int().min(1).max(100).default(20),
  phase: z.enum(slugsOf(phases)).optional(),
  serviceArea: z.enum(slugsOf(serviceAreas)).optional(),
  strategicArea: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, { error: "ugyldig strategisk område" }).optional(),
  seekingPartners: z.enum(["true", "false"], { error: "må være true eller false" }).transform((v) => v === "true").optional(),
  imitated: z.enum(["true", "false"], { error: "må være true eller false" }).transform((v) => v === "true").optional(),
  isImitation: z.enum(["true", "false"], { error: "må være true eller false" }).transform((v) => v === "true").optional(),
  origin: z.enum(["local", "remote", "all"]).default("all"),
  order: z.enum(["updated", "newest", "imitations"]).default("updated"),
};

export const projectQuerySchema = z.strictObject(projectQueryShape);
export type ProjectQuery = z.output<typeof projectQuerySchema>;
