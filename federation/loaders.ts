// One JSON-LD loader pipeline, in production, tests, the demo and benchmarks
// alike (the only thing a test relaxes is the address policy, for the hosts
// it names):
//
// - documents (actors, keys, objects): Fedify's preloaded contexts, then a
//   cache in our kv store (fedify_kv, five minutes), then a guarded fetch
//   through the instance's network (fetch-guard.ts);
// - contexts: the preloaded set, then that cache. An unknown context is never
//   fetched. Fedify parses an inbox body (expanding its @context) before it
//   checks the signature, so a fetch here would let any anonymous POST make
//   us request any URL; instead the document is refused, a clear 400.
//   KOMINN documents carry their own context inline (project-object.ts), and
//   Mastodon, Misskey (plus an inline object), GoToSocial, Lemmy and others
//   use preloaded contexts. Pleroma and Akkoma name
//   `https://<their host>/schemas/litepub-0.1.jsonld` in every document: that
//   URL, on any host, is answered with our own copy of the LitePub terms
//   (litepubContext), never fetched (FEDERATION.md, "Tested servers").
// - signed fetches (Fedify's authenticated loader): the same guarded fetch,
//   signed with our key, not cached.
import { kvCache, signRequest, type Context, type KvStore } from "@fedify/fedify";
import type { Object as APObject } from "@fedify/vocab";
import { FetchError, preloadedContexts, type DocumentLoader, type RemoteDocument } from "@fedify/vocab-runtime";
import type { Logger } from "../core/logger.ts";
import { fetchActivityJson, type NetworkSettings } from "./fetch-guard.ts";

/** The same kv prefix as Fedify's own document cache. */
const cachePrefix = ["_fedify", "remoteDocument"] as const;

/**
 * The LitePub context Pleroma and Akkoma serve at /schemas/litepub-0.1.jsonld
 * on each of their hosts: ActivityStreams and security/v1 (where `publicKey`
 * is defined, so a Pleroma actor's key is found) and the extension terms
 * their documents use. A fixed document: what a sender's host would answer
 * is never asked for.
 */
const litepubContext = {
  "@context": [
    "https://www.w3.org/ns/activitystreams",
    "https://w3id.org/security/v1",
    {
      litepub: "http://litepub.social/ns#",
      ostatus: "http://ostatus.org#",
      schema: "http://schema.org#",
      toot: "http://joinmastodon.org/ns#",
      misskey: "https://misskey-hub.net/ns#",
      Emoji: "toot:Emoji",
      EmojiReact: "litepub:EmojiReact",
      ChatMessage: "litepub:ChatMessage",
      Hashtag: "as:Hashtag",
      PropertyValue: "schema:PropertyValue",
      value: "schema:value",
      sensitive: "as:sensitive",
      manuallyApprovesFollowers: "as:manuallyApprovesFollowers",
      discoverable: "toot:discoverable",
      capabilities: "litepub:capabilities",
      invisible: "litepub:invisible",
      directMessage: "litepub:directMessage",
      atomUri: "ostatus:atomUri",
      conversation: { "@id": "ostatus:conversation", "@type": "@id" },
      alsoKnownAs: { "@id": "as:alsoKnownAs", "@type": "@id" },
      quoteUrl: "as:quoteUrl",
      oauthRegistrationEndpoint: { "@id": "litepub:oauthRegistrationEndpoint", "@type": "@id" },
    },
  ],
};

/** True for a LitePub context URL of any host (https, or http on a test's loopback peer). */
function isLitepubContext(url: string): boolean {
  try {
    const parsed = new URL(url);
    return (parsed.protocol === "https:" || parsed.protocol === "http:") && parsed.pathname === "/schemas/litepub-0.1.jsonld" && !parsed.search;
  } catch {
    return false;
  }
}

function preloaded(url: string): RemoteDocument | undefined {
  if (url in preloadedContexts) return { contextUrl: null, document: preloadedContexts[url], documentUrl: url };
  return isLitepubContext(url) ? { contextUrl: null, document: litepubContext, documentUrl: url } : undefined;
}

/** jsonld's limit on remote contexts in one @context (more is a ContextUrlError, which Fedify answers with 500). */
export const maxRemoteContexts = 10;

function remoteContexts(value: unknown): number {
  const urls = new Set<string>();
  for (const entry of Array.isArray(value) ? value : [value]) {
    if (typeof entry !== "string") continue;
    urls.add(entry);
    // A preloaded context may name another one (Lemmy's names security/v1); jsonld counts it too.
    const nested = (preloaded(entry)?.document as { "@context"?: unknown } | undefined)?.["@context"];
    if (Array.isArray(nested)) for (const n of nested) if (typeof n === "string") urls.add(n);
  }
  return urls.size;
}

/** True when some @context in this JSON names more remote contexts than jsonld takes. */
export function exceedsContextLimit(json: unknown, depth = 0): boolean {
  if (typeof json !== "object" || json === null || depth > 64) return false;
  if (Array.isArray(json)) return json.some((item) => exceedsContextLimit(item, depth + 1));
  const record = json as Record<string, unknown>;
  if ("@context" in record && remoteContexts(record["@context"]) > maxRemoteContexts) return true;
  return Object.values(record).some((v) => exceedsContextLimit(v, depth + 1));
}

/**
 * True when the top-level @context names only preloaded contexts (and inline
 * ones): JSON-LD processing of such a document fetches nothing.
 */
export function namesOnlyPreloadedContexts(json: Record<string, unknown>): boolean {
  const context = json["@context"];
  const entries = Array.isArray(context) ? context : [context];
  return entries.length > 0 && entries.every((e) => (typeof e === "string" ? preloaded(e) !== undefined : typeof e === "object" && e !== null && !Array.isArray(e)));
}

async function fetchDocument(network: NetworkSettings, url: string, sign?: (request: Request) => Promise<Request>): Promise<RemoteDocument> {
  const result = await fetchActivityJson(url, { network, sign });
  if (result.status >= 400) throw new FetchError(url, `HTTP ${result.status}: ${url}`);
  if (exceedsContextLimit(result.json)) throw new FetchError(url, `more than ${maxRemoteContexts} remote @context entries: ${url}`);
  return { contextUrl: null, document: result.json, documentUrl: result.url };
}

export interface FederationLoaders {
  documentLoaderFactory: () => DocumentLoader;
  contextLoaderFactory: () => DocumentLoader;
  authenticatedDocumentLoaderFactory: (identity: { keyId: URL; privateKey: CryptoKey }) => DocumentLoader;
}

/** The loaders for createFederation, for the instance with these settings (its config). */
export function federationLoaders(network: NetworkSettings, kv: KvStore, logger: Logger): FederationLoaders {
  const documentLoader = kvCache({ loader: (url) => fetchDocument(network, url), kv, prefix: [...cachePrefix] });

  const contextLoader: DocumentLoader = async (url) => {
    const known = preloaded(url) ?? (await kv.get<RemoteDocument>([...cachePrefix, url]).catch(() => undefined));
    if (known) return known;
    logger.debug(`refused the JSON-LD context ${url}: contexts are never fetched, and this one is not preloaded or cached`);
    // Not a JSON object: jsonld reports "invalid remote context", which Fedify
    // answers with 400 (a thrown error would become a 500).
    return { contextUrl: null, document: null, documentUrl: url };
  };

  const authenticated = (identity: { keyId: URL; privateKey: CryptoKey }): DocumentLoader => {
    const sign = (request: Request) => signRequest(request, identity.privateKey, identity.keyId, { spec: "draft-cavage-http-signatures-12" });
    return async (url) => preloaded(url) ?? fetchDocument(network, url, sign);
  };

  return {
    documentLoaderFactory: () => documentLoader,
    contextLoaderFactory: () => contextLoader,
    authenticatedDocumentLoaderFactory: authenticated,
  };
}

/**
 * Fedify's lookupObject for an object URL, without the WebFinger lookup it
 * falls back to when the document cannot be loaded: that fallback checks
 * addresses on its own (a second, system DNS lookup) and can never find an
 * object our loader could not. Null when the document cannot be loaded.
 */
export async function lookupByUrl<T>(ctx: Context<T>, url: string | URL): Promise<APObject | null> {
  const href = new URL(url).href;
  let document: RemoteDocument;
  try {
    document = await ctx.documentLoader(href);
  } catch {
    return null;
  }
  const loader: DocumentLoader = (u, options) => (u === href ? Promise.resolve(document) : ctx.documentLoader(u, options));
  return ctx.lookupObject(href, { documentLoader: loader });
}
