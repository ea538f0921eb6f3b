// Characters no text of ours may hold: the C0 control characters but tab,
// line feed and carriage return (forms send CRLF), and DEL. PostgreSQL cannot
// store U+0000 at all (a 500 before), and XML 1.0 forbids the others, so one
// of them in a title made the Atom feed invalid. Input from people is refused
// with a message naming the field; input from peers is cleaned instead.
import { z } from "zod";

const controlCharacter = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
const controlCharacters = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;

export const controlCharacterMessage = "kan ikke inneholde kontrolltegn (som U+0000); bare tabulator og linjeskift er lov";

export function hasControlCharacters(text: string): boolean {
  return controlCharacter.test(text);
}

/** The text without its control characters. */
export function withoutControlCharacters(text: string): string {
  return text.replace(controlCharacters, "");
}

/** A string schema that refuses control characters, naming the field. */
export function plainString(): z.ZodString {
  return z.string().refine((s) => !hasControlCharacters(s), { error: controlCharacterMessage });
}

/**
 * The same value with every control character removed from every string in
 * it (for documents received from peers). Below `maxDepth` levels the value is
 * left as it is: no field of ours nests that deep, so validation refuses it anyway.
 */
export function stripControlCharacters<T>(value: T, maxDepth = 16): T {
  if (typeof value === "string") return withoutControlCharacters(value) as T;
  if (maxDepth <= 0) return value;
  if (Array.isArray(value)) return value.map((v) => stripControlCharacters(v, maxDepth - 1)) as T;
  if (value !== null && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, stripControlCharacters(v, maxDepth - 1)])) as T;
  }
  return value;
}
