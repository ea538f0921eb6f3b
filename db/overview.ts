// The national overview's figures: from the counters the journal's overview
// subscriber keeps (db/overview-counters.ts) when they are current and the
// filter is one they can answer, otherwise recounted from the stored projects.
import { sql, type SQL } from "drizzle-orm";
import { rowsOf, type Db } from "./client.ts";
import { countedFigures, linkReach, type CountedFigures } from "./overview-counters.ts";
import type { OverviewQuery } from "../core/overview-query.ts";
import { defaultRegions, fylker } from "../core/regions.ts";

export interface OverviewFilter {
  /** County number (first two digits of kommunenummer) and name, as in core/regions.ts. */
  fylke?: { nummer: string; name: string };
  /** Kommunenummer of a region's members. */
  region?: readonly string[];
  serviceArea?: string;
  /** Published on or after / before (ISO dates). */
  from?: string;
  to?: string;
}

export interface MostImitated {
  url: string;
  title: string;
  municipality: string;
  fylke: string | null;
  municipalities: number;
  fylker: number;
  /** Days from publication to the first imitation. */
  daysToFirstImitation: number | null;
}

export type ReusePeriod = CountedFigures["reuseOverTime"][number];

/** The counted figures (kept by the overview subscriber, or recounted) and the most imitated solutions. */
export interface OverviewStats extends CountedFigures {
  mostImitated: MostImitated[];
}

/** The overview's query parameters as a database filter. */
export function overviewFilterOf(q: OverviewQuery): OverviewFilter {
  const fylke = q.fylke ? fylker.find((f) => f.slug === q.fylke) : undefined;
  const region = q.region ? defaultRegions.find((r) => r.slug === q.region) : undefined;
  return {
    fylke: fylke && { nummer: fylke.nummer, name: fylke.name },
    region: region?.kommunenummer,
    serviceArea: q.serviceArea,
    from: q.from,
    to: q.to,
  };
}

/** The part of the filter that selects municipalities (over `m`). */
function municipalityScope(filter: OverviewFilter): SQL[] {
  const parts: SQL[] = [];
  if (filter.fylke) {
    parts.push(sql`(left(m.kommunenummer, 2) = ${filter.fylke.nummer} or lower(m.fylke) = lower(${filter.fylke.name}))`);
  }
  if (filter.region) {
    parts.push(filter.region.length ? sql`m.kommunenummer in (${sql.join(filter.region.map((k) => sql`${k}`), sql`, `)})` : sql`false`);
  }
  return parts;
}

function scope(filter: OverviewFilter): SQL {
  const parts: SQL[] = [sql`p.published`, ...municipalityScope(filter)];
  if (filter.serviceArea) parts.push(sql`p.service_areas @> array[${filter.serviceArea}]::text[]`);
  if (filter.from) parts.push(sql`p.published_at >= ${filter.from}::date`);
  if (filter.to) parts.push(sql`p.published_at < (${filter.to}::date + 1)`);
  return sql.join(parts, sql` and `);
}

/**
 * The most imitated projects in scope, from the reach of each imitated
 * original (`imitation_reach`, kept by a trigger on the links), or, for the
 * recount (`exhaustive`), from grouping every link: both give the same rows.
 * Most often the answer lies among the originals with the widest reach, so
 * those are tried first: the top `4 × topN` by reach (read from its index),
 * with every original tied with the last. If at least `topN` of them are in
 * scope, they are the answer, because any original left out reaches strictly
 * fewer municipalities or counties than each of them. Otherwise (a narrow
 * filter) every imitated original is looked up. Ties are broken by title and
 * URL in code-point order, the same on both drivers.
 */
async function mostImitated(db: Db, where: SQL, topN: number, exhaustive = false): Promise<MostImitated[]> {
  const top = async (source: SQL) =>
    rowsOf<MostImitated>(
      await db.execute(sql`
      select p.url, p.title, m.name as municipality, m.fylke, l.municipalities, l.fylker,
             floor(extract(epoch from (l.first_imitated_at - coalesce(p.published_at, p.created_at))) / 86400)::int as "daysToFirstImitation"
      from ${source} l
      -- One index lookup per imitated original (a limit keeps the planner from scanning every project).
      cross join lateral (select * from projects p where p.url = l.original_url limit 1) p
      join municipalities m on m.id = p.municipality_id
      where ${where}
      order by l.municipalities desc, l.fylker desc, p.title collate "C", p.url collate "C"
      limit ${topN}`),
    );
  const widest = sql`(select * from imitation_reach order by municipalities desc, fylker desc fetch first ${topN * 4} rows with ties)`;
  let rows = exhaustive
    ? await top(sql`(select l.original_url, ${linkReach} from imitation_links l group by l.original_url)`)
    : await top(widest);
  if (rows.length < topN && !exhaustive) rows = await top(sql`imitation_reach`);
  return rows.map((r) => ({ ...r, daysToFirstImitation: r.daysToFirstImitation === null ? null : Math.max(0, Number(r.daysToFirstImitation)) }));
}

const counted = (rows: { key: string | null; n: number }[]) =>
  Object.fromEntries(rows.filter((r) => r.key !== null).map((r) => [r.key as string, Number(r.n)]));

/**
 * The figures for `filter`. The counters are kept per municipality and key,
 * so a county or region filter is served from them; a service area or a
 * publication period crosses the keys, so those filters (and counters that
 * may be behind) fall back to the recount. `recount` forces the recount.
 */
export async function overviewStats(db: Db, filter: OverviewFilter = {}, topN = 10, recount = false): Promise<OverviewStats> {
  const where = scope(filter);
  const q = async <T>(query: SQL) => rowsOf<T>(await db.execute(query));
  if (!recount && !filter.serviceArea && !filter.from && !filter.to) {
    const parts = municipalityScope(filter);
    const [fromCounters, top] = await Promise.all([
      countedFigures(db, parts.length ? sql.join(parts, sql` and `) : undefined),
      mostImitated(db, where, topN),
    ]);
    if (fromCounters) return { ...fromCounters, mostImitated: top };
  }
  const inScope = sql`projects p join municipalities m on m.id = p.municipality_id where ${where}`;

  const [totals, byFylke, byServiceArea, byPhase, byType, top, overTime] = await Promise.all([
    q<{ municipalities: number; projects: number; imitations: number; seeking: number }>(sql`
      select count(distinct p.municipality_id)::int as municipalities, count(*)::int as projects,
             count(*) filter (where p.imitation_of is not null)::int as imitations,
             count(*) filter (where p.seeking_partners)::int as seeking
      from ${inScope}`),
    q<{ key: string | null; n: number }>(sql`select m.fylke as key, count(*)::int as n from ${inScope} group by m.fylke`),
    q<{ key: string; n: number }>(sql`
      select a as key, count(*)::int as n
      from projects p join municipalities m on m.id = p.municipality_id cross join lateral unnest(p.service_areas) a
      where ${where} group by a`),
    q<{ key: string; n: number }>(sql`select p.phase as key, count(*)::int as n from ${inScope} group by p.phase`),
    q<{ key: string; n: number }>(sql`
      select t as key, count(*)::int as n
      from projects p join municipalities m on m.id = p.municipality_id cross join lateral unnest(p.innovation_types) t
      where ${where} group by t`),
    mostImitated(db, where, topN, recount),
    q<ReusePeriod>(sql`
      select to_char(date_trunc('quarter', p.published_at), 'YYYY-"K"Q') as period,
             count(*)::int as projects, count(*) filter (where p.imitation_of is not null)::int as imitations
      from ${inScope} and p.published_at is not null
      group by 1 order by 1`),
  ]);

  return {
    municipalities: totals[0].municipalities,
    projects: totals[0].projects,
    imitations: totals[0].imitations,
    seekingPartners: totals[0].seeking,
    byFylke: counted(byFylke),
    byServiceArea: counted(byServiceArea),
    byPhase: counted(byPhase),
    byType: counted(byType),
    mostImitated: top,
    reuseOverTime: overTime,
  };
}
