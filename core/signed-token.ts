// The one way KOMINN signs what it hands out in links and cookies (CSRF
// tokens, the remembered-device cookie, the OpenID flow cookie, an idea
// submitter's erase link) and compares secrets: an HMAC-SHA256 with the
// instance's key over "purpose:value", base64url, compared in constant time.
import { createHmac, timingSafeEqual } from "node:crypto";

/** The signature of `value` for one `purpose` (a token for one purpose is worthless for another). */
export function signToken(secret: string, purpose: string, value: string): string {
  return createHmac("sha256", secret).update(`${purpose}:${value}`).digest("base64url");
}

/** Whether two tokens or secrets are equal, in a time that does not tell where they differ. */
export function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
