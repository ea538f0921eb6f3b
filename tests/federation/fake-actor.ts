import { createServer, type IncomingMessage, type Server } from "node:http";
import { generateCryptoKeyPair, signRequest } from "@fedify/fedify";

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
  /** Activities POSTed to its inbox, parsed. */
  received: any[];
  /** Serves `document` as activity+json at `path` (absolute path on this origin). */
  serve(path: string, document: unknown): void;
  /** POSTs `activity` to `inbox`, signed with this actor's key (or another key id it serves). */
  post(inbox: string, activity: unknown, keyId?: string): Promise<{ status: number; text: string }>;
  close(): Promise<void>;
}

async function pem(key: CryptoKey): Promise<string> {
  const der = Buffer.from(await crypto.subtle.exportKey("spki", key)).toString("base64");
  return `-----BEGIN PUBLIC KEY-----\n${der.match(/.{1,64}/g)!.join("\n")}\n-----END PUBLIC KEY-----\n`;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export async function startFakeActor(name = "angriper"): Promise<FakeActor> {
  const keys = await generateCryptoKeyPair("RSASSA-PKCS1-v1_5");
  const publicKeyPem = await pem(keys.publicKey);
  const documents = new Map<string, unknown>();
  const received: any[] = [];
  const server: Server = createServer(async (req, res) => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    if (req.method === "POST" && path === "/inbox") {
      const text = await readBody(req);
      try {
        received.push(JSON.parse(text));
      } catch {
        received.push(text);
      }
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
    publicKey: { id: keyId, type: "CryptographicKey", owner: actorUrl, publicKeyPem },
  });
  return {
    origin,
    actorUrl,
    keyId,
    privateKey: keys.privateKey,
    publicKeyPem,
    received,
    serve: (path, document) => void documents.set(path, document),
    async post(inbox, activity, signingKeyId = keyId) {
      const body = typeof activity === "string" ? activity : JSON.stringify(activity);
      const request = await signRequest(
        new Request(inbox, { method: "POST", headers: { "content-type": "application/activity+json" }, body }),
        keys.privateKey,
        new URL(signingKeyId),
        { spec: "draft-cavage-http-signatures-12" },
      );
      const response = await fetch(request);
      return { status: response.status, text: await response.text() };
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
