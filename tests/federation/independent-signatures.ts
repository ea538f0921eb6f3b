// HTTP signatures made and checked by libraries that are not Fedify, so a
// test shows that what we accept and send interoperates with the rest of the
// fediverse, not only with ourselves:
// - draft-cavage by Joyent's `http-signature` (what Mastodon-era Node servers
//   and PeerTube used) and by `@misskey-dev/node-http-message-signatures`
//   (Misskey's own library);
// - RFC 9421: the signature base is built by Misskey's library
//   (RFC9421SignatureBaseFactory), and signed or checked with WebCrypto.
import { createHash } from "node:crypto";
import httpSignature from "http-signature";
import { inboxSettled } from "./signed-http.ts";
import {
  RFC9421SignatureBaseFactory,
  genRFC3230DigestHeader,
  parseRequestSignature,
  signAsDraftToRequest,
  verifyDigestHeader,
  verifyDraftSignature,
} from "@misskey-dev/node-http-message-signatures";

export type Scheme = "cavage-joyent" | "cavage-misskey" | "rfc9421";
export const schemes: Scheme[] = ["cavage-joyent", "cavage-misskey", "rfc9421"];

export interface SigningKey {
  keyId: string;
  privateKey: CryptoKey;
}

export async function privateKeyPem(key: CryptoKey): Promise<string> {
  const der = Buffer.from(await crypto.subtle.exportKey("pkcs8", key)).toString("base64");
  return `-----BEGIN PRIVATE KEY-----\n${der.match(/.{1,64}/g)!.join("\n")}\n-----END PRIVATE KEY-----\n`;
}

export interface Tampering {
  /** The body sent differs from the body signed. */
  bodyAfterSigning?: string;
  /** The Date (and RFC 9421 `created`) the signature claims. */
  date?: Date;
}

/** The headers (lower-case names) for a POST of `body` to `url`, signed in `scheme`. */
export async function signedHeaders(scheme: Scheme, url: string, body: string, key: SigningKey, tampering: Tampering = {}): Promise<Record<string, string>> {
  const target = new URL(url);
  const date = tampering.date ?? new Date();
  const headers: Record<string, string> = {
    host: target.host,
    date: date.toUTCString(),
    "content-type": "application/activity+json",
  };
  if (scheme === "rfc9421") {
    headers["content-digest"] = `sha-256=:${createHash("sha256").update(body).digest("base64")}:`;
    const created = Math.floor(date.getTime() / 1000);
    headers["signature-input"] =
      `sig1=("@method" "@target-uri" "@authority" "host" "date" "content-digest");created=${created};keyid="${key.keyId}";alg="rsa-v1_5-sha256"`;
    const base = new RFC9421SignatureBaseFactory({ method: "POST", url, headers } as never).generate("sig1");
    const signature = await crypto.subtle.sign("RSASSA-PKCS1-v1_5", key.privateKey, new TextEncoder().encode(base));
    headers.signature = `sig1=:${Buffer.from(signature).toString("base64")}:`;
    return headers;
  }
  headers.digest = await genRFC3230DigestHeader(body, "SHA-256");
  const covered = ["(request-target)", "host", "date", "digest", "content-type"];
  if (scheme === "cavage-misskey") {
    const request = { method: "POST", url: target.pathname + target.search, headers };
    await signAsDraftToRequest(request, key, covered);
    // The library writes `Signature`; HTTP header names are case-insensitive.
    headers.signature = (request.headers as Record<string, string>).Signature!;
    delete (request.headers as Record<string, string>).Signature;
    return headers;
  }
  // Joyent's library signs a Node ClientRequest; this is the part of one it uses.
  const pem = await privateKeyPem(key.privateKey);
  const request = {
    method: "POST",
    path: target.pathname + target.search,
    getHeader: (name: string) => headers[name.toLowerCase()],
    setHeader: (name: string, value: string) => void (headers[name.toLowerCase()] = value),
  };
  // Named "signature", it writes the Signature header as ActivityPub uses it (not Authorization).
  httpSignature.sign(request as never, { key: pem, keyId: key.keyId, headers: covered, algorithm: "rsa-sha256", authorizationHeaderName: "signature" } as never);
  return headers;
}

/** POSTs `body` to `url` signed in `scheme` (tampered if asked); the response's status and text. */
export async function postIndependentlySigned(
  scheme: Scheme,
  url: string,
  activity: unknown,
  key: SigningKey,
  tampering: Tampering = {},
): Promise<{ status: number; text: string }> {
  const body = typeof activity === "string" ? activity : JSON.stringify(activity);
  const headers = await signedHeaders(scheme, url, body, key, tampering);
  delete headers.host;
  const response = await fetch(url, { method: "POST", headers, body: tampering.bodyAfterSigning ?? body });
  const text = await response.text();
  await inboxSettled(url);
  return { status: response.status, text };
}
/** A request as a test server received it. */
export interface Received {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
}

/**
 * Checks a request's signature and digest with the independent libraries:
 * "rfc9421" when it carries Signature-Input, "draft-cavage" otherwise; null
 * when the signature, the key or the digest does not verify.
 */
export async function verifyIndependently(request: Received, publicKeyPemOf: (keyId: string) => Promise<string | null>): Promise<"rfc9421" | "draft-cavage" | null> {
  const headers = request.headers;
  if (headers["signature-input"]) {
    const match = /^([^=]+)=\((.*)\);(.*)$/.exec(headers["signature-input"].split(/,\s*(?=[A-Za-z0-9_-]+=\()/)[0]!);
    if (!match) return null;
    const label = match[1]!;
    const keyId = /keyid="([^"]+)"/.exec(match[3]!)?.[1];
    const signature = new RegExp(`${label}=:([^:]+):`).exec(headers.signature ?? "")?.[1];
    if (!keyId || !signature) return null;
    const created = Number(/(?:^|;)created=(\d+)/.exec(match[3]!)?.[1]);
    if (!(Math.abs(Date.now() / 1000 - created) <= 300)) return null;
    const digest = /sha-256=:([^:]+):/.exec(headers["content-digest"] ?? "")?.[1];
    if (digest !== createHash("sha256").update(request.body).digest("base64")) return null;
    const pem = await publicKeyPemOf(keyId);
    if (!pem) return null;
    const base = new RFC9421SignatureBaseFactory({ method: request.method, url: request.url, headers } as never).generate(label);
    const key = await importSpki(pem);
    return (await crypto.subtle.verify("RSASSA-PKCS1-v1_5", key, Buffer.from(signature, "base64"), new TextEncoder().encode(base))) ? "rfc9421" : null;
  }
  const path = new URL(request.url).pathname;
  const asIncoming = { method: request.method, url: path, headers };
  if (!(await verifyDigestHeader(asIncoming as never, request.body, true))) return null;
  const parsed = parseRequestSignature(asIncoming as never);
  if (parsed.version !== "draft") return null;
  const pem = await publicKeyPemOf(parsed.value.keyId);
  if (!pem) return null;
  if (!(await verifyDraftSignature(parsed.value, pem))) return null;
  // And Joyent's library, on the same request.
  const joyent = httpSignature.parseRequest({ method: request.method, url: path, headers, httpVersion: "1.1" } as never, { clockSkew: 300 });
  return httpSignature.verifySignature(joyent, pem) ? "draft-cavage" : null;
}

function importSpki(pem: string): Promise<CryptoKey> {
  const der = Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ""), "base64");
  return crypto.subtle.importKey("spki", der, { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, false, ["verify"]);
}
