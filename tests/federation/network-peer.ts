// Servers for the network trust boundary tests, all on loopback addresses:
// - a peer: a bare ActivityPub actor that answers for whatever host name it is
//   reached by (its documents are built from the Host header, so a DNS name
//   pointing at it is a consistent actor), with an RSA key to sign requests;
// - a canary: a TCP server that only counts connections, standing in for an
//   internal service that nothing of ours may ever reach.
import { createServer as createHttpServer, type Server } from "node:http";
import { createServer as createTcpServer } from "node:net";
import { generateCryptoKeyPair } from "@fedify/fedify";
import { postSigned, publicKeyPem, readPosted } from "./signed-http.ts";

export interface TestPeer {
  port: number;
  /** Requests seen, as "<method> <host><path>". */
  requests: string[];
  /** The User-Agent of each request, in the same order. */
  userAgents: string[];
  /** Bodies POSTed to any inbox path, parsed. */
  received: any[];
  /** Changes the actor document for one host (e.g. its inbox), merged over the default. */
  actorOverrides(host: string, fields: Record<string, unknown>): void;
  /** Serves `document` as activity+json at `path` for every host. */
  serve(path: string, document: unknown): void;
  actorUrl(host: string): string;
  /** POSTs an activity signed with this peer's key as the actor at `host`. */
  post(host: string, inbox: string, activity: unknown): Promise<{ status: number; text: string }>;
  /** As the actor at `host`, sends a Follow of `instance`'s actor to its shared inbox. */
  follow(host: string, instance: { url: string; municipality?: { actorUrl: string } }): Promise<{ status: number; text: string }>;
  close(): Promise<void>;
}

function close(server: Server): Promise<void> {
  server.closeAllConnections?.();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** A peer listening on `address` (127.0.0.1 by default) and `port` (free by default). */
export async function startTestPeer(options: { address?: string; port?: number } = {}): Promise<TestPeer> {
  const keys = await generateCryptoKeyPair("RSASSA-PKCS1-v1_5");
  const pem = await publicKeyPem(keys.publicKey);
  const overrides = new Map<string, Record<string, unknown>>();
  const documents = new Map<string, unknown>();
  const requests: string[] = [];
  const userAgents: string[] = [];
  const received: any[] = [];
  const actorDocument = (host: string) => {
    const origin = `http://${host}`;
    return {
      "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
      id: `${origin}/actor`,
      type: "Organization",
      preferredUsername: "kommune",
      name: "Testkommune",
      inbox: `${origin}/inbox`,
      outbox: `${origin}/outbox`,
      followers: `${origin}/followers`,
      publicKey: { id: `${origin}/actor#main-key`, type: "Key", owner: `${origin}/actor`, publicKeyPem: pem },
      ...overrides.get(host),
    };
  };
  const server = createHttpServer(async (req, res) => {
    // One request per connection: every request of ours needs a fresh connection, so a fresh name lookup.
    res.setHeader("connection", "close");
    const host = req.headers.host ?? "";
    const url = new URL(req.url ?? "/", `http://${host}`);
    requests.push(`${req.method} ${host}${url.pathname}`);
    userAgents.push(req.headers["user-agent"] ?? "");
    if (req.method === "POST") {
      received.push(await readPosted(req));
      res.writeHead(202).end();
      return;
    }
    if (url.pathname === "/.well-known/webfinger") {
      const body = { subject: url.searchParams.get("resource"), links: [{ rel: "self", type: "application/activity+json", href: `http://${host}/actor` }] };
      res.writeHead(200, { "content-type": "application/jrd+json" }).end(JSON.stringify(body));
      return;
    }
    const document = url.pathname === "/actor" ? actorDocument(host) : documents.get(url.pathname);
    if (document === undefined) {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
      return;
    }
    res.writeHead(200, { "content-type": "application/activity+json" }).end(JSON.stringify(document));
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.address ?? "127.0.0.1", resolve));
  const post = (host: string, inbox: string, activity: unknown) =>
    postSigned(inbox, activity, { privateKey: keys.privateKey, keyId: `http://${host}/actor#main-key` });
  return {
    port: (server.address() as { port: number }).port,
    requests,
    userAgents,
    received,
    actorOverrides: (host, fields) => void overrides.set(host, fields),
    serve: (path, document) => void documents.set(path, document),
    actorUrl: (host) => `http://${host}/actor`,
    post,
    follow: (host, instance) =>
      post(host, `${instance.url}/inbox`, {
        "@context": "https://www.w3.org/ns/activitystreams",
        id: `http://${host}/follows/${crypto.randomUUID()}`,
        type: "Follow",
        actor: `http://${host}/actor`,
        object: instance.municipality!.actorUrl,
      }),
    close: () => close(server),
  };
}

export interface Canary {
  port: number;
  /** TCP connections accepted so far. */
  connections(): number;
  close(): Promise<void>;
}

/** Counts every TCP connection to `address`:`port` and closes it at once. */
export async function startCanary(address: string, port = 0): Promise<Canary> {
  let count = 0;
  const server = createTcpServer((socket) => {
    count++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(port, address, resolve));
  return {
    port: (server.address() as { port: number }).port,
    connections: () => count,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
