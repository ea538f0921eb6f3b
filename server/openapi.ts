import { z } from "zod";
import { projectCreateSchema, projectPatchSchema } from "./domain/project.ts";
import { projectQueryShape } from "./domain/project-query.ts";

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
      "/taxonomies": { get: { summary: "Tillatte verdier for alle klassifiseringer, med bokmålsnavn", responses: { "200": { description: "Taksonomiene" } } } },
    },
  };
}
