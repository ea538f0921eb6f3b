// Texts of idea competitions shared with other municipalities (bokmål, our own words).
export const tcf = {
  openToOthers: "Åpne konkurransen for andre kommuner",
  openToOthersHint: "Kommunene som følger oss ser konkurransen, og de ansatte der kan sende inn idéer. Idéer fra innbyggere blir her hos oss.",
  openToOthersTag: "Åpen for andre kommuner",
  fromOthers: "Fra kommuner vi følger",
  from: (municipality: string) => `fra ${municipality}`,
  close: "Steng konkurransen nå",
  closeHint: "Konkurransen tar ikke imot flere forslag. Kommunene som følger oss får beskjed.",
  sendTitle: "Send en idé fra vår kommune",
  sendIntro: (municipality: string) =>
    `Idéen sendes til ${municipality} med kommunen vår som avsender. Navnet ditt og e-postadressen din sendes ikke.`,
  sendButton: "Send idéen",
  sent: "Idéen er sendt. Kommunen som eier konkurransen følger den opp.",
  signInToSend: "Ansatte som er logget inn kan sende idéer til denne konkurransen.",
  original: "Se konkurransen hos eieren",
  nationalIntro:
    "Tallene er lagt sammen fra det kommunene vi følger publiserer: bare antall, aldri idéene selv. Mediantidene kan ikke legges sammen og vises derfor ikke her.",
  nationalRead: (names: string) => `Med i tallene: ${names}.`,
  nationalUnreadable: (names: string) => `Kunne ikke leses nå: ${names}.`,
} as const;
