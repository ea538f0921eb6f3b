import { createHash, randomBytes } from "node:crypto";

const alphabet = "abcdefghijkmnpqrstuvwxyz23456789";

/** A short, URL-safe, unguessable id (12 characters ≈ 60 bits). */
export function newId(length = 12): string {
  const bytes = randomBytes(length);
  let id = "";
  for (const b of bytes) id += alphabet[b % alphabet.length];
  return id;
}

/** True for a string shaped like one of our ids (ids in URLs are checked before they reach a query). */
export function isId(value: unknown): value is string {
  return typeof value === "string" && /^[a-z0-9]{6,40}$/.test(value);
}

/** A secret for a person to hold (cookie, API token): 32 random bytes, base64url. */
export function newSecret(): string {
  return randomBytes(32).toString("base64url");
}

export function sha256(value: string): string {
  return createHash("sha256").update(value).digest("hex");
}
