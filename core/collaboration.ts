import { z } from "zod";
import { plainString } from "./text.ts";

/** What a municipality writes when it asks to join a project that seeks partners. */
export const collaborationRequestSchema = z.strictObject({
  message: plainString().trim().min(1, { error: "kan ikke være tom" }).max(2_000),
  contactName: plainString().trim().min(1, { error: "kan ikke være tom" }).max(200),
  contactEmail: z.email({ error: "må være en gyldig e-postadresse" }).max(254),
});
export type CollaborationRequestInput = z.output<typeof collaborationRequestSchema>;
