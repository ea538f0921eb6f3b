import type { ErrorRequestHandler, Request } from "express";
import { z } from "zod";
import { AggregatorPublishesNoProjectsError, ValidationError } from "../../services/projects.ts";
import type { Logger } from "../../core/logger.ts";
import { t } from "../../web/texts.ts";
import { errorPage } from "../../web/views/error-page.ts";
import { bokmalErrors } from "../forms/issues.ts";

export interface FieldIssue {
  field: string;
  message: string;
}

export class HttpError extends Error {
  readonly status: number;
  readonly fields: FieldIssue[];
  constructor(status: number, message: string, fields: FieldIssue[] = []) {
    super(message);
    this.status = status;
    this.fields = fields;
  }
}

/**
 * Zod's checks in bokmål for the API: the same words as the forms, but a wrong
 * type names the JSON type expected and a wrong choice lists the API values
 * allowed (the field names stay the documented English ones).
 */
const apiErrors: z.core.$ZodErrorMap = (issue) => {
  if ((issue.code === "invalid_type" || issue.code === "invalid_value") && issue.input === undefined) return t.form.required;
  if (issue.code === "invalid_type") {
    return t.api.fields.wrongType(t.api.jsonTypes[issue.expected as keyof typeof t.api.jsonTypes] ?? issue.expected);
  }
  if (issue.code === "invalid_value" && issue.values.length > 0) {
    return t.api.fields.oneOf(issue.values.map((v) => JSON.stringify(v)).join(", "));
  }
  return bokmalErrors(issue);
};

/** Zod issues → one entry per bad field, in bokmål, naming unknown keys too. */
export function fieldIssues(error: z.ZodError): FieldIssue[] {
  const out: FieldIssue[] = [];
  for (const issue of error.issues) {
    const path = issue.path.map(String).join(".");
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        out.push({ field: path ? `${path}.${key}` : key, message: t.api.fields.unknownField });
      }
    } else {
      out.push({ field: path || "(body)", message: issue.message });
    }
  }
  return out;
}

/** Parses a request body or query for the API; a 400 naming each bad field, in bokmål. */
export function parseOr400<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input, { error: apiErrors });
  if (!result.success) throw new HttpError(400, t.errors.badRequest, fieldIssues(result.error));
  return result.data;
}

export function isApiRequest(req: Request): boolean {
  return req.path.startsWith("/api/");
}

/** Turns any error into a clear answer: JSON for the API, a page for browsers. Never leaks a stack. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, next) => {
    if (res.headersSent) return next(err);
    let status = 500;
    let message: string = t.errors.server;
    let fields: FieldIssue[] = [];
    if (err instanceof HttpError) {
      ({ status, message, fields } = err);
    } else if (err instanceof AggregatorPublishesNoProjectsError) {
      status = 409;
      message = t.staff.aggregator;
    } else if (err instanceof ValidationError) {
      status = 422;
      message = t.api.invalidValues;
      fields = err.issues;
    } else if (err?.type === "entity.too.large") {
      status = 413;
      message = t.errors.tooLarge;
    } else if (err?.type === "entity.parse.failed") {
      status = 400;
      message = t.api.invalidJson;
      fields = [{ field: "(body)", message: t.api.fields.notJson }];
    } else if (typeof err?.status === "number" && err.status >= 400 && err.status < 500) {
      status = err.status;
      message = t.errors.badRequest;
    } else {
      logger.error(`${req.method} ${req.originalUrl} failed`, err);
    }
    if (isApiRequest(req)) {
      res.status(status).json({ error: { status, message, ...(fields.length ? { fields } : {}) } });
    } else {
      res.status(status).type("html").send(errorPage({ status, message, fields, account: res.locals.account, ...res.locals.site }).value);
    }
  };
}
