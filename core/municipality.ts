import { z } from "zod";
import { handlePattern, kommunenummerPattern } from "./rules.ts";
import { plainString } from "./text.ts";

export const strategicAreaSchema = z.strictObject({
  slug: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, { error: "må være en slug med små bokstaver, tall og bindestrek" }),
  label: plainString().trim().min(1).max(100),
});
export type StrategicArea = z.output<typeof strategicAreaSchema>;

export const instanceRoles = ["municipality", "aggregator"] as const;
export type InstanceRole = (typeof instanceRoles)[number];

/** The profile an administrator sets up and edits. */
export const profileSchema = z.strictObject({
  name: plainString().trim().min(2, { error: "må ha minst 2 tegn" }).max(120),
  kommunenummer: z
    .string()
    .trim()
    .regex(kommunenummerPattern, { error: "må være fire sifre" })
    .nullable()
    .optional(),
  fylke: plainString().trim().max(60).nullable().optional(),
  region: plainString().trim().max(60).nullable().optional(),
  website: z.url({ protocol: /^https?$/, error: "må være en http(s)-adresse" }).max(300).nullable().optional().or(z.literal("")),
  logoUrl: z.url({ protocol: /^https?$/, error: "må være en http(s)-adresse" }).max(300).nullable().optional().or(z.literal("")),
  description: plainString().trim().max(5_000).optional(),
  strategicAreas: z.array(strategicAreaSchema).max(30).optional(),
});
export type ProfileInput = z.output<typeof profileSchema>;

export const setupSchema = z.strictObject({
  name: profileSchema.shape.name,
  kommunenummer: profileSchema.shape.kommunenummer,
  fylke: profileSchema.shape.fylke,
  handle: z.string().trim().toLowerCase().regex(handlePattern, {
    error: "må være 2–30 tegn: små bokstaver, tall og _",
  }),
  adminEmail: z.email({ error: "må være en gyldig e-postadresse" }).max(254),
  adminName: plainString().trim().min(1).max(120).optional(),
  adminPassword: z.string().min(12, { error: "må ha minst 12 tegn" }).max(200),
});
export type SetupInput = z.output<typeof setupSchema>;

/** Fredrikstad's own focus areas, offered as a starting point on setup. */
export const exampleStrategicAreas: StrategicArea[] = [
  { slug: "smidig-organisasjon", label: "Smidig organisasjon" },
  { slug: "samskapende-kommune", label: "Samskapende kommune" },
  { slug: "smart-kommune", label: "Smart kommune" },
  { slug: "gront-skifte", label: "Grønt skifte" },
  { slug: "helse-i-alt", label: "Helse i alt" },
];

/** A municipality's public profile: its page, the feed and every page's header show it. */
export interface MunicipalityProfile {
  readonly name: string;
  readonly handle: string;
  readonly actorUrl: string;
  readonly kommunenummer: string | null;
  readonly fylke: string | null;
  readonly region: string | null;
  readonly website: string | null;
  readonly logoUrl: string | null;
  readonly description: string;
  readonly strategicAreas: readonly StrategicArea[];
  readonly updatedAt: Date;
}
