// Words that often form parts of Norwegian compounds in municipal projects.
// A word in a document is split when it ends in one of these (and its start is
// at least three letters): "fallsensor" → "sensor" + "fall". Add words here
// when staff miss a compound; a reindex (`npm run kominn -- reindex`) applies it.

export const compoundVocabulary: readonly string[] = [
  // people and groups
  "barn", "barne", "elev", "elever", "ungdom", "unge", "eldre", "familie", "foreldre", "innbygger",
  "pasient", "bruker", "ansatt", "ansatte", "leder", "lærer", "flyktning", "innvandrer", "frivillig",
  "nabo", "senior", "student", "veileder", "pårørende", "beboer", "turist", "gründer",
  // health and care
  "helse", "omsorg", "pleie", "sykehjem", "hjemmetjeneste", "tjeneste", "tjenester", "sensor", "alarm",
  "trygghet", "velferd", "teknologi", "medisin", "dispenser", "rehabilitering", "mestring", "demens",
  "ernæring", "måltid", "fall", "kamera", "tilsyn", "bolig", "rus", "psykisk", "erfaring", "konsulent",
  "lege", "legevakt", "sykepleie", "sykepleier", "avlastning", "aktivitet", "trening", "hverdag", "robot",
  "skjerm", "nettbrett", "plattform", "journal", "koordinator", "team",
  // schools and childhood
  "skole", "barnehage", "undervisning", "opplæring", "læring", "lekse", "lesing", "matematikk",
  "svømming", "svømme", "klasse", "klasserom", "friluft", "uteskole", "frafall", "fravær", "mobbing",
  "trivsel", "overgang", "språk", "leseglede", "bibliotek", "prøve",
  // environment, technical, planning
  "vann", "overvann", "avløp", "klima", "energi", "sol", "solcelle", "solceller", "lading", "ladestasjon",
  "avfall", "sortering", "gjenbruk", "sirkulær", "ombruk", "vei", "gate", "park", "sykkel", "buss",
  "transport", "parkering", "lys", "belysning", "bygg", "byggesak", "plan", "reguleringsplan",
  "areal", "tomt", "regnbed", "flom", "skred", "tak", "grønt", "natur", "skog", "hav", "sjø", "strand",
  "fjord", "elv", "måler", "lekkasje", "snø", "brøyting", "strøm", "varme", "bil",
  "elbil", "el", "drivstoff", "utslipp", "kutt", "tre", "mat", "matsvinn", "kjøkken", "kantine",
  // administration and digital
  "søknad", "skjema", "digital", "digitalisering", "chat", "chatbot", "portal", "data", "analyse",
  "saksbehandling", "sak", "arkiv", "innsyn", "post", "faktura", "innkjøp", "anskaffelse", "kontrakt",
  "avtale", "samarbeid", "nettverk", "møte", "kurs", "kompetanse", "rekruttering", "turnus",
  "vakt", "vaktplan", "bemanning", "ledelse", "budsjett", "økonomi", "gevinst", "rapport", "statistikk",
  "dialog", "medvirkning", "høring", "valg", "demokrati", "råd", "panel", "verksted", "lab", "laboratorium",
  "senter", "kontor", "sentral", "tilbud", "ordning", "modell", "metode", "verktøy", "løsning", "system",
  "app", "nett", "nettside", "anlegg", "panel", "stasjon", "bank", "kart", "tavle", "kart", "brikke", "nøkkel", "lås", "dør", "inngang",
  // society, work, culture
  "arbeid", "jobb", "praksis", "lærling", "næring", "reiseliv", "turisme", "kultur", "idrett", "fritid",
  "hall", "bad", "basseng", "museum", "festival", "konsert", "integrering", "inkludering", "bosetting",
  "introduksjon", "program", "fattigdom", "gjeld", "ensomhet", "fellesskap", "frivillighet", "sentral",
  "losje", "kafe", "butikk", "handel", "sentrum", "by", "bygd", "distrikt", "region", "kommune",
  "sjø", "by", "sol", "ute", "tid", "samling", "problem", "plage", "el", "lys", "bil", "vei", "hav", "tak", "rus", "bad", "mat",
  "fylke", "stat", "forskning", "utvikling", "innovasjon", "prosjekt", "pilot", "test",
];
