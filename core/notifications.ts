// Notifications: the kinds a staff member can switch on or off, how they hear
// (portal, e-mail at once, daily or weekly), and the one line that says why
// an item is there (stored with the notification, shown in the portal and in
// e-mail alike).
import { labelOf, n3Stages, phases, serviceAreas } from "./taxonomies.ts";

/** Where the items that concern a person directly (their ideas) are grouped. */
export const ownIdeasLabel = "Dine idéer";
/** Where the answers to the collaboration requests a person sent are grouped (when they do not follow the project). */
export const ownRequestsLabel = "Dine forespørsler om samarbeid";

export const notificationKinds = [
  { slug: "new-project", label: "Nye prosjekter som passer det du følger" },
  { slug: "phase", label: "Et prosjekt du følger går til ny fase eller nytt N3-trinn" },
  { slug: "benefits", label: "Et prosjekt du følger melder realiserte gevinster" },
  { slug: "imitated", label: "Et prosjekt du følger blir imitert" },
  { slug: "seeking-partners", label: "Et prosjekt du følger søker samarbeidspartnere" },
  { slug: "collaboration", label: "Forespørsler om samarbeid og svar på dem" },
  { slug: "idea", label: "En idé du har sendt inn får ny status" },
] as const;
export type NotificationKind = (typeof notificationKinds)[number]["slug"];
export const notificationKindSlugs = notificationKinds.map((k) => k.slug) as NotificationKind[];

export const deliveries = [
  { slug: "immediate", label: "Med en gang (samlet, høyst én e-post hvert kvarter)" },
  { slug: "daily", label: "Daglig sammendrag" },
  { slug: "weekly", label: "Ukentlig sammendrag" },
  { slug: "none", label: "Ingen e-post, bare her i portalen" },
] as const;
export type Delivery = (typeof deliveries)[number]["slug"];

export const subscriptionKinds = ["service-area", "project", "municipality", "search"] as const;
export type SubscriptionKind = (typeof subscriptionKinds)[number];
/** What each kind of follow is called where items are grouped ("Tjenesteområde: Helse og omsorg"). */
export const subscriptionKindLabels: Record<SubscriptionKind, string> = {
  "service-area": "Tjenesteområde",
  project: "Prosjekt",
  municipality: "Kommune",
  search: "Søk",
};

/** How many things one person may follow. */
export const maxSubscriptions = 200;

/** What a follow of a service area is called. */
export function serviceAreaLabel(slug: string): string {
  return labelOf(serviceAreas, slug);
}

/** The one line that says why an item is there. */
export const reasons = {
  newInArea: (area: string, municipality: string) => `Nytt prosjekt innen ${area} fra ${municipality}.`,
  newFromMunicipality: (municipality: string) => `${municipality} har publisert et nytt prosjekt.`,
  newForSearch: (label: string) => `Nytt prosjekt som passer søket ditt: ${label}.`,
  phase: (from: string, to: string) => `Fasen er endret fra ${labelOf(phases, from)} til ${labelOf(phases, to)}.`,
  n3: (from: string | null, to: string | null) =>
    `N3-trinnet er endret${from ? ` fra ${labelOf(n3Stages, from)}` : ""} til ${to ? labelOf(n3Stages, to) : "ikke satt"}.`,
  benefits: (n: number) => (n === 1 ? "Har meldt en realisert gevinst." : `Har nå ${n} realiserte gevinster.`),
  imitated: (by: string, copy: string) => `${by} har imitert prosjektet («${copy}»).`,
  seekingPartners: () => "Søker nå samarbeidspartnere.",
  collaborationReceived: (from: string) => `${from} ber om å få bli med i prosjektet.`,
  collaborationDecided: (from: string, accepted: boolean) =>
    `Forespørselen fra ${from} om å bli med er ${accepted ? "godtatt" : "avslått"}.`,
  collaborationRequested: (from: string) => `${from} har bedt om å få bli med i prosjektet.`,
  collaborationAnswered: (owner: string, accepted: boolean) =>
    `${owner} har ${accepted ? "godtatt" : "avslått"} forespørselen vår om å bli med i prosjektet.`,
  idea: (state: string, reason: string) => `Idéen din har fått ny status: ${state}. ${reason}`,
} as const;

/** Control characters (CR, LF, …) never reach a mail header or a one-line text: they become spaces. */
export function oneLine(text: string, max = 200): string {
  // eslint-disable-next-line no-control-regex
  const flat = text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, " ").replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
