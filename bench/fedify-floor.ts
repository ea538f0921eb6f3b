// The floor of the inbox-ingest benchmark, in its own process: Fedify's own
// inbox path (HTTP signature, key fetch and cache, JSON-LD parse) with a
// handler that does nothing, on loopback. Prints one JSON line ({ url }) and
// runs until stdin closes. The senders post it the same signed Creates.
//   node bench/fedify-floor.ts
import { createServer } from "node:http";
import { createFederation, MemoryKvStore } from "@fedify/fedify";
import { Create } from "@fedify/vocab";

if (import.meta.url === `file://${process.argv[1]}`) {
  const federation = createFederation<void>({ kv: new MemoryKvStore(), allowPrivateAddress: true, signatureTimeWindow: { minutes: 5 } });
  federation.setActorDispatcher("/users/{identifier}", () => null);
  federation.setInboxListeners("/users/{identifier}/inbox", "/inbox").on(Create, () => {});
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const headers = new Headers();
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
      const request = new Request(`http://${req.headers.host}${req.url}`, { method: req.method, headers, body: req.method === "POST" ? Buffer.concat(chunks) : undefined });
      void federation.fetch(request, { contextData: undefined }).then(async (response) => {
        res.writeHead(response.status, Object.fromEntries(response.headers));
        res.end(Buffer.from(await response.arrayBuffer()));
      });
    });
  });
  server.listen(0, "127.0.0.1", () => {
    const address = server.address();
    const port = typeof address === "object" && address ? address.port : 0;
    process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${port}` })}\n`);
  });
  process.stdin.resume();
  process.stdin.on("end", () => server.close(() => process.exit(0)));
}
