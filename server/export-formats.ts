// The aggregated catalogue as CSV and as a DCAT catalogue for the national
// data catalogue. JSON export uses projectJson, like the rest of the API.
import type { Project } from "../core/project.ts";

const list = (values: readonly string[]) => values.join("; ");

/** One column per public field; lists joined with "; ", records as "kind: text". */
export const csvColumns: [string, (p: Project) => string | number | boolean | null][] = [
  ["id", (p) => p.id],
  ["url", (p) => p.url],
  ["opprinnelse", (p) => (p.local ? "lokal" : "ekstern")],
  ["kommune", (p) => p.municipality.name],
  ["kommunenummer", (p) => p.municipality.kommunenummer],
  ["fylke", (p) => p.municipality.fylke],
  ["kommune_aktor", (p) => p.municipality.actorUrl],
  ["tittel", (p) => p.title],
  ["sammendrag", (p) => p.summary],
  ["beskrivelse", (p) => p.description],
  ["floke", (p) => p.floke],
  ["behov", (p) => p.behov],
  ["fase", (p) => p.phase],
  ["n3", (p) => p.n3Stage],
  ["innovasjonstyper", (p) => list(p.innovationTypes)],
  ["skala", (p) => p.scale],
  ["tjenesteomrader", (p) => list(p.serviceAreas)],
  ["strategiske_omrader", (p) => list(p.strategicAreas)],
  ["samfunnsroller", (p) => list(p.municipalRoles)],
  ["planlagte_gevinster", (p) => list(p.plannedBenefits.map((b) => `${b.kind}: ${b.description}`))],
  ["realiserte_gevinster", (p) => list(p.realisedBenefits.map((b) => `${b.kind}: ${b.description}`))],
  ["partnere", (p) => list(p.partners.map((x) => `${x.type}: ${x.name}`))],
  ["finansiering", (p) => list(p.funding)],
  ["metoder", (p) => list(p.methods)],
  ["kontaktpersoner", (p) => list(p.contacts.map((c) => [c.name, c.role, c.email].filter(Boolean).join(", ")))],
  ["erfaringer", (p) => p.lessons],
  ["det_som_ikke_virket", (p) => p.lessonsFailed],
  ["risiko", (p) => p.risk],
  ["kostnad", (p) => p.cost],
  ["soker_partnere", (p) => p.seekingPartners],
  ["startdato", (p) => p.startDate],
  ["sluttdato", (p) => p.endDate],
  ["imitasjon_av", (p) => p.imitationOf],
  ["tilpasning", (p) => p.adaptation],
  ["publisert", (p) => p.publishedAt?.toISOString() ?? null],
  ["oppdatert", (p) => p.updatedAt.toISOString()],
];

/** RFC 4180 quoting; a leading = + - @ is neutralised so spreadsheets never run a cell as a formula. */
export function csvCell(value: string | number | boolean | null): string {
  if (value === null) return "";
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n;]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Comma by default; semicolon for Excel in Norwegian, where the comma is the decimal sign. */
export type CsvDelimiter = "," | ";";

export function csvRow(values: (string | number | boolean | null)[], delimiter: CsvDelimiter = ","): string {
  return `${values.map(csvCell).join(delimiter)}\r\n`;
}

/** A DCAT-AP-NO style catalogue (JSON-LD) describing the project catalogue and its distributions. */
export function dcatCatalogue(options: {
  origin: string;
  publisherName: string;
  publisherUrl: string;
  /** Where to reach the publisher: its website, else its page here. */
  contactUrl: string;
  modified: Date | null;
}) {
  const { origin } = options;
  const dataset = `${origin}/api/v1/catalog#prosjekter`;
  return {
    "@context": {
      dcat: "http://www.w3.org/ns/dcat#",
      dct: "http://purl.org/dc/terms/",
      foaf: "http://xmlns.com/foaf/0.1/",
      vcard: "http://www.w3.org/2006/vcard/ns#",
      xsd: "http://www.w3.org/2001/XMLSchema#",
    },
    "@id": `${origin}/api/v1/catalog`,
    "@type": "dcat:Catalog",
    "dct:title": { "@language": "nb", "@value": `Innovasjonsprosjekter – ${options.publisherName}` },
    "dct:description": {
      "@language": "nb",
      "@value": "Katalog over innovasjonsprosjekter i kommunene, med fase, tjenesteområde, gevinster, erfaringer og hvem som har tatt løsningene i bruk.",
    },
    "dct:publisher": { "@id": options.publisherUrl, "@type": "foaf:Agent", "foaf:name": options.publisherName },
    "dct:language": { "@id": "http://publications.europa.eu/resource/authority/language/NOB" },
    "dcat:dataset": {
      "@id": dataset,
      "@type": "dcat:Dataset",
      "dct:title": { "@language": "nb", "@value": "Innovasjonsprosjekter i kommunene" },
      "dct:description": {
        "@language": "nb",
        "@value": "Offentlige innovasjonsprosjekter publisert av kommunene, med opphav (URL) for hvert prosjekt.",
      },
      "dct:publisher": { "@id": options.publisherUrl },
      "dcat:contactPoint": { "@type": "vcard:Organization", "vcard:fn": options.publisherName, "vcard:hasURL": { "@id": options.contactUrl } },
      "dcat:theme": { "@id": "http://publications.europa.eu/resource/authority/data-theme/GOVE" },
      "dcat:keyword": [
        { "@language": "nb", "@value": "innovasjon" },
        { "@language": "nb", "@value": "kommune" },
        { "@language": "nb", "@value": "beste praksis" },
      ],
      "dct:accessRights": { "@id": "http://publications.europa.eu/resource/authority/access-right/PUBLIC" },
      "dct:license": { "@id": "http://data.norge.no/nlod/no/2.0" },
      "dcat:landingPage": { "@id": `${origin}/prosjekter` },
      ...(options.modified ? { "dct:modified": { "@type": "xsd:dateTime", "@value": options.modified.toISOString() } } : {}),
      "dcat:distribution": [
        { "@type": "dcat:Distribution", "dct:format": "text/csv", "dcat:mediaType": "text/csv", "dcat:accessURL": { "@id": `${origin}/api/v1/export.csv` }, "dct:title": "CSV" },
        { "@type": "dcat:Distribution", "dct:format": "text/csv", "dcat:mediaType": "text/csv", "dcat:accessURL": { "@id": `${origin}/api/v1/export.csv?delimiter=semicolon` }, "dct:title": "CSV for Excel (semikolon)" },
        { "@type": "dcat:Distribution", "dct:format": "application/json", "dcat:mediaType": "application/json", "dcat:accessURL": { "@id": `${origin}/api/v1/export.json` }, "dct:title": "JSON" },
      ],
    },
  };
}
