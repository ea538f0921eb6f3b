// Ideas (improvement proposals) and idea competitions: states, who sent them,
// what a form may hold, and the measure "share of ideas put to use". Pure.
import { z } from "zod";
import { plainString } from "./text.ts";
import { serviceAreas } from "./taxonomies.ts";

/** The answers staff give an idea, in the order an idea usually moves. */
export const ideaStates = ["mottatt", "under_vurdering", "tatt_videre", "avslatt", "blitt_prosjekt", "tatt_i_bruk"] as const;
export type IdeaState = (typeof ideaStates)[number];

export const ideaStateLabels: Record<IdeaState, string> = {
  mottatt: "Mottatt",
  under_vurdering: "Under vurdering",
  tatt_videre: "Tatt videre",
  avslatt: "Avslått",
  blitt_prosjekt: "Blitt prosjekt",
  tatt_i_bruk: "Tatt i bruk",
};

/** Public submissions wait for moderation; staff ideas are approved at once. */
export const moderationStates = ["pending", "approved", "rejected", "spam"] as const;
export type ModerationState = (typeof moderationStates)[number];

/** Staff of this municipality, the public, or staff of another municipality (over ActivityPub). */
export type IdeaOrigin = "staff" | "public" | "remote";

export interface ChallengeCriterion {
  name: string;
  description: string;
}
