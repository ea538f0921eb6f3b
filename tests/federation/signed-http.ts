// What the test servers that stand in for remote actors (fake-actor.ts,
// network-peer.ts) share: their key as PEM, reading what is POSTed to them,
// and POSTing an activity signed with their key.
import type { IncomingMessage } from "node:http";
import { signRequest } from "@fedify/fedify";
import { sql } from "drizzle-orm";
import { rowsOf } from "../../db/client.ts";
import { runningInstances } from "../helpers/instance.ts";

/**
 * An inbox answers 202 once it has accepted an activity and handles it from
 * its queue afterwards. After a POST to an instance this process runs, waits
 * until it holds no accepted activity still due or being handled (one put
 * back for a later retry does not count), so the test then sees what a user
 * would see: the effect, or, for a refusal, nothing stored.
 */
export async function inboxSettled(inbox: string, timeoutMs = 15_000): Promise<void> {
  const instance = runningInstances.get(new URL(inbox).origin);
  if (!instance) return;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [row] = rowsOf<{ n: number }>(
      await instance.ctx.db.execute(
        sql`select count(*)::int as n from fedify_queue where message->>'type' = 'inbox' and (run_at <= now() or locked_until > now())`,
      ),
    );
    if (row.n === 0) return;
    if (Date.now() > deadline) throw new Error(`${inbox}: ${row.n} accepted activities not handled within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

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
  const text = await response.text();
  await inboxSettled(inbox);
  return { status: response.status, text };
}
