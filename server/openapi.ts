import { z } from "zod";
import { projectCreateSchema, projectPatchSchema } from "../core/project.ts";
import { projectQueryShape } from "../core/project-query.ts";
import { collaborationRequestSchema } from "../core/collaboration.ts";
import { overviewQuerySchema } from "../core/overview-query.ts";

const schema = (s: z.ZodType, io: "input" | "output" = "input") =>
  z.toJSONSchema(s, { io, unrepresentable: "any", target: "openapi-3.0" });

const errorSchema = {
  type: "object",
  properties: {
    error: {
      type: "object",
      properties: {
        status: { type: "integer" },
        message: { type: "string" },
        fields: {
          type: "array",
          items: { type: "object", properties: { field: { type: "string" }, message: { type: "string" } } },
        },
      },
    },
  },
};

const errors = (...codes: number[]) =>
  Object.fromEntries(
    codes.map((c) => [String(c), { description: httpText[c], content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } }]),
  );
const httpText: Record<number, string> = {
  400: "Ugyldig forespørsel; `fields` navngir hvert feil felt",
  401: "Mangler eller ugyldig API-nøkkel",
  403: "Rollen har ikke lov",
  404: "Finnes ikke",
  409: "Instansen er ikke satt opp, eller er en samleinstans",
  413: "For stort innhold",
  415: "Content-Type må være application/json",
  422: "Verdier som bryter en regel",
};

/** The OpenAPI 3 document, generated from the same zod schemas that validate requests. */
export function openApiDocument(origin: string) {
  const queryParams = Object.entries(projectQueryShape).map(([name, s]) => ({
    name,
    in: "query",
    required: false,
    schema: schema(s as z.ZodType),
  }));
  const idParam = { name: "id", in: "path", required: true, schema: { type: "string" } };
  const json = (ref: string) => ({ content: { "application/json": { schema: { $ref: `#/components/schemas/${ref}` } } } });
  return {
    openapi: "3.0.3",
    info: {
      title: "KOMINN API",
      version: "1",
      description: "Innovasjonsprosjekter i kommunen. Skriving krever `Authorization: Bearer <API-nøkkel>` (npm run kominn -- token create).",
    },
    servers: [{ url: `${origin}/api/v1` }],
    components: {
      securitySchemes: { token: { type: "http", scheme: "bearer" } },
      schemas: {
        ProjectCreate: schema(projectCreateSchema),
        ProjectPatch: schema(projectPatchSchema),
        Error: errorSchema,
      },
    },
    paths: {
      "/projects": {
        get: { summary: "List prosjekter", parameters: queryParams, responses: { "200": { description: "En side med prosjekter" }, ...errors(400) } },
        post: {
          summary: "Opprett prosjekt",
          security: [{ token: [] }],
          requestBody: { required: true, ...json("ProjectCreate") },
          responses: { "201": { description: "Opprettet" }, ...errors(400, 401, 403, 409, 413, 415, 422) },
        },
      },
      "/projects/{id}": {
        get: { summary: "Hent ett prosjekt", parameters: [idParam], responses: { "200": { description: "Prosjektet" }, ...errors(404) } },
        patch: {
          summary: "Endre prosjekt (også publisere/avpublisere med `published`)",
          security: [{ token: [] }],
          parameters: [idParam],
          requestBody: { required: true, ...json("ProjectPatch") },
          responses: { "200": { description: "Endret" }, ...errors(400, 401, 403, 404, 413, 415, 422) },
        },
        delete: {
          summary: "Slett prosjekt",
          security: [{ token: [] }],
          parameters: [idParam],
          responses: { "204": { description: "Slettet" }, ...errors(401, 403, 404) },
        },
      },
      "/projects/{id}/lineage": {
        get: { summary: "Slektstreet: originalene prosjektet bygger på og alle kjente imitasjoner av det", parameters: [idParam], responses: { "200": { description: "{ ancestors, descendants }" }, ...errors(404) } },
      },
      "/imitations": {
        post: {
          summary: "Imiter et prosjekt: lager et utkast hos oss med originalen som utgangspunkt",
          security: [{ token: [] }],
          requestBody: { required: true, content: { "application/json": { schema: { type: "object", required: ["original"], properties: { original: { type: "string", format: "uri", description: "Originalens id-URL" } }, additionalProperties: false } } } },
          responses: { "201": { description: "Utkastet (prosjekt-JSON med imitationOf)" }, ...errors(400, 401, 403, 404, 409, 415) },
        },
      },
      "/collaboration-requests": {
        get: { summary: "Forespørsler om samarbeid, inn og ut", security: [{ token: [] }], parameters: [{ name: "status", in: "query", schema: { type: "string", enum: ["pending", "accepted", "declined"] } }], responses: { "200": { description: "{ items }" }, ...errors(400, 401) } },
        post: {
          summary: "Be om å bli med i et prosjekt som søker samarbeidspartnere",
          security: [{ token: [] }],
          requestBody: { required: true, content: { "application/json": { schema: schema(collaborationRequestSchema.extend({ project: z.url() })) } } },
          responses: { "201": { description: "Lagret (eget prosjekt)" }, "202": { description: "Sendt til kommunen som eier prosjektet" }, ...errors(400, 401, 404, 415, 422) },
        },
      },
      "/collaboration-requests/{id}/accept": { post: { summary: "Godta (legger kommunen til som partner)", security: [{ token: [] }], parameters: [idParam], responses: { "200": { description: "Besvart" }, ...errors(401, 404, 409, 422), "409": { ...errors(409)["409"], description: "Forespørselen er ikke vår å svare på (vi sendte den; kommunen som eier prosjektet svarer)" } } } },
      "/collaboration-requests/{id}/decline": { post: { summary: "Avslå", security: [{ token: [] }], parameters: [idParam], responses: { "200": { description: "Besvart" }, ...errors(401, 404, 409, 422), "409": { ...errors(409)["409"], description: "Forespørselen er ikke vår å svare på (vi sendte den; kommunen som eier prosjektet svarer)" } } } },
      "/follows": {
        get: { summary: "Kommunene vi følger, med status", security: [{ token: [] }], responses: { "200": { description: "{ items }" }, ...errors(401, 403) } },
        post: {
          summary: "Følg en kommune (@handle@domene eller aktør-URL)",
          security: [{ token: [] }],
          requestBody: { required: true, content: { "application/json": { schema: { type: "object", required: ["target"], properties: { target: { type: "string" } }, additionalProperties: false } } } },
          responses: { "201": { description: "Følger (venter på svar)" }, ...errors(400, 401, 403, 422) },
        },
      },
      "/follows/bulk": {
        post: {
          summary: "Følg mange kommuner på en gang (høyst 1000); svarer med utfallet for hver",
          security: [{ token: [] }],
          requestBody: { required: true, content: { "application/json": { schema: { type: "object", required: ["targets"], properties: { targets: { type: "array", minItems: 1, maxItems: 1000, items: { type: "string", maxLength: 500 } } }, additionalProperties: false } } } },
          responses: { "200": { description: "{ results }: én linje per adresse, med status" }, ...errors(400, 401, 403, 415) },
        },
      },
      "/follows/{id}": { get: { summary: "Én følging, med status", security: [{ token: [] }], parameters: [idParam], responses: { "200": { description: "Følgingen" }, ...errors(401, 403, 404) } }, delete: { summary: "Slutt å følge", security: [{ token: [] }], parameters: [idParam], responses: { "204": { description: "Sluttet å følge" }, ...errors(401, 403, 404) } } },
      "/search": {
        get: {
          summary: "Søk etter beste praksis i regionen, et fylke eller hele landet",
          parameters: [
            { name: "q", in: "query", schema: { type: "string", maxLength: 500 } },
            { name: "scope", in: "query", schema: { type: "string", enum: ["region", "fylke", "all"] } },
            { name: "page", in: "query", schema: { type: "integer", minimum: 1 } },
            { name: "perPage", in: "query", schema: { type: "integer", minimum: 1, maximum: 50 } },
          ],
          responses: { "200": { description: "{ total, hits, facets, suggestion?, tookMs }" }, ...errors(400) },
        },
      },
      "/search/problem": {
        post: {
          summary: "Søk med en beskrivelse av problemet (opptil 20 000 tegn) i stedet for søkeord",
          requestBody: { required: true, content: { "application/json": { schema: { type: "object", required: ["text"], properties: { text: { type: "string", maxLength: 20_000 }, scope: { type: "string", enum: ["region", "fylke", "all"] }, page: { type: "integer", minimum: 1 }, perPage: { type: "integer", minimum: 1, maximum: 50 } } } } } },
          responses: { "200": { description: "{ total, hits, facets, suggestion?, tookMs }" }, ...errors(400, 415) },
        },
      },
      "/overview": {
        get: {
          summary: "Nasjonal oversikt: kommuner, prosjekter, fordelinger, mest imiterte, andel gjenbruk",
          parameters: Object.keys(overviewQuerySchema.shape).map((name) => ({ name, in: "query", required: false, schema: schema(overviewQuerySchema.shape[name as keyof typeof overviewQuerySchema.shape] as z.ZodType) })),
          responses: { "200": { description: "Tallene" }, ...errors(400) },
        },
      },
      "/export.csv": {
        get: {
          summary: "Alle offentlige prosjekter som CSV (en rad per prosjekt, UTF-8 med BOM). `delimiter=semicolon` gir semikolon som skilletegn, slik norsk Excel venter",
          parameters: [{ name: "delimiter", in: "query", required: false, schema: { type: "string", enum: ["comma", "semicolon"], default: "comma" } }],
          responses: { "200": { description: "text/csv" }, ...errors(400) },
        },
      },
      "/export.json": { get: { summary: "Alle offentlige prosjekter som JSON", responses: { "200": { description: "En liste med prosjekt-JSON" } } } },
      "/catalog": { get: { summary: "DCAT-katalog (JSON-LD) for høsting til den nasjonale datakatalogen", responses: { "200": { description: "application/ld+json" } } } },
      "/openapi.json": { get: { summary: "Dette dokumentet (OpenAPI 3.1)", responses: { "200": { description: "application/json" } } } },
      "/taxonomies": { get: { summary: "Tillatte verdier for alle klassifiseringer, med bokmålsnavn", responses: { "200": { description: "Taksonomiene" } } } },
    },
  };
}
