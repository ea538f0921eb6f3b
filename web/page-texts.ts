// Bokmål texts of the public pages reworked in issue 15: labels for
// imitations, the front page's sections, the case-study project page, the
// national (KS) instance's navigation and profile.

export const profileTexts = {
  /** The national instance's profile. */
  nationalIntro: "Vi samler innovasjonsprosjektene fra kommunene vi følger, og viser en nasjonal oversikt over hva som prøves ut, tas i bruk og spres.",
  participants: (n: number) => (n === 1 ? "Vi følger 1 kommune" : `Vi følger ${n} kommuner`),
  toMunicipalities: "Se kommunene",
  toOverview: "Se den nasjonale oversikten",
  follow: "Følg kommunen",
  followIntro: "Få beskjed når kommunen publiserer nye prosjekter:",
  fediverse: (address: string) => `i Mastodon eller et annet fediverse-program: følg ${address}`,
  feed: "som nyhetsstrøm (Atom) i en nyhetsleser",
} as const;

export const registerTexts = {
  kommunenummerHint: "Fire sifre, f.eks. 3107. Fylket finner vi ut fra nummeret (SSBs kommuneliste fra 2024).",
  fylkeDerived: "(følger av kommunenummeret)",
} as const;

export const pt = {
  nav: {
    municipalities: "Kommuner",
    /** The national instance's own profile. */
    aboutUs: "Om oss",
  },
  imitation: {
    /** On cards, search hits and the project page: what this copy imitates. */
    of: "Imitasjon av",
    from: "fra",
    unknownOriginal: "et prosjekt i en annen kommune",
    tag: "Imitasjon",
  },
} as const;

export const projectPageTexts = {
  /** The case study, in the order a reader asks. */
  problem: "Utfordringen",
  done: "Hva ble gjort",
  results: "Resultater",
  lessons: "Erfaringer",
  facts: "Kort om prosjektet",
  actions: "Hva vil du gjøre?",
  contact: "Kontakt",
  contactPerson: (name: string) => `Kontakt ${name}`,
  follow: (name: string) => `Følg ${name}`,
  askToCollaborate: "Spør om å samarbeide",
  imitations: "Imitasjoner",
  imitatedByOthers: "Imitert av flere etter dem",
  imitatedByOthersIntro: "Imitasjoner av imitasjonene av dette prosjektet.",
  original: "Originalen",
} as const;

export const frontTexts = {
  searchLabel: "Søk etter løsninger andre kommuner har prøvd",
  searchHint: "Beskriv problemet med egne ord, for eksempel «ensomhet blant eldre» eller «digital søknad».",
  search: "Søk",
  newHere: "Nytt fra oss",
  newFollowed: "Nytt fra kommunene vi følger",
  seeking: "Søker samarbeidspartnere",
  seekingIntro: "Prosjekter der kommunen ønsker flere med.",
  mostImitated: "Mest imiterte løsninger",
  mostImitatedIntro: "Løsninger andre kommuner har tatt i bruk, de nærmeste først.",
  emptyHere: "Vi har ikke publisert prosjekter ennå.",
  emptyFollowed: "Ingen nye prosjekter fra kommunene vi følger.",
  more: "Se flere",
} as const;
