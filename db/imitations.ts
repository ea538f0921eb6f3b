import { eq, inArray, sql, type SQL } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import { jsonFields, type Json } from "./json-rows.ts";
import { rowsOf, type Db } from "./client.ts";
import { imitationLinks, type ImitationLink, type NewImitationLink } from "./schema.ts";

/** Deeper chains than this are not followed (a guard; real lineages are short). */
export const maxLineageDepth = 50;

export async function getImitationLink(db: Db, copyUrl: string): Promise<ImitationLink | undefined> {
  const [row] = await db.select().from(imitationLinks).where(eq(imitationLinks.copyUrl, copyUrl));
  return row;
}

export async function upsertImitationLink(db: Db, link: NewImitationLink): Promise<void> {
  const { copyUrl: _key, createdAt: _created, ...changes } = link;
  await db
    .insert(imitationLinks)
    .values(link)
    .onConflictDoUpdate({ target: imitationLinks.copyUrl, set: { ...changes, updatedAt: new Date() } });
}

export async function removeImitationLink(db: Db, copyUrl: string): Promise<boolean> {
  const rows = await db.delete(imitationLinks).where(eq(imitationLinks.copyUrl, copyUrl)).returning({ url: imitationLinks.copyUrl });
  return rows.length > 0;
}

/** The direct imitations of a project, oldest first. */
export async function imitationsOf(db: Db, originalUrl: string): Promise<ImitationLink[]> {
  return db.select().from(imitationLinks).where(eq(imitationLinks.originalUrl, originalUrl)).orderBy(imitationLinks.createdAt);
}

/** The direct imitations of several projects at once, for a page of results. */
export async function imitationsOfMany(db: Db, originalUrls: string[]): Promise<Map<string, ImitationLink[]>> {
  const out = new Map<string, ImitationLink[]>();
  if (originalUrls.length === 0) return out;
  const rows = await db
    .select()
    .from(imitationLinks)
    .where(inArray(imitationLinks.originalUrl, originalUrls))
    .orderBy(imitationLinks.createdAt);
  for (const row of rows) out.set(row.originalUrl, [...(out.get(row.originalUrl) ?? []), row]);
  return out;
}

/** How many municipalities have imitated each of these projects directly, by project id (0 when none). */
export async function imitatingMunicipalityCountsById(db: Db, list: readonly { id: string; url: string }[]): Promise<Map<string, number>> {
  if (list.length === 0) return new Map();
  const originalUrls = list.map((p) => p.url);
  const rows = await db
    .select({
      url: imitationLinks.originalUrl,
      n: sql<number>`count(distinct ${imitationLinks.copyMunicipalityActorUrl})::int`,
    })
    .from(imitationLinks)
    .where(inArray(imitationLinks.originalUrl, originalUrls))
    .groupBy(imitationLinks.originalUrl);
  const byUrl = new Map(rows.map((r) => [r.url, r.n]));
  return new Map(list.map((p) => [p.id, byUrl.get(p.url) ?? 0]));
}

export interface AncestorRow {
  url: string;
  title: string;
  municipalityName: string;
  depth: number;
}

/** The known originals above a project URL, nearest first, following published imitation links. */
export async function ancestorsOf(db: Db, url: string): Promise<AncestorRow[]> {
  return rowsOf<AncestorRow>(
    await db.execute(sql`
      with recursive up(copy_url, url, title, municipality_name, depth) as (
        select copy_url, original_url, original_title, original_municipality_name, 1
          from imitation_links where copy_url = ${url}
        union all
        select l.copy_url, l.original_url, l.original_title, l.original_municipality_name, up.depth + 1
          from imitation_links l join up on l.copy_url = up.url
          where up.depth < ${maxLineageDepth}
      )
      select url, title, municipality_name as "municipalityName", depth from up order by depth`),
  );
}

export interface DescendantRow extends ImitationLink {
  depth: number;
}

/**
 * Every known imitation below the project at `url` (a value or a column of
 * an outer statement), as one JSON array of `DescendantRow`s keyed like the
 * row, breadth first, oldest first at each depth: `descendantsFromJson` reads it.
 */
export function descendantsJson(url: string | AnyPgColumn): SQL<Json<DescendantRow>[]> {
  return sql`(
    with recursive down(copy_url, depth) as (
      select copy_url, 1 from imitation_links where original_url = ${url}
      union all
      select l.copy_url, down.depth + 1
        from imitation_links l join down on l.original_url = down.copy_url
        where down.depth < ${maxLineageDepth}
    )
    select coalesce(json_agg(json_build_object(${jsonFields(imitationLinks)}, 'depth', d.depth) order by d.depth, ${imitationLinks.createdAt}), '[]'::json)
      from (select copy_url, min(depth) as depth from down group by copy_url) d
      join ${imitationLinks} on ${imitationLinks.copyUrl} = d.copy_url)`;
}

export function descendantsFromJson(rows: Json<DescendantRow>[]): DescendantRow[] {
  return rows.map((r) => ({ ...r, createdAt: new Date(r.createdAt), updatedAt: new Date(r.updatedAt) }));
}

/** Every known imitation below a project URL, breadth first. */
export async function descendantsOf(db: Db, url: string): Promise<DescendantRow[]> {
  const [row] = rowsOf<{ below: Json<DescendantRow>[] }>(await db.execute(sql`select ${descendantsJson(url)} as below`));
  return descendantsFromJson(row.below);
}
