import { Temporal as Polyfill } from "@js-temporal/polyfill";

/** Fedify's types name the global Temporal, which Node 24 lacks at run time; the polyfill stands in. */
export function instant(date: Date): Temporal.Instant {
  return Polyfill.Instant.fromEpochMilliseconds(date.getTime()) as unknown as Temporal.Instant;
}
