// What the test servers that stand in for remote actors (fake-actor.ts,
// network-peer.ts) share: their key as PEM, reading what is POSTed to them,
// and POSTing an activity signed with their key.
import type { IncomingMessage } from "node:http";
import { signRequest } from "@fedify/fedify";

export async function publicKeyPem(key: CryptoKey): Promise<string> {
  const der = Buffer.from(await crypto.subtle.exportKey("spki", key)).toString("base64");
  return `-----BEGIN PUBLIC KEY-----\n${der.match(/.{1,64}/g)!.join("\n")}\n-----END PUBLIC KEY-----\n`;
}

/** A POSTed body, parsed as JSON, or as text when it is not JSON. */
export async function readPosted(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** POSTs `activity` (an object, or a body as is) to `inbox` with an HTTP signature (draft-cavage) by `keyId`. */
export async function postSigned(
  inbox: string,
  activity: unknown,
  key: { privateKey: CryptoKey; keyId: string },
): Promise<{ status: number; text: string }> {
  const body = typeof activity === "string" ? activity : JSON.stringify(activity);
  const request = new Request(inbox, { method: "POST", headers: { "content-type": "application/activity+json" }, body });
  const signed = await signRequest(request, key.privateKey, new URL(key.keyId), { spec: "draft-cavage-http-signatures-12" });
  const response = await fetch(signed);
  return { status: response.status, text: await response.text() };
}
