// National idea figures on the national (KS) instance: what each followed
// municipality publishes at /ideer/tall.json (counts per year and service
// area, never an idea), read through the guarded fetch and added up.
import { z } from "zod";
import type { Db } from "../db/client.ts";
import { listFollows } from "../db/follows.ts";
import type { IdeaMeasureRow } from "../core/ideas.ts";
import { eachLimited } from "./each-limited.ts";
import { fetchActivityJson, type NetworkSettings } from "./fetch-guard.ts";

const count = z.number().int().min(0).max(10_000_000);
const published = z.object({
  rows: z
    .array(
      z.object({
        period: z.string().regex(/^\d{4}$/),
        serviceArea: z.string().max(100).nullable(),
        received: count,
        answeredWithin30Days: count,
        becameProjects: count,
        putToUse: count,
      }),
    )
    .max(2_000),
});

export interface NationalIdeaCounts {
  /** Summed per period and service area; the medians cannot be added up, so they are null. */
  rows: IdeaMeasureRow[];
  /** Municipalities whose figures are in the sum, and those that could not be read. */
  read: string[];
  unreadable: string[];
}

const cacheMs = 10 * 60_000;
let cached: { at: number; key: Db; value: NationalIdeaCounts } | undefined;

/** Reads and adds up every followed municipality's published counts; kept for ten minutes. */
export async function nationalIdeaCounts(app: { db: Db; config: NetworkSettings }, now = Date.now()): Promise<NationalIdeaCounts> {
  if (cached && cached.key === app.db && now - cached.at < cacheMs) return cached.value;
  const follows = (await listFollows(app.db)).filter((f) => f.status === "accepted");
  const read: string[] = [];
  const unreadable: string[] = [];
  const sums = new Map<string, IdeaMeasureRow>();
  await eachLimited(follows, 8, async (f) => {
    const name = f.targetName ?? f.targetHandle;
    try {
      const { status, json } = await fetchActivityJson(`${new URL(f.targetActorUrl).origin}/ideer/tall.json`, { network: app.config, accept: "application/json" });
      const parsed = status === 200 ? published.safeParse(json) : undefined;
      if (!parsed?.success) return void unreadable.push(name);
      read.push(name);
      for (const r of parsed.data.rows) {
        const key = `${r.period}\u0000${r.serviceArea ?? ""}`;
        const s = sums.get(key) ?? { period: r.period, serviceArea: r.serviceArea, received: 0, answeredWithin30Days: 0, becameProjects: 0, putToUse: 0, shareInUse: 0, medianDaysToAnswer: null, medianDaysToProject: null, medianDaysToUse: null };
        s.received += r.received;
        s.answeredWithin30Days += r.answeredWithin30Days;
        s.becameProjects += r.becameProjects;
        s.putToUse += r.putToUse;
        s.shareInUse = s.received === 0 ? 0 : s.putToUse / s.received;
        sums.set(key, s);
      }
    } catch {
      unreadable.push(name);
    }
  });
  const rows = [...sums.values()].sort((a, b) => b.period.localeCompare(a.period) || (a.serviceArea ?? "~").localeCompare(b.serviceArea ?? "~"));
  const value = { rows, read: read.sort(), unreadable: unreadable.sort() };
  cached = { at: now, key: app.db, value };
  return value;
}
