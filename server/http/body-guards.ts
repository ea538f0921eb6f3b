// Checks on request bodies and queries made once, where they are parsed, so
// no route can forget them: JSON nested deeper than any of our bodies is
// refused before it is parsed (nothing downstream then recurses thousands of
// levels), and a control character in any field is refused with the field
// named (PostgreSQL cannot store U+0000; XML cannot carry the others).
import type { IncomingMessage } from "node:http";
import type { RequestHandler } from "express";
import { controlCharacterMessage, hasControlCharacters } from "../../core/text.ts";
import { t } from "../../web/texts.ts";
import { HttpError, type FieldIssue } from "./errors.ts";

/** No body of ours nests deeper than a few levels (a project's contacts are three). */
export const maxJsonDepth = 32;

const open = new Set([0x5b, 0x7b]); // [ {
const close = new Set([0x5d, 0x7d]); // ] }

/**
 * The `verify` option of the JSON body parser: a linear pass over the raw
 * body that refuses nesting deeper than `maxJsonDepth`, outside strings.
 */
export function refuseDeepJson(_req: IncomingMessage, _res: unknown, body: Buffer): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < body.length; i++) {
    const b = body[i];
    if (inString) {
      if (b === 0x5c) i++; // a backslash escapes the next byte
      else if (b === 0x22) inString = false;
    } else if (b === 0x22) inString = true;
    else if (open.has(b)) {
      if (++depth > maxJsonDepth) {
        throw new HttpError(400, t.errors.jsonTooDeep, [{ field: "(body)", message: t.errors.jsonTooDeepField(maxJsonDepth) }]);
      }
    } else if (close.has(b)) depth--;
  }
}

/** Refuses a request whose body or query holds a control character in any text, naming each such field. */
export const refuseControlCharacters: RequestHandler = (req, _res, next) => {
  const issues: FieldIssue[] = [];
  collect(req.query, "", issues, 0);
  collect(req.body, "", issues, 0);
  if (issues.length) return next(new HttpError(400, t.errors.controlCharacters, issues.slice(0, 20)));
  next();
};

function collect(value: unknown, path: string, issues: FieldIssue[], depth: number): void {
  if (typeof value === "string") {
    if (hasControlCharacters(value)) issues.push({ field: path || "(body)", message: controlCharacterMessage });
    return;
  }
  // Bodies are at most maxJsonDepth deep (see refuseDeepJson); forms and queries are flat.
  if (value === null || typeof value !== "object" || depth > maxJsonDepth) return;
  for (const [key, item] of Object.entries(value)) {
    collect(item, path ? `${path}.${key}` : key, issues, depth + 1);
  }
}
