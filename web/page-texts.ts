// Bokmål texts of the public pages reworked in issue 15: labels for
// imitations, the front page's sections, the case-study project page, the
// national (KS) instance's navigation and profile.

export const pt = {
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
