// The senders of the inbox-ingest benchmark, in their own process: they stand
// for other municipalities' servers, so their signing work must not share the
// receiving instance's event loop. Reads a job (JSON) on stdin, posts one
// signed Create per object URL with N concurrent senders, prints the outcome.
// The requests are signed before the clock starts.
import { signRequest } from "@fedify/fedify";

export interface SenderJob {
  inbox: string;
  actor: string;
  keyId: string;
  privateKey: JsonWebKey;
  objects: string[];
  senders: number;
  /** Makes the activity ids of one run unique. */
  tag: string;
}

export interface SenderOutcome {
  sent: number;
  refused: number;
  elapsedMs: number;
}

async function send(job: SenderJob): Promise<SenderOutcome> {
  const privateKey = await crypto.subtle.importKey("jwk", job.privateKey, { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, true, ["sign"]);
  const keyId = new URL(job.keyId);
  // Signed before the clock starts: signing is the senders' work, not the receiver's.
  const requests: Request[] = [];
  for (const object of job.objects) {
    const body = JSON.stringify({
      "@context": "https://www.w3.org/ns/activitystreams",
      id: `${object}#create-${job.tag}`,
      type: "Create",
      actor: job.actor,
      object,
      to: "https://www.w3.org/ns/activitystreams#Public",
    });
    const request = new Request(job.inbox, { method: "POST", headers: { "content-type": "application/activity+json" }, body });
    requests.push(await signRequest(request, privateKey, keyId, { spec: "draft-cavage-http-signatures-12" }));
  }
  let next = 0;
  let refused = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: job.senders }, async () => {
      for (let i = next++; i < requests.length; i = next++) {
        const response = await fetch(requests[i]);
        await response.arrayBuffer();
        if (response.status >= 300) refused++;
      }
    }),
  );
  return { sent: job.objects.length, refused, elapsedMs: performance.now() - started };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const outcome = await send(JSON.parse(Buffer.concat(chunks).toString()) as SenderJob);
  process.stdout.write(JSON.stringify(outcome));
}
