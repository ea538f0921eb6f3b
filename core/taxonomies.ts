// The national classifications every instance shares. Slugs are the stable
// wire and API values; labels are bokmål and only for display.

export interface Term<S extends string = string> {
  readonly slug: S;
  readonly label: string;
  readonly description?: string;
}

function terms<const T extends readonly Term[]>(list: T): T {
  return list;
}

export const phases = terms([
  { slug: "forstaelse", label: "Forståelse", description: "Finne og velge floken" },
  { slug: "ide", label: "Idé", description: "Utvikle ideer til løsning" },
  { slug: "test", label: "Test", description: "Prøve ut en hypotese" },
  { slug: "skalering", label: "Skalering", description: "Rulle ut i større skala" },
  { slug: "drift", label: "Drift", description: "I varig bruk" },
  { slug: "avsluttet", label: "Avsluttet" },
  { slug: "stoppet", label: "Stoppet" },
]);

export const n3Stages = terms([
  { slug: "nytt", label: "Nytt", description: "Nytt her, selv om det er kopiert fra andre" },
  { slug: "nyttig", label: "Nyttig", description: "Møter et reelt behov" },
  { slug: "nyttiggjort", label: "Nyttiggjort", description: "Tatt i bruk" },
]);

export const innovationTypes = terms([
  { slug: "produkt-tjeneste", label: "Produkt eller tjeneste" },
  { slug: "prosess", label: "Prosess" },
  { slug: "organisatorisk", label: "Organisatorisk" },
  { slug: "kommunikasjon", label: "Kommunikasjon" },
  { slug: "policy-system", label: "Policy eller system" },
]);

// Asker's "innovasjonsmuskel": four steps from everyday to radical innovation.
export const scales = terms([
  { slug: "forbedring", label: "Liten forbedring i ett tjenesteområde" },
  { slug: "tjenesteomrade", label: "Innovasjon i ett tjenesteområde" },
  { slug: "tverrfaglig", label: "På tvers av flere tjenesteområder" },
  { slug: "samskaping", label: "Samskaping på tvers av sektorer (radikal)" },
]);

export const serviceAreas = terms([
  { slug: "oppvekst-utdanning", label: "Oppvekst og utdanning" },
  { slug: "helse-omsorg", label: "Helse og omsorg" },
  { slug: "nav-sosial", label: "NAV og sosiale tjenester" },
  { slug: "kultur", label: "Kultur og fritid" },
  { slug: "teknisk-miljo", label: "Teknisk og miljø" },
  { slug: "plan-bygg", label: "Plan og bygg" },
  { slug: "administrasjon-digitalisering", label: "Administrasjon og digitalisering" },
  { slug: "naering", label: "Næring og samfunnsutvikling" },
  { slug: "klima-energi", label: "Klima og energi" },
  { slug: "integrering", label: "Integrering og inkludering" },
]);

export const municipalRoles = terms([
  { slug: "tjenesteprodusent", label: "Tjenesteprodusent" },
  { slug: "myndighetsutover", label: "Myndighetsutøver" },
  { slug: "samfunnsutvikler", label: "Samfunnsutvikler" },
  { slug: "demokratiforvalter", label: "Demokratiforvalter" },
]);

export const partnerTypes = terms([
  { slug: "innbyggere", label: "Innbyggere" },
  { slug: "naeringsliv", label: "Næringsliv" },
  { slug: "frivillighet", label: "Frivillige organisasjoner" },
  { slug: "forskning", label: "Forskning og utdanning" },
  { slug: "kommune", label: "Andre kommuner" },
  { slug: "fylkeskommune", label: "Fylkeskommune" },
  { slug: "stat", label: "Statlige etater" },
  { slug: "annet", label: "Annet" },
]);

export const fundingSources = terms([
  { slug: "egne-midler", label: "Eget budsjett" },
  { slug: "innovasjonsfond", label: "Kommunens innovasjonsfond" },
  { slug: "skjonnsmidler", label: "Statsforvalterens skjønnsmidler" },
  { slug: "regionale-forskningsfond", label: "Regionale forskningsfond" },
  { slug: "forskningsradet", label: "Forskningsrådet" },
  { slug: "innovasjon-norge", label: "Innovasjon Norge" },
  { slug: "skattefunn", label: "Skattefunn" },
  { slug: "eu", label: "EU-midler" },
  { slug: "annet", label: "Annet" },
]);

export const methods = terms([
  { slug: "slik", label: "SLIK" },
  { slug: "n3", label: "N3" },
  { slug: "tjenestedesign", label: "Tjenestedesign" },
  { slug: "lean", label: "Lean og kontinuerlig forbedring" },
  { slug: "design-thinking", label: "Design thinking" },
  { slug: "gevinstrealisering", label: "Gevinstrealisering" },
  { slug: "ros-analyse", label: "ROS-analyse" },
  { slug: "living-lab", label: "Living Lab" },
  { slug: "innovative-anskaffelser", label: "Innovative anskaffelser" },
]);

export const benefitKinds = terms([
  { slug: "kvalitet", label: "Kvalitet" },
  { slug: "tid", label: "Tid" },
  { slug: "okonomi", label: "Økonomi" },
  { slug: "klima", label: "Klima og miljø" },
  { slug: "annet", label: "Annet" },
]);

export const taxonomies = {
  phases,
  n3Stages,
  innovationTypes,
  scales,
  serviceAreas,
  municipalRoles,
  partnerTypes,
  fundingSources,
  methods,
  benefitKinds,
} as const;

type SlugOf<T extends readonly Term[]> = T[number]["slug"];

export type Phase = SlugOf<typeof phases>;
export type N3Stage = SlugOf<typeof n3Stages>;
export type InnovationType = SlugOf<typeof innovationTypes>;
export type Scale = SlugOf<typeof scales>;
export type ServiceArea = SlugOf<typeof serviceAreas>;
export type Method = SlugOf<typeof methods>;

export function slugsOf<T extends readonly Term[]>(list: T): [SlugOf<T>, ...SlugOf<T>[]] {
  return list.map((t) => t.slug) as [SlugOf<T>, ...SlugOf<T>[]];
}

/** The bokmål label of a slug, or the slug itself when unknown (e.g. from a newer peer). */
export function labelOf(list: readonly Term[], slug: string): string {
  return list.find((t) => t.slug === slug)?.label ?? slug;
}
