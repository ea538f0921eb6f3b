import { sql, type SQL } from "drizzle-orm";
import { rowsOf, type Db } from "../db/client.ts";
import { plainText } from "./document.ts";
import type {
  BackendHit,
  BackendQuery,
  BackendResult,
  FacetName,
  SearchBackend,
  SearchDocument,
  SearchFilters,
} from "./backend.ts";

/** The columns (or expressions) counted for each facet. */
const groupedColumns: { facet: FacetName; expression: string; array?: boolean; flag?: boolean }[] = [
  { facet: "municipality", expression: "municipality_key" },
  { facet: "fylke", expression: "fylke" },
  { facet: "region", expression: "regions", array: true },
  { facet: "serviceArea", expression: "service_areas", array: true },
  { facet: "phase", expression: "phase" },
  { facet: "innovationType", expression: "innovation_types", array: true },
  { facet: "scale", expression: "scale" },
  { facet: "n3Stage", expression: "n3_stage" },
  { facet: "method", expression: "methods", array: true },
  { facet: "seekingPartners", expression: "seeking_partners", flag: true },
  { facet: "imitated", expression: "(imitation_count > 0)", flag: true },
];

/**
 * The facets counted together: each matching row is hashed once per set, so
 * facets that take few combinations share one (a municipality with its county
 * and regions; the small single-valued facets), and their counts are split per
 * facet in facetCounts. Five sets rather than eleven: the same counts, about a
 * third less work per matching row.
 */
const groupingSets: FacetName[][] = [
  ["municipality", "fylke", "region"],
  ["phase", "scale", "n3Stage", "seekingPartners", "imitated"],
  ["serviceArea"],
  ["innovationType"],
  ["method"],
];

const textArray = (values: string[]): SQL => sql`array[${sql.join(values.map((v) => sql`${v}`), sql`, `)}]::text[]`;

/** SQL conditions for the facet filters; values within a facet are alternatives. */
function filterConditions(filters: SearchFilters): SQL[] {
  const out: SQL[] = [];
  const any = (column: string, values: string[] | undefined) => {
    if (values?.length) out.push(sql`${sql.identifier(column)} = any(${textArray(values)})`);
  };
  const overlaps = (column: string, values: string[] | undefined) => {
    if (values?.length) out.push(sql`${sql.identifier(column)} && ${textArray(values)}`);
  };
  any("municipality_key", filters.municipality);
  any("fylke", filters.fylke);
  overlaps("regions", filters.region);
  overlaps("service_areas", filters.serviceArea);
  any("phase", filters.phase);
  overlaps("innovation_types", filters.innovationType);
  any("scale", filters.scale);
  any("n3_stage", filters.n3Stage);
  overlaps("methods", filters.method);
  const flag = (values: string[] | undefined, condition: SQL) => {
    if (!values?.length || (values.includes("true") && values.includes("false"))) return;
    out.push(values.includes("true") ? condition : sql`not (${condition})`);
  };
  flag(filters.seekingPartners, sql`seeking_partners`);
  flag(filters.imitated, sql`imitation_count > 0`);
  return out;
}

interface HitRow {
  id: string;
  url: string;
  title: string;
  summary: string | null;
  floke: string | null;
  behov: string | null;
  description: string | null;
  lessons: string | null;
  lessons_failed: string | null;
  municipality_name: string;
  municipality_handle: string;
  kommunenummer: string | null;
  fylke: string | null;
  phase: string;
  imitation_count: number;
  seeking_partners: boolean;
  has_realised_benefits: boolean;
  service_areas: string[];
  local: boolean;
  updated_at: string | Date;
}

function toHit(r: HitRow): BackendHit {
  return {
    id: r.id,
    url: r.url,
    title: r.title,
    summary: r.summary ?? "",
    floke: r.floke ?? "",
    behov: r.behov ?? "",
    description: plainText(r.description ?? ""),
    lessons: [r.lessons, r.lessons_failed].filter(Boolean).join(" "),
    municipalityName: r.municipality_name,
    municipalityHandle: r.municipality_handle,
    kommunenummer: r.kommunenummer,
    fylke: r.fylke,
    phase: r.phase,
    imitationCount: Number(r.imitation_count),
    seekingPartners: r.seeking_partners,
    hasRealisedBenefits: r.has_realised_benefits,
    serviceAreas: r.service_areas,
    local: r.local,
    updatedAt: new Date(r.updated_at),
  };
}

// The long texts live in `projects` only (the index stays narrow and fast to scan); hits read them there.
const hitColumns = sql.raw(
  "d.id, d.url, d.title, p.summary, p.floke, p.behov, p.description, p.lessons, p.lessons_failed, " +
    "d.municipality_name, d.municipality_handle, " +
    "d.kommunenummer, d.fylke, d.phase, d.imitation_count, d.seeking_partners, d.has_realised_benefits, d.service_areas, " +
    "d.local, d.updated_at",
);

/**
 * Text relevance times the "beste praksis" boost; see the formula in backend.ts.
 * In double precision: `extract` gives numeric, and numeric `exp` over ten
 * thousand matches took longer than finding them.
 */
const boost = sql.raw(
  "(1 + 0.5 * practice_score + 0.1 * exp(-greatest(0, date_part('epoch', now() - updated_at)) / 31536000.0::float8))",
);

const facetCacheMs = 60_000;

const facetColumns = sql.raw(groupedColumns.map((c) => `${c.expression} as "${c.facet}"`).join(", "));

type FacetRow = Record<string, unknown> & { g: number; n: number | string };

/** Counts per facet in one pass over `rows` (a table and its condition): GROUPING SETS over the facet columns. */
function facetQuery(rows: SQL): SQL {
  const columns = groupedColumns.map((c) => sql.identifier(c.facet));
  const sets = groupingSets.map((set) => sql`(${sql.join(set.map((f) => sql.identifier(f)), sql`, `)})`);
  return sql`select ${sql.join(columns, sql`, `)}, grouping(${sql.join(columns, sql`, `)}) as g, count(*) as n
    from (select ${facetColumns} from ${rows}) m group by grouping sets (${sql.join(sets, sql`, `)}, ())`;
}

/** Facet rows to counts; a row counts for each facet of its grouping set, and array columns were grouped by their whole value. */
function facetCounts(rows: FacetRow[]): { total: number; counts: BackendResult["facets"] } {
  const all = (1 << groupedColumns.length) - 1;
  let total = 0;
  const counts: BackendResult["facets"] = {};
  for (const row of rows) {
    const g = Number(row.g);
    const n = Number(row.n);
    if (g === all) {
      total = n;
      continue;
    }
    groupedColumns.forEach(({ facet, array, flag }, i) => {
      if ((g & (1 << (groupedColumns.length - 1 - i))) !== 0) return;
      const value = row[facet];
      const values = array ? ((value as string[] | null) ?? []) : flag ? (value === true ? ["true"] : []) : value == null ? [] : [String(value)];
      for (const v of values) {
        const bucket = (counts[facet] ??= {});
        bucket[v] = (bucket[v] ?? 0) + n;
      }
    });
  }
  return { total, counts };
}

/** Like Promise.all for two, but waits for both before throwing the first failure. */
async function settledBoth<A, B>(a: Promise<A>, b: Promise<B>): Promise<[A, B]> {
  const [x, y] = await Promise.allSettled([a, b]);
  if (x.status === "rejected") throw x.reason;
  if (y.status === "rejected") throw y.reason;
  return [x.value, y.value];
}

/** How many of a problem description's first words are tried in pairs (see search). */
const pairedWords = 6;
/** Rows ranked at most for a problem description (the first found in table order; see #matching and #read). */
const maxRankedCandidates = 3_000;

/** A tsquery restricted to the title's lexemes (weight A). */
function inTitle(tsquery: string): string {
  return tsquery.replace(/'((?:[^']|'')*)'(:\*)?/g, (_m, lexeme: string, prefix: string | undefined) => `'${lexeme}':${prefix ? "*" : ""}A`);
}

/**
 * The query's lexemes, each once, ORed: what ts_rank reads of a query whose
 * operators are all ORs (it sorts and drops repeated lexemes itself, for every
 * row it ranks; a description's pairs name each word five times).
 */
function anyLexeme(tsquery: string): string {
  return [...new Set(tsquery.match(/'(?:[^']|'')*'(?::[*A-D]+)?/g) ?? [])].join(" | ");
}

/** PostgreSQL full-text search on the `search_documents` table (PGlite or a server). */
export class PostgresSearchBackend implements SearchBackend {
  readonly name = "postgres" as const;
  readonly #db: Db;
  #generation = 0;
  readonly #facetCache = new Map<string, { generation: number; at: number; value: { total: number; counts: BackendResult["facets"] } }>();

  constructor(db: Db) {
    this.#db = db;
  }

  async init(): Promise<void> {
    // The table comes with the migrations.
  }

  async close(): Promise<void> {}

  async upsert(documents: SearchDocument[]): Promise<void> {
    if (documents.length === 0) return;
    this.#generation++;
    const rows = documents.map((d) => ({
      id: d.id,
      url: d.url,
      title: d.title,
      municipality_name: d.municipality.name,
      municipality_handle: d.municipality.handle,
      kommunenummer: d.municipality.kommunenummer,
      municipality_key: d.municipality.kommunenummer ?? d.municipality.handle,
      fylke: d.municipality.fylke,
      regions: d.municipality.regions,
      phase: d.phase,
      innovation_types: d.innovationTypes,
      scale: d.scale,
      n3_stage: d.n3Stage,
      service_areas: d.serviceAreas,
      methods: d.methods,
      seeking_partners: d.seekingPartners,
      imitation_count: d.imitationCount,
      has_realised_benefits: d.hasRealisedBenefits,
      practice_score: d.practiceScore,
      local: d.local,
      updated_at: d.updatedAt.toISOString(),
      text_a: d.searchText.title,
      text_b: d.searchText.main,
      text_c: d.searchText.rest,
    }));
    const arr = (name: string) => sql.raw(`coalesce(array(select jsonb_array_elements_text(x.j -> '${name}')), '{}')`);
    await this.#db.execute(sql`
      insert into search_documents (id, url, title,
        municipality_name, municipality_handle, kommunenummer, municipality_key, fylke, regions, phase,
        innovation_types, scale, n3_stage, service_areas, methods, seeking_partners, imitation_count,
        has_realised_benefits, practice_score, local, updated_at, indexed_at, tsv)
      select x.j->>'id', x.j->>'url', x.j->>'title', x.j->>'municipality_name', x.j->>'municipality_handle',
        x.j->>'kommunenummer', x.j->>'municipality_key', x.j->>'fylke', ${arr("regions")}, x.j->>'phase',
        ${arr("innovation_types")}, x.j->>'scale', x.j->>'n3_stage', ${arr("service_areas")}, ${arr("methods")},
        (x.j->>'seeking_partners')::boolean, (x.j->>'imitation_count')::int,
        (x.j->>'has_realised_benefits')::boolean, (x.j->>'practice_score')::real, (x.j->>'local')::boolean,
        (x.j->>'updated_at')::timestamptz, now(),
        setweight(to_tsvector('norwegian', x.j->>'text_a'), 'A') ||
        setweight(to_tsvector('norwegian', x.j->>'text_b'), 'B') ||
        setweight(to_tsvector('norwegian', x.j->>'text_c'), 'C')
      from jsonb_array_elements(${JSON.stringify(rows)}::jsonb) as x(j)
      on conflict (id) do update set
        url = excluded.url, title = excluded.title,
        municipality_name = excluded.municipality_name, municipality_handle = excluded.municipality_handle,
        kommunenummer = excluded.kommunenummer, municipality_key = excluded.municipality_key,
        fylke = excluded.fylke, regions = excluded.regions, phase = excluded.phase,
        innovation_types = excluded.innovation_types, scale = excluded.scale, n3_stage = excluded.n3_stage,
        service_areas = excluded.service_areas, methods = excluded.methods,
        seeking_partners = excluded.seeking_partners, imitation_count = excluded.imitation_count,
        has_realised_benefits = excluded.has_realised_benefits, practice_score = excluded.practice_score,
        local = excluded.local, updated_at = excluded.updated_at, indexed_at = excluded.indexed_at,
        tsv = excluded.tsv`);
  }

  async remove(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    this.#generation++;
    await this.#db.execute(sql`delete from search_documents where id = any(${textArray(ids)})`);
  }

  async clear(): Promise<void> {
    this.#generation++;
    await this.#db.execute(sql`delete from search_documents`);
  }

  /**
   * Each word as the `norwegian` configuration reads it, as tsquery text, and each phrase as a phrase
   * query, in one round trip; stop words come back empty.
   */
  async #lexemes(words: string[], phrases: string[]): Promise<{ words: string[]; phrases: string[] }> {
    if (words.length + phrases.length === 0) return { words: [], phrases: [] };
    const rows = rowsOf<{ q: string }>(
      await this.#db.execute(
        sql`select (case when n > ${words.length} then phraseto_tsquery('norwegian', w) else plainto_tsquery('norwegian', w) end)::text as q
          from jsonb_array_elements_text(${JSON.stringify([...words, ...phrases])}::jsonb) with ordinality as x(w, n) order by n`,
      ),
    );
    const out = rows.map((r) => r.q);
    return { words: out.slice(0, words.length), phrases: out.slice(words.length) };
  }

  async search(query: BackendQuery): Promise<BackendResult> {
    const filters = filterConditions(query.filters);
    if (query.excludeIds?.length) filters.push(sql`not (id = any(${textArray(query.excludeIds)}))`);
    const textual = query.terms.length + query.phrases.length > 0;
    if (!textual) return this.#browse(filters, query, JSON.stringify(query.filters));

    // Each alternative of each word as a tsquery (a compound's parts ANDed); a word is its alternatives ORed.
    const alternatives = query.terms.map((word) => word.map((a) => a.join(" ")));
    const parsed = await this.#lexemes(
      alternatives.flat(),
      query.phrases.map((p) => p.join(" ")),
    );
    const lexemes = parsed.words;
    let i = 0;
    const read = alternatives.map((word) => word.map(() => lexemes[i++]));
    const kept = read.filter((word) => word.some((q) => q !== ""));
    const words = kept.map((word) => [...new Set(word.filter((q) => q !== ""))].map((q) => `(${q})`).join(" | "));
    // The word as typed, when the configuration keeps it: an exact match ranks above a family member or a typo's neighbour.
    const exact = kept.map((word) => word[0]);
    const phrases = parsed.phrases.filter((q) => q !== "");
    if (words.length + phrases.length === 0) return { total: 0, hits: [], facets: {} };

    const group = (qs: string[], op: string) => qs.map((q) => `(${q})`).join(` ${op} `);
    if (query.match === "any") {
      // A description's words, most telling first: projects sharing two of the first few are the
      // likely answers and few enough to rank quickly; any one word only when those are too few.
      const lead = words.slice(0, pairedWords);
      if (lead.length >= 3) {
        // Any two of them, written as "the first and any later one, or the second and any later one, ...": the
        // same rows as every pair ORed, but a row holding none of the words is read five times, not fifteen.
        const pairs = lead.slice(0, -1).map((a, i) => `(${a}) & (${group(lead.slice(i + 1), "|")})`);
        const paired = await this.#matching(filters, group(pairs, "|"), words, exact, query);
        if (paired.hits.length >= query.limit || query.offset > 0) return paired;
      }
      return this.#matching(filters, group([...words, ...phrases], "|"), words, exact, query);
    }
    const every = await this.#matching(filters, group([...words, ...phrases], "&"), words, exact, query);
    if (every.total > 0 || words.length < 2) return every;
    // Nothing has every word: let any word match, most matched words first.
    const some = phrases.length ? `(${group(words, "|")}) & ${group(phrases, "&")}` : group(words, "|");
    return this.#matching(filters, some, words, exact, query);
  }

  /**
   * Text search in two statements run side by side: one counts the matching
   * rows per facet, the other ranks them and returns the page. On a PostgreSQL
   * server they run on two connections, so a broad word's ten thousand matches
   * are counted and scored at the same time rather than one after the other.
   */
  async #matching(
    filters: SQL[],
    tsquery: string,
    words: string[],
    /** Each word as typed, "" when the configuration drops it (a stop word), in the order of `words`. */
    exact: string[],
    query: BackendQuery,
  ): Promise<BackendResult> {
    // A phrase needs each candidate's positions (the index knows only that its words occur): the index finds
    // the rows holding the words, the facet filters narrow them, and only then is the phrase checked (a
    // function call, not the operator, so it stays after the filters instead of becoming the index's recheck).
    const unordered = tsquery.replace(/<(?:-|\d+)>/g, "&");
    // One test per row for the whole query, a description's pairs included (see search).
    const found = sql`tsv @@ ${unordered}::tsquery`;
    const where =
      unordered === tsquery
        ? sql.join([found, ...filters], sql` and `)
        : sql.join([found, ...filters, sql`ts_match_vq(tsv, ${tsquery}::tsquery)`], sql` and `);
    // Per word: does the row hold it, and only then, does it hold it as typed (0.25 more) and in its title (0.5
    // more: title matches weigh most, and an umbrella of a narrower term in the title counts there too). A row
    // holds few of a description's thirty words, so most tests after the first are skipped: the same sum, with
    // each test reading the row's tsvector, on thousands of rows. A word with no other alternative is its own
    // exact form: worth 1.25 in one test.
    const inTitleBonus = (w: string) => sql`0.5 * (tsv @@ ${inTitle(w)}::tsquery)::int`;
    const singles = new Set(exact.filter((e) => e !== "" && words.includes(`(${e})`)));
    const matched =
      words.length > 1
        ? sql.join(
            words.map((w, i) => {
              const e = exact[i];
              const single = singles.has(w.slice(1, -1));
              // As typed, unless that form is some word's single form (worth 1.25 there already).
              const asTyped = e && !singles.has(e) ? sql` + 0.25 * (tsv @@ ${e}::tsquery)::int` : sql``;
              return sql`(case when tsv @@ ${w}::tsquery then ${sql.raw(single ? "1.25" : "1")}${asTyped} + ${inTitleBonus(w)} else 0 end)`;
            }),
            sql` + `,
          )
        : sql.join([sql`1`, ...exact.filter((e) => e !== "").map((e) => sql`0.25 * (tsv @@ ${e}::tsquery)::int`), ...words.map(inTitleBonus)], sql` + `);
    // ts_rank weighs each of the query's words by where and how often the row holds it. Given the words ANDed,
    // it also measures how close every pair of their forms stands, at a cost that grows with the square of their
    // positions (63 of 78 ms for "byggesøknad saksbehandling" over 6,311 rows at 100k); given them ORed, it
    // sums the words' weights and no more. Closeness is what a phrase asks for, and the phrase is checked
    // already; coverage is counted in `matched`. So the rank reads the words ORed.
    const rankQuery = anyLexeme(tsquery);
    // Both settle before this returns or throws, so no statement outlives the request.
    const [facetRows, page] = await settledBoth(
      query.facets === false ? Promise.resolve(undefined) : this.#read<FacetRow>(facetQuery(sql`search_documents where ${where}`)),
      this.#read<{ id: string }>(sql`select id from ${
        // A description's words are many and common ones match much: only so many candidates are ranked.
        query.match === "any"
          ? sql`(select id, tsv, practice_score, updated_at from search_documents where ${where} limit ${maxRankedCandidates}) d`
          : sql`search_documents where ${where}`
      }
        order by (${matched} + ts_rank(tsv, ${rankQuery}::tsquery, 1)) * ${boost} desc, id
        limit ${query.limit} offset ${query.offset}`),
    );
    if (!facetRows) return { total: page.length, hits: await this.#hitsById(page.map((r) => r.id)), facets: {} };
    const { total, counts } = facetCounts(facetRows);
    return { total, hits: await this.#hitsById(page.map((r) => r.id)), facets: counts };
  }

  /** No words: everything that passes the filters, proven practice first. */
  async #browse(filters: SQL[], query: BackendQuery, cacheKey: string): Promise<BackendResult> {
    const where = filters.length ? sql`where ${sql.join(filters, sql` and `)}` : sql``;
    const { total, counts } = await this.#browseFacets(where, cacheKey);
    if (total === 0 || query.offset >= total) return { total, hits: [], facets: counts };
    const ids = rowsOf<{ id: string }>(
      await this.#db.execute(
        sql`select id from search_documents ${where}
            order by practice_score desc, updated_at desc, id limit ${query.limit} offset ${query.offset}`,
      ),
    ).map((r) => r.id);
    return { total, hits: await this.#hitsById(ids), facets: counts };
  }

  /**
   * Facet counts when browsing without words. The same few filter choices come
   * back again and again (the search page without a query), so their counts
   * are kept until this process indexes a change, or for a minute at most
   * (another process may index too).
   */
  async #browseFacets(where: SQL, key: string): Promise<{ total: number; counts: BackendResult["facets"] }> {
    const cached = this.#facetCache.get(key);
    if (cached && cached.generation === this.#generation && Date.now() - cached.at < facetCacheMs) return cached.value;
    const rows = rowsOf<FacetRow>(await this.#db.execute(facetQuery(sql`search_documents ${where}`)));
    const value = facetCounts(rows);
    if (this.#facetCache.size > 500) this.#facetCache.clear();
    this.#facetCache.set(key, { generation: this.#generation, at: Date.now(), value });
    return value;
  }

  /**
   * A read planned for an index that sits in memory. With the default
   * random_page_cost the planner prefers a sequential scan once a word matches
   * a tenth of the rows, and then tests the tsvector of every row: several
   * times slower than the GIN index.
   */
  async #read<T>(statement: SQL): Promise<T[]> {
    return this.#db.transaction(async (tx) => {
      // A search never outlives its request: a statement still running after 5 s is cancelled (an error, not a 500 page held open).
      // The settings in one round trip (`set_config(…, true)` is `set local`): each trip counts when the query itself takes a millisecond.
      // A scan that stops at maxRankedCandidates starts at the table's first page, not where the last scan of the
      // table stood (synchronised scans), so the same description gets the same candidates every time.
      await tx.execute(
        sql`select set_config('random_page_cost', '1.1', true), set_config('statement_timeout', '5s', true), set_config('synchronize_seqscans', 'off', true)`,
      );
      return rowsOf<T>(await tx.execute(statement));
    });
  }

  async #hitsById(ids: string[]): Promise<BackendHit[]> {
    if (ids.length === 0) return [];
    const rows = rowsOf<HitRow>(
      await this.#db.execute(
        sql`select ${hitColumns} from search_documents d left join projects p on p.id = d.id where d.id = any(${textArray(ids)})`,
      ),
    );
    const byId = new Map(rows.map((r) => [r.id, toHit(r)]));
    return ids.map((id) => byId.get(id)).filter((h): h is BackendHit => h !== undefined);
  }

  /**
   * After a bulk load: planner statistics (PGlite has no autovacuum), and a
   * vacuum that merges the GIN index's pending list and marks the pages
   * all-visible, so the first searches do not pay for that (nor share the
   * machine with autovacuum doing it).
   */
  async afterBulkLoad(): Promise<void> {
    await this.#db.execute(sql`vacuum (analyze) search_documents`);
    await this.#db.execute(sql`analyze search_terms`);
  }
}
