// The participating municipalities and what each has imitated and been
// imitated for, counted from projects and imitation links on every call.
import { sql } from "drizzle-orm";
import { rowsOf, type Db } from "./client.ts";

export interface Participant {
  id: string;
  name: string;
  fylke: string | null;
  handle: string;
  actorUrl: string;
  local: boolean;
  /** Published projects. */
  projects: number;
  /** Its published projects that imitate another project. */
  imitationsMade: number;
  /** Published imitations (by anyone) of its projects. */
  timesImitated: number;
  /** Set while the national instance cannot reach it (its projects are kept). */
  unreachableSince: Date | null;
}

type ParticipantRow = Omit<Participant, "unreachableSince"> & { unreachableMs: number | null };
const unreachable = sql`(extract(epoch from ps.unreachable_since) * 1000)::float8 as "unreachableMs"`;
const toParticipant = ({ unreachableMs, ...row }: ParticipantRow): Participant => ({
  ...row,
  unreachableSince: unreachableMs === null ? null : new Date(Number(unreachableMs)),
});

/** Changes whenever a follow is accepted or dropped (the content version does not cover follows). */
export async function followsSignature(db: Db): Promise<string> {
  const [row] = rowsOf<{ n: number; at: string | null }>(
    await db.execute(sql`select count(*)::int as n,
      concat(max(accepted_at)::text, '/', (select max(last_checked_at)::text from peer_status)) as at
      from follows where status = 'accepted'`),
  );
  return `${row.n}/${row.at ?? ""}`;
}

const participantColumns = sql`
  m.id, m.name, m.fylke, m.handle, m.actor_url as "actorUrl", m.local,
  (select count(*) from projects p where p.municipality_id = m.id and p.published)::int as projects,
  (select count(*) from projects p where p.municipality_id = m.id and p.published and p.imitation_of is not null)::int
    as "imitationsMade",
  (select count(*) from imitation_links l join projects o on o.url = l.original_url where o.municipality_id = m.id)::int
    as "timesImitated", ${unreachable}`;

const byName = (a: Participant, b: Participant) => a.name.localeCompare(b.name, "nb");

/**
 * Municipalities that take part here: those with published projects, those
 * this instance follows, and (on a municipality's instance) itself. The
 * national instance's own profile is not a municipality and is left out.
 */
export async function listParticipants(db: Db, options: { includeLocal: boolean }): Promise<Participant[]> {
  // One pass over projects and one over imitation links, grouped, rather than three lookups per municipality.
  const rows = rowsOf<ParticipantRow>(
    await db.execute(sql`
      with own as (
        select municipality_id, count(*)::int as projects, count(*) filter (where imitation_of is not null)::int as made
        from projects where published group by municipality_id
      ), imitated as (
        -- one index lookup per link: far fewer links than projects
        select (select o.municipality_id from projects o where o.url = l.original_url) as municipality_id, count(*)::int as n
        from imitation_links l group by 1
      )
      select m.id, m.name, m.fylke, m.handle, m.actor_url as "actorUrl", m.local,
             coalesce(own.projects, 0) as projects, coalesce(own.made, 0) as "imitationsMade",
             coalesce(imitated.n, 0) as "timesImitated", ${unreachable}
      from municipalities m
      left join own on own.municipality_id = m.id
      left join imitated on imitated.municipality_id = m.id
      left join peer_status ps on ps.actor_url = m.actor_url
      where ${options.includeLocal ? sql`m.local or` : sql`not m.local and`} (own.projects > 0
        or exists (select 1 from follows f where f.target_actor_url = m.actor_url and f.status = 'accepted'))`),
  );
  return rows.map(toParticipant).sort(byName);
}

export async function getParticipant(db: Db, id: string): Promise<Participant | undefined> {
  const [row] = rowsOf<ParticipantRow>(
    await db.execute(sql`select ${participantColumns} from municipalities m
      left join peer_status ps on ps.actor_url = m.actor_url where m.id = ${id}`),
  );
  return row && toParticipant(row);
}

export interface MadeImitation {
  url: string;
  title: string;
  projectId: string;
  local: boolean;
  slug: string;
  originalUrl: string;
  /** What we know of the original (empty when it is not known here). */
  originalTitle: string;
  originalMunicipality: string;
}

/** The municipality's published projects that imitate another, with what they imitate. */
export async function imitationsMadeBy(db: Db, municipalityId: string): Promise<MadeImitation[]> {
  return rowsOf<MadeImitation>(
    await db.execute(sql`
      select p.url, p.title, p.id as "projectId", p.local, p.slug, p.imitation_of as "originalUrl",
             coalesce(o.title, l.original_title, '') as "originalTitle",
             coalesce(om.name, l.original_municipality_name, '') as "originalMunicipality"
      from projects p
      left join projects o on o.url = p.imitation_of
      left join municipalities om on om.id = o.municipality_id
      left join imitation_links l on l.copy_url = p.url
      where p.municipality_id = ${municipalityId} and p.published and p.imitation_of is not null
      order by p.published_at desc nulls last, p.id`),
  );
}

export interface ReceivedImitation {
  originalUrl: string;
  originalTitle: string;
  originalId: string;
  originalLocal: boolean;
  originalSlug: string;
  copyUrl: string;
  copyTitle: string;
  copyMunicipality: string;
  copyFylke: string | null;
}

/** Imitations, by anyone, of the municipality's projects. */
export async function imitationsReceivedBy(db: Db, municipalityId: string): Promise<ReceivedImitation[]> {
  return rowsOf<ReceivedImitation>(
    await db.execute(sql`
      select o.url as "originalUrl", o.title as "originalTitle", o.id as "originalId", o.local as "originalLocal",
             o.slug as "originalSlug", l.copy_url as "copyUrl", l.copy_title as "copyTitle",
             l.copy_municipality_name as "copyMunicipality", l.copy_fylke as "copyFylke"
      from imitation_links l join projects o on o.url = l.original_url
      where o.municipality_id = ${municipalityId}
      order by o.title, l.created_at`),
  );
}
