// The overview's figures kept current as events arrive (issue 16): the
// journal's `overview` subscriber (server/subscribers.ts) re-derives the keys
// a changed project counts under and moves the per-municipality counters by
// the difference; a trigger sums those into national totals per key, and
// another keeps each imitated original's reach (migration 0021). The national
// overview reads a few hundred rows, a county or region the counters of its
// municipalities, instead of recounting every project. db/overview.ts
// recounts whenever the counters cannot be shown to be current, so an answer
// is never stale.
import { sql, type SQL } from "drizzle-orm";
import { projectOfEvent, type EventName } from "../core/events.ts";
import { rowsOf, type Db } from "./client.ts";
import type { EventHandler } from "./journal.ts";

/** The subscriber's name: its position in `event_positions` (never rename). */
export const overviewSubscriber = "overview";

export const overviewEvents = [
  "project.published",
  "project.updated",
  "project.unpublished",
  "project.deleted",
  "remote.project.upserted",
  "remote.project.removed",
] as const satisfies readonly EventName[];

const quarter = sql`to_char(date_trunc('quarter', p.published_at), 'YYYY-"K"Q')`;

/** The keys a published project counts under (the same expression fills the counters in migration 0007). */
const keysOf = sql`array_remove(
    array['t', 'p:' || p.phase,
          case when p.imitation_of is not null then 'i' end,
          case when p.seeking_partners then 's' end,
          'q:' || ${quarter},
          case when p.imitation_of is not null then 'qi:' || ${quarter} end]
    || array(select 'a:' || a from unnest(p.service_areas) a)
    || array(select 'y:' || t from unnest(p.innovation_types) t),
    null)`;

/**
 * Brings one project's contribution to the counters in line with its stored
 * row (idempotent), in one statement: the keys it counted under before
 * (`old`, as stored before this statement) and now (`now`, from its row) give
 * the change per key. Counters that reach zero are removed in a second one.
 */
export async function refreshProjectCounts(tx: Db, projectId: string): Promise<void> {
  const changed = rowsOf<{ municipality_id: string; n: number | string }>(
    await tx.execute(sql`
      with now as (
        select p.municipality_id, ${keysOf} as keys
        from projects p join municipalities m on m.id = p.municipality_id
        where p.id = ${projectId} and p.published
      ), old as (
        select municipality_id, keys from overview_contributions where project_id = ${projectId}
      ), kept as (
        insert into overview_contributions (project_id, municipality_id, keys)
        select ${projectId}, municipality_id, keys from now
        on conflict (project_id) do update set municipality_id = excluded.municipality_id, keys = excluded.keys
      ), gone as (
        delete from overview_contributions where project_id = ${projectId} and not exists (select 1 from now)
      ), delta as (
        select d.municipality_id, d.key, sum(d.n)::int as n
        from (select municipality_id, unnest(keys) as key, -1 as n from old
              union all
              select municipality_id, unnest(keys) as key, 1 as n from now) d
        group by d.municipality_id, d.key
        having sum(d.n) <> 0
      )
      -- A municipality removed since (and its counters with it) has nothing left to subtract from.
      insert into overview_counts (municipality_id, key, n)
      select d.municipality_id, d.key, d.n from delta d join municipalities m on m.id = d.municipality_id
      on conflict (municipality_id, key) do update set n = overview_counts.n + excluded.n
      returning municipality_id, n`),
  );
  const emptied = [...new Set(changed.filter((c) => Number(c.n) === 0).map((c) => c.municipality_id))];
  if (emptied.length > 0) {
    await tx.execute(sql`delete from overview_counts where n = 0 and municipality_id in (${sql.join(emptied.map((id) => sql`${id}`), sql`, `)})`);
  }
}

/** The `overview` subscriber: each project event refreshes that project's contribution. */
export function overviewCountsHandler(): EventHandler {
  return {
    async handle(event) {
      const projectId = projectOfEvent(event)?.id;
      if (!projectId) return;
      return (tx) => refreshProjectCounts(tx, projectId);
    },
  };
}

/**
 * Recounts the counters from the stored projects, and the national totals
 * and the reach of each imitated original with them (`kominn reindex`, the
 * benchmark after a bulk load). Appends wait meanwhile, so the subscriber's
 * position can be moved to the journal's head: later events refresh their projects.
 */
export async function rebuildOverviewCounts(db: Db): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${0x6b6f6d69})`); // appendLock in db/journal.ts
    // The subscriber's position first, as the subscriber takes it, so the two wait for each other instead of deadlocking.
    await tx.execute(sql`insert into event_positions (subscriber, position) values (${overviewSubscriber}, 0) on conflict do nothing`);
    await tx.execute(sql`select position from event_positions where subscriber = ${overviewSubscriber} for update`);
    await tx.execute(sql`delete from overview_counts`);
    await tx.execute(sql`delete from overview_contributions`);
    // The trigger on overview_counts has just taken their sum off the totals; whatever is left had drifted.
    await tx.execute(sql`delete from overview_totals`);
    await tx.execute(sql`
      insert into overview_contributions (project_id, municipality_id, keys)
      select p.id, p.municipality_id, ${keysOf}
      from projects p join municipalities m on m.id = p.municipality_id where p.published`);
    await tx.execute(sql`
      insert into overview_counts (municipality_id, key, n)
      select c.municipality_id, k, count(*)::int from overview_contributions c cross join lateral unnest(c.keys) k group by 1, 2`);
    await tx.execute(sql`
      insert into event_positions (subscriber, position) select ${overviewSubscriber}, coalesce(max(id), 0) from domain_events
      on conflict (subscriber) do update set position = excluded.position, updated_at = now()`);
  });
  // Apart, so a writer of links that waits for the journal's lock cannot deadlock with this one.
  await db.transaction(async (tx) => {
    // Writers of links wait until the reach is rebuilt from what this transaction reads.
    await tx.execute(sql`lock table imitation_links in share mode`);
    await tx.execute(sql`delete from imitation_reach`);
    await tx.execute(sql`
      insert into imitation_reach (original_url, municipalities, fylker, first_imitated_at)
      select l.original_url, ${linkReach} from imitation_links l group by l.original_url`);
  });
}

/**
 * What "Mest imiterte" ranks an original by, over its links (`l`): the
 * distinct municipalities and counties (a copy without a county counts as
 * its own) among its copies, and the first imitation. The trigger on
 * imitation_links (migration 0021) spells out the same expressions.
 */
export const linkReach = sql`count(distinct l.copy_municipality_actor_url)::int as municipalities,
  count(distinct coalesce(l.copy_fylke, l.copy_municipality_actor_url))::int as fylker,
  min(l.created_at) as first_imitated_at`;

export interface CountedFigures {
  municipalities: number;
  projects: number;
  imitations: number;
  seekingPartners: number;
  byFylke: Record<string, number>;
  byServiceArea: Record<string, number>;
  byPhase: Record<string, number>;
  byType: Record<string, number>;
  reuseOverTime: { period: string; projects: number; imitations: number }[];
}

/**
 * The figures from the counters for the published projects of the
 * municipalities matching `where` (over `m`; nationally without it), or
 * undefined while the subscriber has a project event yet to handle (or has
 * never run). Every change to a published project goes through a service
 * that appends its event; a write around the journal (a bulk load) is counted
 * only after `rebuildOverviewCounts` (`kominn reindex`).
 */
export async function countedFigures(db: Db, where?: SQL): Promise<CountedFigures | undefined> {
  const ok = sql`(select ok from current)`;
  // Per key and county; the municipalities are counted on the "t" rows only.
  const perMunicipality = (rows: SQL) => sql`
    select c.key, m.fylke, sum(c.n)::int as n, count(*)::int as municipalities
    from overview_counts c join municipalities m on m.id = c.municipality_id
    where ${ok} and c.n > 0 and ${rows}
    group by c.key, m.fylke`;
  const counts = where
    ? perMunicipality(where)
    : sql`select t.key, null as fylke, t.n, null::int as municipalities from overview_totals t where ${ok} and t.key <> 't' and t.n > 0
          union all ${perMunicipality(sql`c.key = 't'`)}`;
  const rows = rowsOf<{ current: boolean | null; key: string | null; fylke: string | null; n: number | null; municipalities: number | null }>(
    await db.execute(sql`
      with current as (
        select not exists (
             select 1 from domain_events e join event_positions s on s.subscriber = ${overviewSubscriber}
             where e.id > s.position and e.name in (${sql.join(overviewEvents.map((n) => sql`${n}`), sql`, `)}))
           and exists (select 1 from event_positions where subscriber = ${overviewSubscriber}) as ok
      )
      select ${ok} as current, g.key, g.fylke, g.n, g.municipalities
      from (select 1) one
      left join (${counts}) g on true`),
  );
  if (!rows[0]?.current) return undefined;
  const figures: CountedFigures = {
    municipalities: 0, projects: 0, imitations: 0, seekingPartners: 0,
    byFylke: {}, byServiceArea: {}, byPhase: {}, byType: {}, reuseOverTime: [],
  };
  const bump = (into: Record<string, number>, key: string, n: number) => (into[key] = (into[key] ?? 0) + n);
  const quarters = new Map<string, { period: string; projects: number; imitations: number }>();
  const period = (p: string) => quarters.get(p) ?? quarters.set(p, { period: p, projects: 0, imitations: 0 }).get(p)!;
  for (const r of rows) {
    if (r.key === null || !r.n) continue;
    const n = Number(r.n);
    const key = r.key;
    if (key === "t") {
      figures.projects += n;
      figures.municipalities += Number(r.municipalities);
      if (r.fylke !== null) bump(figures.byFylke, r.fylke, n);
    } else if (key === "i") figures.imitations += n;
    else if (key === "s") figures.seekingPartners += n;
    else if (key.startsWith("p:")) bump(figures.byPhase, key.slice(2), n);
    else if (key.startsWith("a:")) bump(figures.byServiceArea, key.slice(2), n);
    else if (key.startsWith("y:")) bump(figures.byType, key.slice(2), n);
    else if (key.startsWith("qi:")) period(key.slice(3)).imitations += n;
    else if (key.startsWith("q:")) period(key.slice(2)).projects += n;
  }
  figures.reuseOverTime = [...quarters.values()].sort((a, b) => (a.period < b.period ? -1 : a.period > b.period ? 1 : 0));
  return figures;
}
