import { createServer, type Server } from "node:http";
import { generateCryptoKeyPair } from "@fedify/fedify";
import { postSigned, publicKeyPem, readPosted } from "./signed-http.ts";

/**
 * A bare ActivityPub server on 127.0.0.1 (its own port, so its own origin)
 * with one actor and an RSA key. It serves whatever documents a test puts at
 * a path, and records what is POSTed to its inbox. Used as an attacker that
 * signs correctly with its own key, and as a follower that counts Accepts.
 */
export interface FakeActor {
  /** e.g. http://127.0.0.1:43210 */
  origin: string;
  actorUrl: string;
  /** The key its actor document lists. */
  keyId: string;
  privateKey: CryptoKey;
  publicKeyPem: string;
  /** Activities POSTed to its inbox (any path ending in /inbox or /sharedInbox), parsed. */
  received: any[];
  /** Requests seen, as "<method> <path>". */
  requests: string[];
  /** Serves `document` as activity+json at `path` (absolute path on this origin). */
  serve(path: string, document: unknown): void;
  /** GETs of `path` wait (already recorded in `requests`) until the returned function is called. */
  hold(path: string): () => void;
  /** POSTs `activity` to `inbox`, signed with this actor's key (or another key id it serves). */
  post(inbox: string, activity: unknown, keyId?: string): Promise<{ status: number; text: string }>;
  close(): Promise<void>;
}

export async function startFakeActor(name = "angriper"): Promise<FakeActor> {
  const keys = await generateCryptoKeyPair("RSASSA-PKCS1-v1_5");
  const pem = await publicKeyPem(keys.publicKey);
  const documents = new Map<string, unknown>();
  const received: any[] = [];
  const requests: string[] = [];
  const held = new Map<string, Promise<void>>();
  const server: Server = createServer(async (req, res) => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    requests.push(`${req.method} ${path}`);
    await held.get(path);
    if (req.method === "POST" && /\/(inbox|sharedInbox)$/.test(path)) {
      received.push(await readPosted(req));
      res.writeHead(202).end();
      return;
    }
    const document = documents.get(path);
    if (req.method !== "GET" || document === undefined) {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
      return;
    }
    res.writeHead(200, { "content-type": "application/activity+json" }).end(JSON.stringify(document));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const actorUrl = `${origin}/actor`;
  const keyId = `${actorUrl}#main-key`;
  documents.set("/actor", {
    "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
    id: actorUrl,
    type: "Organization",
    preferredUsername: name,
    name: `${name} kommune`,
    inbox: `${origin}/inbox`,
    outbox: `${origin}/outbox`,
    followers: `${origin}/followers`,
    publicKey: { id: keyId, type: "CryptographicKey", owner: actorUrl, publicKeyPem: pem },
  });
  return {
    origin,
    actorUrl,
    keyId,
    privateKey: keys.privateKey,
    publicKeyPem: pem,
    received,
    requests,
    serve: (path, document) => void documents.set(path, document),
    hold(path) {
      let release = () => {};
      held.set(path, new Promise<void>((resolve) => (release = resolve)));
      return () => {
        held.delete(path);
        release();
      };
    },
    post: (inbox, activity, signingKeyId = keyId) => postSigned(inbox, activity, { privateKey: keys.privateKey, keyId: signingKeyId }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
