// Page URLs speak bokmål (`/prosjekter?fase=drift&sortering=nyeste`); the
// JSON API keeps its documented English names. The English names still work on
// pages, so old links and bookmarks keep their meaning.

/** A parameter's bokmål name on pages, its API name, and its bokmål values where they differ. */
export interface ParamName {
  readonly page: string;
  readonly api: string;
  readonly values?: Readonly<Record<string, string>>;
}

const yesNo = { ja: "true", nei: "false" } as const;

/** The project list's parameters. */
export const listParams: readonly ParamName[] = [
  { page: "fase", api: "phase" },
  { page: "tjenesteomrade", api: "serviceArea" },
  { page: "strategisk-omrade", api: "strategicArea" },
  { page: "soker-partnere", api: "seekingPartners", values: yesNo },
  { page: "imitert", api: "imitated", values: yesNo },
  { page: "imitasjon", api: "isImitation", values: yesNo },
  { page: "fra", api: "origin", values: { alle: "all", var: "local", andre: "remote" } },
  { page: "sortering", api: "order", values: { oppdatert: "updated", nyeste: "newest", "mest-imitert": "imitations" } },
  { page: "per-side", api: "perPage" },
  { page: "side", api: "page" },
];

/** The search page's parameters (q, region and fylke read the same in both). */
export const searchPageParams: readonly ParamName[] = [
  { page: "omrade", api: "scope", values: { region: "region", fylke: "fylke", "hele-landet": "all" } },
  { page: "kommune", api: "municipality" },
  { page: "tjenesteomrade", api: "serviceArea" },
  { page: "fase", api: "phase" },
  { page: "innovasjonstype", api: "innovationType" },
  { page: "skala", api: "scale" },
  { page: "n3", api: "n3Stage" },
  { page: "metode", api: "method" },
  { page: "soker-partnere", api: "seekingPartners", values: yesNo },
  { page: "imitert", api: "imitated", values: yesNo },
  { page: "per-side", api: "perPage" },
  { page: "side", api: "page" },
];

/** The list's defaults, left out of the links it makes. */
export const listDefaults: Readonly<Record<string, unknown>> = { perPage: 20, origin: "all", order: "updated" };

/** Bokmål names and values in a page's query string turned into the API's (English ones pass through). */
export function fromPageParams(params: readonly ParamName[], query: Record<string, unknown>): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(query)) {
    const name = params.find((p) => p.page === key);
    if (!name) {
      result[key] = value;
      continue;
    }
    const map = (v: unknown) => (typeof v === "string" && name.values?.[v] !== undefined ? name.values[v] : v);
    result[name.api] = Array.isArray(value) ? value.map(map) : map(value);
  }
  return result;
}

/** The bokmål name of a parameter on pages (for error messages and links). */
export function pageName(params: readonly ParamName[], api: string): string {
  return params.find((p) => p.api === api)?.page ?? api;
}

/** An API value in its bokmål form on pages. */
export function pageValue(params: readonly ParamName[], api: string, value: string): string {
  const values = params.find((p) => p.api === api)?.values;
  if (!values) return value;
  return Object.entries(values).find(([, v]) => v === value)?.[0] ?? value;
}

/** A query string in bokmål names and values, from API names and values; defaults and empties left out. */
export function toPageQuery(params: readonly ParamName[], query: Record<string, unknown>, defaults: Record<string, unknown> = {}): URLSearchParams {
  const search = new URLSearchParams();
  // In the table's order, so a page's links read alike whatever order the request had.
  const order = (key: string) => {
    const i = params.findIndex((p) => p.api === key);
    return i < 0 ? params.length : i;
  };
  for (const [key, value] of Object.entries(query).sort((a, b) => order(a[0]) - order(b[0]))) {
    if (value === undefined || value === "" || defaults[key] === value) continue;
    for (const v of Array.isArray(value) ? value : [value]) search.append(pageName(params, key), pageValue(params, key, String(v)));
  }
  return search;
}
