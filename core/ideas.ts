// Ideas (improvement proposals) and idea competitions: states, who sent them,
// what a form may hold, and the measure "share of ideas put to use". Pure.
import { z } from "zod";
import { plainString } from "./text.ts";
import { serviceAreas } from "./taxonomies.ts";
import { isMailAddress } from "./mail-address.ts";

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

/** States staff may set by hand; "tatt i bruk" also follows from the project the idea became. */
export const answerStates = ["under_vurdering", "tatt_videre", "avslatt", "blitt_prosjekt", "tatt_i_bruk"] as const;

export const ideaLimits = { title: 200, problem: 5_000, proposal: 10_000, name: 200, reason: 2_000 } as const;

/** One line: a name that could start a new e-mail header is refused here already. */
const oneLine = (max: number) =>
  plainString()
    .trim()
    .max(max)
    .refine((s) => !/[\r\n<>"]/.test(s), { error: "kan ikke inneholde linjeskift, anførselstegn eller < >" });

const serviceAreaSlugs = serviceAreas.map((s) => s.slug) as [string, ...string[]];

/** What anyone sends: the problem, the idea, the service area; who they are only if they want. */
export const ideaFormSchema = z.strictObject({
  title: plainString().trim().min(1, { error: "kan ikke være tom" }).max(ideaLimits.title),
  problem: plainString().trim().min(1, { error: "kan ikke være tom" }).max(ideaLimits.problem),
  proposal: plainString().trim().min(1, { error: "kan ikke være tom" }).max(ideaLimits.proposal),
  serviceArea: z.union([z.literal(""), z.enum(serviceAreaSlugs)]).transform((v) => (v === "" ? null : v)),
  submitterName: oneLine(ideaLimits.name).transform((v) => (v === "" ? null : v)),
  submitterEmail: z
    .string()
    .trim()
    .max(254)
    .refine((s) => s === "" || isMailAddress(s), {
      error: "må være en gyldig e-postadresse",
    })
    .transform((v) => (v === "" ? null : v.toLowerCase())),
  showName: z.boolean(),
});
export type IdeaInput = z.output<typeof ideaFormSchema>;

export const stateChangeSchema = z.strictObject({
  state: z.enum(answerStates, { error: "velg en ny status" }),
  reason: plainString().trim().min(1, { error: "skriv en begrunnelse som vises offentlig" }).max(ideaLimits.reason),
  projectUrl: z.string().trim().max(2_000),
});

const day = 24 * 60 * 60 * 1000;

/**
 * A challenge takes submissions from its opening day through the whole of its
 * closing day (whole UTC days; Europe/Oslo is close enough): they end a day
 * after `closesAt`. The one place that rule is written.
 */
export function submissionsEnd(closesAt: Date): Date {
  return new Date(closesAt.getTime() + day);
}

/** The closing day of a period whose submissions end at `end` (the inverse of submissionsEnd). */
export function closingDay(end: Date): Date {
  return new Date(end.getTime() - day);
}

export function challengeIsOpen(c: { opensAt: Date; closesAt: Date }, now = new Date()): boolean {
  return now >= c.opensAt && now < submissionsEnd(c.closesAt);
}

export const challengeFormSchema = z
  .strictObject({
    title: plainString().trim().min(1, { error: "kan ikke være tom" }).max(200),
    problem: plainString().trim().min(1, { error: "kan ikke være tom" }).max(10_000),
    eligibility: plainString().trim().min(1, { error: "skriv hvem som kan delta" }).max(1_000),
    opensAt: z.iso.date({ error: "må være en dato (åååå-mm-dd)" }),
    closesAt: z.iso.date({ error: "må være en dato (åååå-mm-dd)" }),
    criteria: z
      .array(z.strictObject({ name: plainString().trim().min(1).max(200), description: plainString().trim().max(1_000) }))
      .min(1, { error: "skriv minst ett kriterium" })
      .max(10),
    prizes: plainString().trim().max(2_000),
    scaleMax: z.coerce.number({ error: "må være et tall" }).int().min(2, { error: "må være fra 2 til 10" }).max(10, { error: "må være fra 2 til 10" }),
    openToOthers: z.boolean(),
  })
  .refine((c) => c.closesAt > c.opensAt, { path: ["closesAt"], error: "må være etter åpningsdatoen" });
export type ChallengeInput = z.output<typeof challengeFormSchema>;

/** An idea as the measure reads it. */
export interface MeasuredIdea {
  createdAt: Date;
  serviceArea: string | null;
  answeredAt: Date | null;
  projectAt: Date | null;
  inUseAt: Date | null;
}

export interface IdeaMeasureRow {
  period: string;
  serviceArea: string | null;
  received: number;
  answeredWithin30Days: number;
  becameProjects: number;
  putToUse: number;
  /** Put to use ÷ received, 0–1. */
  shareInUse: number;
  /** Median days from received to first answer, to project, from project to use; null when none. */
  medianDaysToAnswer: number | null;
  medianDaysToProject: number | null;
  medianDaysToUse: number | null;
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  const m = s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
  return Math.round(m * 10) / 10;
}

/** The year (Europe/Oslo) an idea was received in: the period of the measure. */
export function periodOf(date: Date): string {
  return new Intl.DateTimeFormat("en-CA", { year: "numeric", timeZone: "Europe/Oslo" }).format(date);
}

/**
 * Asker's measure: per period (year received) and service area, ideas
 * received, answered within 30 days, became projects, put to use, the share
 * put to use, and the median days each step took. Rows sorted by period
 * (newest first), then service area; a row with `serviceArea` null counts
 * the ideas without one.
 */
export function ideaMeasure(ideas: readonly MeasuredIdea[]): IdeaMeasureRow[] {
  const groups = new Map<string, MeasuredIdea[]>();
  for (const idea of ideas) {
    const key = `${periodOf(idea.createdAt)}\u0000${idea.serviceArea ?? ""}`;
    groups.set(key, [...(groups.get(key) ?? []), idea]);
  }
  const rows: IdeaMeasureRow[] = [];
  for (const [key, list] of groups) {
    const [period, area] = key.split("\u0000");
    const received = list.length;
    const putToUse = list.filter((i) => i.inUseAt).length;
    rows.push({
      period,
      serviceArea: area === "" ? null : area,
      received,
      answeredWithin30Days: list.filter((i) => i.answeredAt && i.answeredAt.getTime() - i.createdAt.getTime() <= 30 * day).length,
      becameProjects: list.filter((i) => i.projectAt).length,
      putToUse,
      shareInUse: received === 0 ? 0 : putToUse / received,
      medianDaysToAnswer: median(list.filter((i) => i.answeredAt).map((i) => (i.answeredAt!.getTime() - i.createdAt.getTime()) / day)),
      medianDaysToProject: median(list.filter((i) => i.projectAt).map((i) => (i.projectAt!.getTime() - i.createdAt.getTime()) / day)),
      medianDaysToUse: median(list.filter((i) => i.inUseAt && i.projectAt).map((i) => (i.inUseAt!.getTime() - i.projectAt!.getTime()) / day)),
    });
  }
  return rows.sort((a, b) => b.period.localeCompare(a.period) || (a.serviceArea ?? "~").localeCompare(b.serviceArea ?? "~"));
}
