import { describe, expect, it } from "vitest";
import { allKommuner, checkKommune, fylker, kommuneOf } from "../../core/regions.ts";

// The shipped register (core/kommuner-2024.ts, SSB classification 131 from 2024-01-01).
describe("the municipality register", () => {
  it("holds the 357 municipalities of 2024 in the 15 counties, each county by its number", () => {
    const all = allKommuner();
    expect(all).toHaveLength(357);
    expect(new Set(all.map((k) => k.nummer)).size).toBe(357);
    const perCounty = Object.fromEntries(fylker.map((f) => [f.name, all.filter((k) => k.fylke === f).length]));
    expect(perCounty).toEqual({
      Oslo: 1, Rogaland: 23, "Møre og Romsdal": 27, Nordland: 41, Østfold: 12, Akershus: 21, Buskerud: 18, Innlandet: 46,
      Vestfold: 6, Telemark: 17, Agder: 25, Vestland: 43, Trøndelag: 38, Troms: 21, Finnmark: 18,
    });
    expect(Object.values(perCounty).reduce((a, b) => a + b, 0)).toBe(357);
  });

  it("names a municipality and its county from the number", () => {
    expect(kommuneOf("3107")).toMatchObject({ name: "Fredrikstad", fylke: { name: "Østfold" } });
    expect(kommuneOf("1508")).toMatchObject({ name: "Ålesund", fylke: { name: "Møre og Romsdal" } });
    expect(kommuneOf("1580")).toMatchObject({ name: "Haram" });
    expect(kommuneOf("3005")).toBeUndefined(); // Drammen's number in Viken (2020–2023)
    expect(kommuneOf("1507")).toBeUndefined(); // Ålesund before Haram left in 2024
  });

  it("derives the county, and refuses one that does not match or an unknown number", () => {
    expect(checkKommune({ kommunenummer: "3110" })).toEqual({ fylke: "Østfold", issues: [] });
    expect(checkKommune({ kommunenummer: "3110", fylke: "østfold" })).toEqual({ fylke: "Østfold", issues: [] });
    expect(checkKommune({ kommunenummer: "3110", fylke: "Viken" }).issues).toEqual([
      { field: "fylke", message: "3110 Hvaler ligger i Østfold, ikke i «Viken» (fylket følger av kommunenummeret)" },
    ]);
    expect(checkKommune({ kommunenummer: "9999" }).issues[0].field).toBe("kommunenummer");
    expect(checkKommune({ kommunenummer: null, fylke: "Østfold" })).toEqual({ fylke: null, issues: [] });
    expect(checkKommune({ kommunenummer: null })).toEqual({ fylke: null, issues: [] });
  });
});
