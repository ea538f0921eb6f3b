import { z } from "zod";

/**
 * How the instance's actor presents itself to the fediverse beyond the
 * municipality's profile: links shown as profile fields, and Mastodon's
 * `discoverable` and `indexable` choices.
 *
 * Defaults: both on. A municipality's innovation work is public information
 * meant to be found and reused, so a new instance may be suggested in
 * directories (`discoverable`) and its posts found by full-text search
 * (`indexable`); an administrator can turn either off on the profile page.
 */
export interface ActorProfileSettings {
  discoverable: boolean;
  indexable: boolean;
  links: ProfileLink[];
}

export interface ProfileLink {
  label: string;
  url: string;
}

export const defaultActorProfile: ActorProfileSettings = { discoverable: true, indexable: true, links: [] };

/** Profile links beside Nettsted, Kommunenummer and Fylke (Mastodon shows a handful of fields). */
export const maxProfileLinks = 4;

/** Projects an administrator may pin to the featured collection (Mastodon shows pinned posts first). */
export const maxFeaturedProjects = 5;

const linkSchema = z.object({
  label: z.string().trim().min(1, "må fylles ut").max(60, "høyst 60 tegn"),
  url: z
    .string()
    .trim()
    .max(300, "høyst 300 tegn")
    .refine((v) => /^(https:\/\/[^\s/?#]+\.[^\s]+|mailto:[^\s@]+@[^\s@]+\.[^\s@]+)$/i.test(v) && URL.canParse(v), {
      message: "må være en https://-adresse eller mailto:e-post",
    }),
});

export const actorProfileSchema = z.object({
  discoverable: z.boolean(),
  indexable: z.boolean(),
  links: z.array(linkSchema).max(maxProfileLinks, `høyst ${maxProfileLinks} lenker`),
});

/** A stored value read back: anything missing or malformed takes the default. */
export function readActorProfile(stored: unknown): ActorProfileSettings {
  const parsed = actorProfileSchema.safeParse({ ...defaultActorProfile, ...(typeof stored === "object" && stored ? stored : {}) });
  return parsed.success ? parsed.data : defaultActorProfile;
}
