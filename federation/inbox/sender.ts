import { verifyRequest, type Context, type FederationOptions, type InboxContext, type KeyCache, type KvKey } from "@fedify/fedify";
import { Temporal as Polyfill } from "@js-temporal/polyfill";
import { type Activity, Create, CryptographicKey, Delete, isActor, Multikey, Undo, Update } from "@fedify/vocab";
import type { Db } from "../../db/client.ts";
import type { FederationDeps } from "../deps.ts";
import { signatureTimeWindow } from "../keys.ts";
import { kvStoreOf, publicKeyPrefix } from "../kv.ts";
import { lookupByUrl } from "../loaders.ts";
import { currentQueueMessage } from "../queue.ts";
import { inboundRequest, type InboundRequest } from "./inbound-request.ts";

// Who sent an activity, checked once for every handler (guards.ts).
//
// Fedify accepts a request signed with any key whose own document names the
// actor as `owner`, wherever that document lives, and it takes an activity
// with a Linked Data signature or an integrity proof without looking at the
// HTTP signature at all. Like Mastodon, we take an activity only when the
// request is signed with a key of the actor's own: on the actor's host and
// listed by the actor's document. What the activity names as its own (its id,
// what it creates, updates, deletes or undoes) must be on that host too.

// An accepted activity is handled from the inbound queue, after the sender
// has its 202 (index.ts). Who signed its request is found out in the request
// and written into the queued message: by the inbox's own accept
// (accept.ts), or, for a request Fedify's inbox handler takes, from the
// signature Fedify verified there (`stampSigner`). The handler reads it back
// (`queuedSigner`). Only this process writes queued messages, and what the
// sender sent is under `activity`, so the sender cannot set it.

/** The key that signed an accepted activity's request, as verified when it came in. */
export interface Signer {
  keyId: string;
  /** The owner its key document names, if any. */
  ownerId: string | null;
}

interface InboxMessage {
  type: "inbox";
  signedBy?: Signer | null;
}

const isInboxMessage = (message: unknown): message is InboxMessage =>
  typeof message === "object" && message !== null && (message as { type?: unknown }).type === "inbox";

/**
 * The queue's `prepare` hook: an inbound activity queued while its request is
 * being handled gets the key that signed the request (null when no valid HTTP
 * signature). A retry, queued by the worker, keeps what the request gave it.
 */
export async function stampSigner(message: unknown, context: () => Context<FederationDeps>): Promise<unknown> {
  if (!isInboxMessage(message)) return message;
  const request = inboundRequest();
  if (!request) return message;
  return { ...message, signedBy: await signerOf(context(), request) };
}

const asSigner = (key: CryptographicKey | null): Signer | null => (key?.id ? { keyId: key.id.href, ownerId: key.ownerId?.href ?? null } : null);

/**
 * The key that validly signed `request` (its HTTP signature, within the time
 * window); null when none did. Parsed keys are kept a minute, so a peer's
 * deliveries cost one key parse, not one each (keyCache).
 */
export async function verifiedSigner(ctx: Context<FederationDeps>, request: InboundRequest): Promise<Signer | null> {
  const key = await verifyRequest(new Request(request.url, { method: "POST", headers: request.headers, body: request.body }), {
    documentLoader: ctx.documentLoader,
    contextLoader: ctx.contextLoader,
    timeWindow: signatureTimeWindow,
    keyCache: keyCache(ctx),
  });
  return asSigner(key);
}

/** Who signed the activity whose handler runs now, from its queued message (stampSigner). */
function queuedSigner(): Signer | null {
  const message = currentQueueMessage();
  if (!isInboxMessage(message) || !message.signedBy) return null;
  const { keyId, ownerId } = message.signedBy;
  return typeof keyId === "string" && URL.canParse(keyId) ? { keyId, ownerId: typeof ownerId === "string" ? ownerId : null } : null;
}

/** Activity types whose object belongs to the actor (never someone else's object). */
const ownObjectTypes = [Create, Update, Delete, Undo];

/** Why `activity` is not its actor's own, or null when it is. */
export async function senderRefusal(ctx: InboxContext<FederationDeps>, activity: Activity): Promise<string | null> {
  const actorId = activity.actorId;
  if (!actorId) return "no actor";
  const host = actorId.origin;
  if (activity.id && activity.id.origin !== host) return `its id ${activity.id.href} is not on the actor's host`;
  if (ownObjectTypes.some((type) => activity instanceof type)) {
    const foreign = activity.objectIds.find((id) => id.origin !== host);
    if (foreign) return `its object ${foreign.href} is not on the actor's host`;
  }
  const signer = queuedSigner();
  if (!signer) return "the request carried no valid HTTP signature";
  const keyId = new URL(signer.keyId);
  if (keyId.origin !== host) return `signed with ${keyId.href}, a key on another host`;
  if (signer.ownerId && signer.ownerId !== actorId.href) return `signed with ${keyId.href}, a key of ${signer.ownerId}`;
  if (!(await actorListsKey(ctx, actorId, keyId))) return `${actorId.href} does not list the key ${keyId.href}`;
  return null;
}

/**
 * Who signed a request Fedify's inbox handler queues an activity from. Fedify
 * has verified its HTTP signature before it queues the activity, unless the
 * activity carried a Linked Data signature or an integrity proof instead; the
 * key it verified (noted from its own report, `httpSignatureSeen`) is read
 * from the key cache. Otherwise the signature is verified here, still in the
 * request.
 */
async function signerOf(ctx: Context<FederationDeps>, request: InboundRequest): Promise<Signer | null> {
  const seen = verifiedKeyIds.get(request);
  const known = seen ? await keyCache(ctx).get(new URL(seen)) : undefined;
  if (known instanceof CryptographicKey) return asSigner(known);
  return verifiedSigner(ctx, request);
}

/** The key whose HTTP signature Fedify verified, per inbound request. */
const verifiedKeyIds = new WeakMap<InboundRequest, string>();

type TracerProvider = NonNullable<FederationOptions<unknown>["tracerProvider"]>;
type Attributes = Record<string, unknown> | undefined;

/**
 * Fedify's telemetry (`tracerProvider` in index.ts), used for one thing: when
 * it reports an activity received with a verified HTTP signature, the key id
 * is noted for the inbound request being handled, so the sender check does
 * not verify the same signature again. Spans record nothing else (KOMINN
 * exports no traces). Should Fedify stop reporting it, the check verifies the
 * signature itself, as before.
 */
export const httpSignatureSeen: TracerProvider = (() => {
  const spanContext = { traceId: "00000000000000000000000000000000", spanId: "0000000000000000", traceFlags: 0 };
  const span = {
    spanContext: () => spanContext,
    setAttribute: () => span,
    setAttributes: () => span,
    addEvent: (name: string, attributes?: Attributes) => {
      if (name !== "activitypub.activity.received" || attributes?.["http_signatures.verified"] !== true) return span;
      const keyId = attributes["http_signatures.key_id"];
      const request = inboundRequest();
      if (request && typeof keyId === "string" && keyId) verifiedKeyIds.set(request, keyId);
      return span;
    },
    addLink: () => span,
    addLinks: () => span,
    setStatus: () => span,
    updateName: () => span,
    end: () => {},
    isRecording: () => false,
    recordException: () => {},
  };
  const tracer = {
    startSpan: () => span,
    startActiveSpan: (...args: unknown[]) => (args.at(-1) as (s: typeof span) => unknown)(span),
  };
  return { getTracer: () => tracer } as unknown as TracerProvider;
})();

type Memo<T> = Map<string, { value: T; until: number }>;
const memoMax = 2_000;

function memoOf<T>(all: WeakMap<Db, Memo<T>>, db: Db): Memo<T> {
  let memo = all.get(db);
  if (!memo) all.set(db, (memo = new Map()));
  return memo;
}

function remember<T>(memo: Memo<T>, key: string, value: T, ttlMs: number): void {
  if (memo.size >= memoMax) memo.clear();
  memo.set(key, { value, until: Date.now() + ttlMs });
}

function recall<T>(memo: Memo<T>, key: string): T | undefined {
  const held = memo.get(key);
  if (held && held.until > Date.now()) return held.value;
  if (held) memo.delete(key);
  return undefined;
}

/** Key ids each actor's document listed when last fetched. */
const listedKeys = new WeakMap<Db, Memo<Set<string>>>();
const listedKeysTtlMs = 5 * 60_000;

/**
 * True when the actor's own document lists the key (publicKey or
 * assertionMethod). A key whose document is the actor's (`<actor>#main-key`,
 * as KOMINN and Mastodon publish it) was read from that list when Fedify
 * fetched it; any other key costs one fetch of the actor, remembered a while.
 */
async function actorListsKey(ctx: InboxContext<FederationDeps>, actorId: URL, keyId: URL): Promise<boolean> {
  const document = new URL(keyId);
  document.hash = "";
  if (document.href === actorId.href) return true;
  const memo = memoOf(listedKeys, ctx.data.db);
  if (recall(memo, actorId.href)?.has(keyId.href)) return true;
  const actor = await lookupByUrl(ctx, actorId).catch(() => null);
  if (!actor || !isActor(actor) || actor.id?.href !== actorId.href) return false;
  const keys = new Set([...actor.publicKeyIds, ...actor.assertionMethodIds].map((id) => id.href));
  remember(memo, actorId.href, keys, listedKeysTtlMs);
  return keys.has(keyId.href);
}

/** Parsed keys, so checking a signature again costs no JSON-LD parse. */
const parsedKeys = new WeakMap<Db, Memo<CryptographicKey | Multikey | null>>();
const parsedKeysTtlMs = 60_000;
/** How long a key that could not be fetched stays unavailable (as Fedify's own cache). */
const unavailableKeyTtl = Polyfill.Duration.from({ minutes: 10 }) as unknown as Temporal.Duration;

/**
 * Fedify's own public key cache (the same kv entries its inbox fills), so the
 * second check of a signature fetches nothing.
 */
function keyCache(ctx: Context<FederationDeps>): KeyCache {
  const kv = kvStoreOf(ctx.data.db);
  const memo = memoOf(parsedKeys, ctx.data.db);
  const kvKey = (keyId: URL): KvKey => [...publicKeyPrefix, keyId.href];
  const options = { documentLoader: ctx.documentLoader, contextLoader: ctx.contextLoader };
  return {
    async get(keyId) {
      const held = recall(memo, keyId.href);
      if (held !== undefined) return held;
      const serialized = await kv.get(kvKey(keyId));
      if (serialized === undefined) return undefined;
      let key: CryptographicKey | Multikey | null = null;
      if (serialized !== null) {
        key =
          (await CryptographicKey.fromJsonLd(serialized, options).catch(() => null)) ??
          (await Multikey.fromJsonLd(serialized, options).catch(() => null));
        if (!key) return undefined;
      }
      remember(memo, keyId.href, key, parsedKeysTtlMs);
      return key;
    },
    async set(keyId, key) {
      memo.delete(keyId.href);
      if (key === null) {
        await kv.set(kvKey(keyId), null, { ttl: unavailableKeyTtl });
        return;
      }
      await kv.set(kvKey(keyId), await key.toJsonLd(options));
    },
  };
}
