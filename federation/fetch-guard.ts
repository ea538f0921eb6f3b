import { lookup } from "node:dns/promises";
import { BlockList, isIP } from "node:net";
import type { DocumentLoader, RemoteDocument } from "@fedify/vocab-runtime";

/** Limits on every remote fetch we make. */
export const fetchLimits = {
  timeoutMs: 10_000,
  maxBytes: 1_000_000,
  maxRedirects: 3,
} as const;

export class FetchRefusedError extends Error {}

const privateRanges = new BlockList();
for (const [net, prefix] of [
  ["0.0.0.0", 8], ["10.0.0.0", 8], ["100.64.0.0", 10], ["127.0.0.0", 8], ["169.254.0.0", 16],
  ["172.16.0.0", 12], ["192.0.0.0", 24], ["192.168.0.0", 16], ["198.18.0.0", 15], ["224.0.0.0", 4], ["240.0.0.0", 4],
] as const) privateRanges.addSubnet(net, prefix, "ipv4");
for (const [net, prefix] of [["::", 128], ["::1", 128], ["fc00::", 7], ["fe80::", 10], ["ff00::", 8]] as const) {
  privateRanges.addSubnet(net, prefix, "ipv6");
}

function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return true;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return privateRanges.check(mapped[1], "ipv4");
  return privateRanges.check(address, family === 4 ? "ipv4" : "ipv6");
}

/** Refuses non-http(s) URLs and, unless allowed, hosts that resolve to private or loopback addresses. */
export async function assertFetchable(url: URL, allowPrivate: boolean): Promise<void> {
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new FetchRefusedError(`refused scheme ${url.protocol}`);
  if (allowPrivate) return;
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const addresses = isIP(host) ? [{ address: host }] : await lookup(host, { all: true });
  if (addresses.length === 0 || addresses.some((a) => isPrivateAddress(a.address))) {
    throw new FetchRefusedError(`refused private address for ${url.host}`);
  }
}

async function readCapped(response: Response, maxBytes: number): Promise<string> {
  const declared = Number(response.headers.get("content-length") ?? "0");
  if (declared > maxBytes) throw new FetchRefusedError(`response larger than ${maxBytes} bytes`);
  const reader = response.body?.getReader();
  if (!reader) return "";
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw new FetchRefusedError(`response larger than ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

export interface GuardedFetchResult {
  status: number;
  url: string;
  json: unknown;
}

/**
 * GETs an ActivityPub document: address check on every hop, a timeout, a size
 * cap, and redirects followed by hand so each target is checked too.
 */
export async function fetchActivityJson(
  input: string | URL,
  options: { allowPrivate: boolean; timeoutMs?: number; maxBytes?: number; accept?: string },
): Promise<GuardedFetchResult> {
  let url = new URL(input);
  const signal = AbortSignal.timeout(options.timeoutMs ?? fetchLimits.timeoutMs);
  for (let hop = 0; ; hop++) {
    await assertFetchable(url, options.allowPrivate);
    const response = await fetch(url, {
      redirect: "manual",
      signal,
      headers: {
        "user-agent": "KOMINN/0.1.0 (ActivityPub; +https://kominn.no)",
        accept: options.accept ?? 'application/activity+json, application/ld+json; profile="https://www.w3.org/ns/activitystreams"',
      },
    });
    const location = response.headers.get("location");
    if (response.status >= 300 && response.status < 400 && location) {
      await response.body?.cancel();
      if (hop >= fetchLimits.maxRedirects) throw new FetchRefusedError("too many redirects");
      url = new URL(location, url);
      continue;
    }
    const text = await readCapped(response, options.maxBytes ?? fetchLimits.maxBytes);
    let json: unknown = null;
    if (response.ok) {
      try {
        json = JSON.parse(text);
      } catch {
        throw new FetchRefusedError(`invalid JSON from ${url.href}`);
      }
    }
    return { status: response.status, url: url.href, json };
  }
}

/** A Fedify document loader with the same guard, for production (private addresses refused). */
export function guardedDocumentLoader(allowPrivate: boolean): DocumentLoader {
  return async (url: string): Promise<RemoteDocument> => {
    const result = await fetchActivityJson(url, { allowPrivate });
    if (result.status >= 400) throw new FetchRefusedError(`HTTP ${result.status} from ${url}`);
    return { contextUrl: null, document: result.json, documentUrl: result.url };
  };
}

let timeoutsInstalled = false;

function isActivityPubTraffic(input: RequestInfo | URL, init?: RequestInit): boolean {
  const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
  const types = `${headers.get("content-type") ?? ""} ${headers.get("accept") ?? ""}`;
  return /activity\+json|ld\+json|jrd\+json/.test(types);
}

/**
 * Fedify's deliveries and lookups use the global fetch with no deadline; a
 * follower that never answers would hold a queue worker forever. Give every
 * ActivityPub request (by its content type or Accept header) that has no
 * signal of its own a deadline; other traffic in the process is left alone.
 */
export function installFetchDeadline(timeoutMs = 10_000): void {
  if (timeoutsInstalled) return;
  timeoutsInstalled = true;
  const original = globalThis.fetch;
  globalThis.fetch = (input, init) =>
    original(input, init?.signal || !isActivityPubTraffic(input, init) ? init : { ...init, signal: AbortSignal.timeout(timeoutMs) });
}
