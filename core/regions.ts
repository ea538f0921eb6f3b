import { kommuner2024 } from "./kommuner-2024.ts";

// Regions, counties and municipalities as data. A region is a named group of municipalities
// that cooperate; the list is configurable (pass your own to the search
// service), with Nedre Glomma shipped as the example.

export interface Region {
  readonly slug: string;
  readonly name: string;
  /** Kommunenummer of the member municipalities. */
  readonly kommunenummer: readonly string[];
}

export interface Fylke {
  readonly slug: string;
  readonly name: string;
  /** The first two digits of every kommunenummer in the county. */
  readonly nummer: string;
}

export const defaultRegions: readonly Region[] = [
  // Fredrikstad, Sarpsborg, Hvaler, Råde
  { slug: "nedre-glomma", name: "Nedre Glomma", kommunenummer: ["3107", "3105", "3110", "3112"] },
];

/** The 15 counties since 2024. */
export const fylker: readonly Fylke[] = [
  { slug: "oslo", name: "Oslo", nummer: "03" },
  { slug: "rogaland", name: "Rogaland", nummer: "11" },
  { slug: "more-og-romsdal", name: "Møre og Romsdal", nummer: "15" },
  { slug: "nordland", name: "Nordland", nummer: "18" },
  { slug: "ostfold", name: "Østfold", nummer: "31" },
  { slug: "akershus", name: "Akershus", nummer: "32" },
  { slug: "buskerud", name: "Buskerud", nummer: "33" },
  { slug: "innlandet", name: "Innlandet", nummer: "34" },
  { slug: "vestfold", name: "Vestfold", nummer: "39" },
  { slug: "telemark", name: "Telemark", nummer: "40" },
  { slug: "agder", name: "Agder", nummer: "42" },
  { slug: "vestland", name: "Vestland", nummer: "46" },
  { slug: "trondelag", name: "Trøndelag", nummer: "50" },
  { slug: "troms", name: "Troms", nummer: "55" },
  { slug: "finnmark", name: "Finnmark", nummer: "56" },
];

/** The county of a municipality: from its kommunenummer, else from the county name it gives. */
export function fylkeOf(kommunenummer: string | null | undefined, fylkeName?: string | null): Fylke | undefined {
  if (kommunenummer && /^\d{4}$/.test(kommunenummer)) {
    const byNumber = fylker.find((f) => f.nummer === kommunenummer.slice(0, 2));
    if (byNumber) return byNumber;
  }
  if (fylkeName) {
    const wanted = letters(fylkeName);
    return fylker.find((f) => letters(f.name) === wanted);
  }
  return undefined;
}

export function regionsOf(regions: readonly Region[], kommunenummer: string | null | undefined): Region[] {
  if (!kommunenummer) return [];
  return regions.filter((r) => r.kommunenummer.includes(kommunenummer));
}

/** "Møre og Romsdal", "More og Romsdal" and "møre-og-romsdal" compare equal. */
function letters(name: string): string {
  return name.toLowerCase().replace(/ø/g, "o").replace(/æ/g, "ae").replace(/å/g, "a").replace(/[^a-z]/g, "");
}

/** A municipality in the official register (core/kommuner-2024.ts). */
export interface Kommune {
  readonly nummer: string;
  readonly name: string;
  readonly fylke: Fylke;
}

const register = new Map<string, Kommune>(
  kommuner2024.map(([nummer, name]) => [nummer, { nummer, name, fylke: fylker.find((f) => f.nummer === nummer.slice(0, 2))! }]),
);

/** The municipality with this kommunenummer in the 2024 register, or undefined. */
export function kommuneOf(nummer: string | null | undefined): Kommune | undefined {
  return nummer ? register.get(nummer.trim()) : undefined;
}

/** Every municipality in the register, by kommunenummer. */
export function allKommuner(): readonly Kommune[] {
  return [...register.values()];
}

/**
 * A profile's kommunenummer checked against the register, and its county
 * derived from it: the county is never free text. A county given that differs
 * from the derived one (say Viken for 3110 Hvaler, which is in Østfold since
 * 2024) is refused with a message that names the right one; without a
 * kommunenummer (the national instance) no county is kept, whatever was given.
 */
export function checkKommune(input: { kommunenummer?: string | null; fylke?: string | null }): {
  fylke: string | null;
  issues: { field: "kommunenummer" | "fylke"; message: string }[];
} {
  const given = input.fylke?.trim() || null;
  // Without a number there is no county to derive: a county given is dropped.
  if (!input.kommunenummer) return { fylke: null, issues: [] };
  const kommune = kommuneOf(input.kommunenummer);
  if (!kommune) {
    return { fylke: null, issues: [{ field: "kommunenummer", message: "finnes ikke i kommuneregisteret (SSB, kommuner fra 2024)" }] };
  }
  if (given && letters(given) !== letters(kommune.fylke.name)) {
    return {
      fylke: kommune.fylke.name,
      issues: [{ field: "fylke", message: `${kommune.nummer} ${kommune.name} ligger i ${kommune.fylke.name}, ikke i «${given}» (fylket følger av kommunenummeret)` }],
    };
  }
  return { fylke: kommune.fylke.name, issues: [] };
}
