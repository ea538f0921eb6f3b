// Generates realistic-looking municipal innovation projects for benchmarks and
// load tests: hand-written building blocks combined by a seeded random
// generator, so the same seed always gives the same data.
import type { ProjectContent } from "../core/project.ts";
import {
  fundingSources,
  innovationTypes,
  methods,
  municipalRoles,
  n3Stages,
  phases,
  scales,
  type ServiceArea,
} from "../core/taxonomies.ts";

export interface GeneratedMunicipality {
  name: string;
  handle: string;
  kommunenummer: string;
  fylke: string;
}

interface Theme {
  area: ServiceArea;
  floke: string;
  behov: string;
  solutions: string[];
}

const themes: Theme[] = [
  { area: "helse-omsorg", floke: "Flere eldre og færre hender i omsorgen", behov: "Eldre vil bo trygt hjemme lenger", solutions: ["Fallsensorer koblet til alarmsentralen", "Digitalt tilsyn om natten", "Medisindispenser med påminnelse", "Velferdsteknologi i hjemmetjenesten", "Skjermbesøk fra hjemmesykepleien"] },
  { area: "helse-omsorg", floke: "Ensomhet blant eldre som bor alene", behov: "Møteplasser som er lette å komme til", solutions: ["Frivillige besøksvenner", "Seniorsenter med digital veiledning", "Felles middag på sykehjemmet"] },
  { area: "oppvekst-utdanning", floke: "Mange unge faller ut av videregående", behov: "Én voksen som følger opp over tid", solutions: ["Familiekontakt med én dør inn", "Losordning for ungdom", "Sommerskole med praktiske fag"] },
  { area: "oppvekst-utdanning", floke: "Barn lærer ikke å svømme", behov: "Svømmeopplæring som faktisk gir ferdigheter", solutions: ["Svømmeundervisning i sjøen", "Intensive svømmekurs i ferien", "Livredning som del av gymtimen"] },
  { area: "teknisk-miljo", floke: "Kraftigere regn oversvømmer sentrum", behov: "Håndtere overvann uten å grave nye rør", solutions: ["Overvann som ressurs i byrommet", "Grønne tak på kommunale bygg", "Regnbed langs bygatene"] },
  { area: "teknisk-miljo", floke: "Avfall som kunne vært gjenbrukt", behov: "Enklere å levere og hente brukte ting", solutions: ["Gjenbruksbu ved miljøstasjonen", "Digital byttering for møbler"] },
  { area: "plan-bygg", floke: "Lang saksbehandling for byggesøknader", behov: "Søkere vil vite hva som mangler med en gang", solutions: ["Digital byggesøknad med veiviser", "Forhåndskonferanse på video"] },
  { area: "plan-bygg", floke: "Sentrum mister liv og handel", behov: "Innbyggerne vil bruke byen mer", solutions: ["Bylab med tjenestedesign", "Midlertidige byrom i tomme lokaler"] },
  { area: "administrasjon-digitalisering", floke: "Innbyggere venter lenge på svar", behov: "Svar samme dag på enkle spørsmål", solutions: ["Digitale søknadsprosesser", "Chatbot for vanlige spørsmål", "Felles kundesenter for flere kommuner"] },
  { area: "administrasjon-digitalisering", floke: "Nabokommuner bygger det samme hver for seg", behov: "Dele infrastruktur og kompetanse", solutions: ["Felles IT-drift i regionen", "Interkommunalt innkjøpssamarbeid"] },
  { area: "nav-sosial", floke: "Rus og psykiske plager gir utenforskap", behov: "Hjelp fra noen som har vært der selv", solutions: ["Erfaringskonsulenter i rusomsorgen", "Arbeidstrening med tett oppfølging"] },
  { area: "nav-sosial", floke: "Vanskeligstilte finner ikke bolig", behov: "Én samlet boligtjeneste", solutions: ["Koordinert boligkontor", "Leie til eie for førstegangskjøpere"] },
  { area: "kultur", floke: "Turister blir bare én natt", behov: "Opplevelser som henger sammen i regionen", solutions: ["Living Lab for reiseliv", "Felles kulturkalender for regionen"] },
  { area: "integrering", floke: "Nyankomne får ikke jobb", behov: "Språk og arbeidspraksis samtidig", solutions: ["Språkpraksis i kommunale virksomheter", "Ungdommens egen integreringsundersøkelse"] },
  { area: "klima-energi", floke: "Høyt energiforbruk i kommunale bygg", behov: "Styre energibruken etter faktisk bruk", solutions: ["Smarte målere i skolebygg", "Solceller på sykehjemmet"] },
  { area: "naering", floke: "Små bedrifter finner ikke fram i kommunen", behov: "Én kontakt for næringslivet", solutions: ["Næringslos for gründere", "Innovasjonssamlinger med mange små problemer"] },
];

const fylker = ["Østfold", "Akershus", "Oslo", "Buskerud", "Innlandet", "Vestfold", "Telemark", "Agder", "Rogaland", "Vestland", "Møre og Romsdal", "Trøndelag", "Nordland", "Troms", "Finnmark"];

const knownMunicipalities: GeneratedMunicipality[] = [
  { name: "Fredrikstad kommune", handle: "fredrikstad", kommunenummer: "3107", fylke: "Østfold" },
  { name: "Sarpsborg kommune", handle: "sarpsborg", kommunenummer: "3105", fylke: "Østfold" },
  { name: "Hvaler kommune", handle: "hvaler", kommunenummer: "3110", fylke: "Østfold" },
  { name: "Råde kommune", handle: "rade", kommunenummer: "3112", fylke: "Østfold" },
  { name: "Asker kommune", handle: "asker", kommunenummer: "3203", fylke: "Akershus" },
  { name: "Kongsvinger kommune", handle: "kongsvinger", kommunenummer: "3401", fylke: "Innlandet" },
  { name: "Flekkefjord kommune", handle: "flekkefjord", kommunenummer: "4207", fylke: "Agder" },
  { name: "Færder kommune", handle: "faerder", kommunenummer: "3911", fylke: "Vestfold" },
];

/** A small, fast, seeded random generator (mulberry32). */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function generateMunicipalities(count: number): GeneratedMunicipality[] {
  const out = knownMunicipalities.slice(0, count);
  for (let i = out.length; i < count; i++) {
    const nr = String(5000 + i).padStart(4, "0");
    out.push({ name: `Testkommune ${nr}`, handle: `testkommune${nr}`, kommunenummer: nr, fylke: fylker[i % fylker.length] });
  }
  return out;
}

export function generateProject(random: () => number, index: number): ProjectContent {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
  const some = <T>(list: readonly T[], max: number): T[] => {
    const n = 1 + Math.floor(random() * max);
    return [...new Set(Array.from({ length: n }, () => pick(list)))];
  };
  const theme = pick(themes);
  const solution = pick(theme.solutions);
  const phase = pick(phases).slug;
  const year = 2018 + Math.floor(random() * 8);
  const inUse = phase === "drift" || phase === "skalering";
  return {
    title: index % 7 === 0 ? `${solution} (${year})` : solution,
    summary: `${solution}: et svar på at ${theme.floke.toLowerCase()}. ${theme.behov}.`,
    description: `## Bakgrunn\n\n${theme.floke}. Vi startet med å snakke med dem det gjelder.\n\n## Hva vi gjør\n\n${solution} prøves ut i ${pick(["én bydel", "to virksomheter", "hele kommunen", "et lite team"])} sammen med ${pick(["innbyggere", "frivillige", "en høgskole", "nabokommunen"])}.`,
    floke: theme.floke,
    behov: theme.behov,
    phase,
    n3Stage: pick(n3Stages).slug,
    innovationTypes: some(innovationTypes.map((t) => t.slug), 2),
    scale: pick(scales).slug,
    serviceAreas: [theme.area],
    strategicAreas: [],
    municipalRoles: some(municipalRoles.map((r) => r.slug), 2),
    plannedBenefits: [{ kind: "kvalitet", description: `Bedre ${theme.behov.toLowerCase()}` }],
    realisedBenefits: inUse && random() < 0.6 ? [{ kind: "tid", description: "Sparte timer hver uke etter innføringen" }] : [],
    partners: random() < 0.5 ? [{ type: "forskning", name: "Høgskolen i Østfold" }] : [],
    funding: some(fundingSources.map((f) => f.slug), 2),
    methods: some(methods.map((m) => m.slug), 3),
    contacts: [{ name: pick(["Kari Nordmann", "Ola Hansen", "Aisha Khan", "Per Olsen", "Ingrid Berg"]), role: "Prosjektleder", email: "" }],
    lessons: inUse ? "Det tok tid å få med de ansatte, men det lønte seg å starte smått." : "",
    lessonsFailed: random() < 0.3 ? "Den første løsningen var for komplisert for brukerne, og vi måtte begynne på nytt." : "",
    risk: "Lav risiko: vi kan gå tilbake til slik det var.",
    cost: "",
    seekingPartners: random() < 0.15,
    startDate: `${year}-0${1 + Math.floor(random() * 9)}-01`,
    endDate: null,
    adaptation: "",
  };
}
