// Every bokmål text of the interface lives here, so wording stays consistent
// and a later translation has one place to start.

export const t = {
  productName: "KOMINN",
  tagline: "Innovasjon i kommunene – delt, funnet og tatt i bruk",
  errors: {
    notFound: "Fant ikke siden",
    notFoundBody: "Siden finnes ikke, eller den er ikke lenger offentlig.",
    forbidden: "Ingen tilgang",
    forbiddenBody: "Du har ikke tilgang til å gjøre dette.",
    badRequest: "Ugyldig forespørsel",
    csrf: "Skjemaet er utløpt eller ble sendt fra et annet nettsted. Last siden på nytt og prøv igjen.",
    tooLarge: "Innholdet er for stort.",
    rateLimited: "For mange forsøk. Vent litt og prøv igjen.",
    server: "Noe gikk galt hos oss",
    serverBody: "Feilen er logget. Prøv igjen om litt.",
    unauthorized: "Du må logge inn",
  },
} as const;
