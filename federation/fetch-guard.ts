// Every outgoing request that remote input can steer goes through one
// "network" per instance: an undici Agent whose connector resolves the host
// name once, checks every address against the address policy
// (core/address-policy.ts) and connects to the address it checked. Nothing resolves
// the name a second time, so DNS rebinding has nothing to race, and every hop
// of a redirect is a new connection, checked the same way.
//
// Our own fetches (fetchActivityJson, the JSON-LD loaders in loaders.ts) pass
// the agent explicitly. Fedify's own requests (deliveries to inboxes, with
// their redirects) use the global fetch: installFetchGuard wraps it so that a
// request made inside runWithNetwork (the instance's queue workers), or any
// ActivityPub request made outside it, goes through the agent as well.
// Exempt, because the operator configured them and they may well be on a
// private network: the Meilisearch URL and the OIDC issuer (their requests are
// not ActivityPub traffic either, so outside the queue they are never touched).
import { AsyncLocalStorage } from "node:async_hooks";
import { lookup, Resolver } from "node:dns/promises";
import { isIP } from "node:net";
import { Agent, buildConnector, type Dispatcher } from "undici";
import { AddressPolicy } from "../core/address-policy.ts";

/** Limits on every remote fetch we make. */
export const fetchLimits = {
  timeoutMs: 10_000,
  maxBytes: 1_000_000,
  maxRedirects: 3,
} as const;

export class FetchRefusedError extends Error {}

/** What the network of an instance is built from: its config (core/config.ts) has all of it. */
export interface NetworkSettings {
  /** Our public origin, named in the User-Agent. */
  origin: string;
  /** KOMINN_ALLOW_HOSTS: host or host:port entries whose private addresses are allowed. */
  allowHosts: readonly string[];
  /** KOMINN_DNS_SERVERS: resolve names with these servers instead of the system resolver. */
  dnsServers: readonly string[];
  /** Operator-configured services, exempt from the guard. */
  meiliUrl?: string;
  oidc?: { issuer: string };
}

export const software = "KOMINN/0.1.0";

/** e.g. `KOMINN/0.1.0 (ActivityPub; +https://innovasjon.fredrikstad.kommune.no/)` */
export function userAgentFor(origin: string): string {
  return `${software} (ActivityPub; +${new URL(origin).href})`;
}

type Resolve = (host: string) => Promise<string[]>;

function resolverFor(servers: readonly string[]): Resolve {
  if (servers.length === 0) {
    return async (host) => (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);
  }
  const resolver = new Resolver({ timeout: 2_000, tries: 2 });
  resolver.setServers([...servers]);
  return async (host) => {
    const [v4, v6] = await Promise.allSettled([resolver.resolve4(host), resolver.resolve6(host)]);
    const addresses = [...(v4.status === "fulfilled" ? v4.value : []), ...(v6.status === "fulfilled" ? v6.value : [])];
    if (addresses.length === 0) throw v4.status === "rejected" ? v4.reason : new Error(`no address for ${host}`);
    return addresses;
  };
}

/** One instance's outgoing side: its policy, resolver, agent and User-Agent. */
export class Network {
  readonly policy: AddressPolicy;
  readonly userAgent: string;
  readonly dispatcher: Dispatcher;
  readonly #resolve: Resolve;
  readonly #exempt: Set<string>;

  constructor(settings: NetworkSettings) {
    this.policy = new AddressPolicy(settings.allowHosts);
    this.userAgent = userAgentFor(settings.origin);
    this.#resolve = resolverFor(settings.dnsServers);
    this.#exempt = new Set(
      [settings.meiliUrl, settings.oidc?.issuer].flatMap((u) => (u && URL.canParse(u) ? [new URL(u).origin] : [])),
    );
    const connect = buildConnector({ timeout: fetchLimits.timeoutMs });
    this.dispatcher = new Agent({
      connect: (options, callback) => {
        const port = Number(options.port) || (options.protocol === "https:" ? 443 : 80);
        this.checkedAddress(options.hostname, port).then(
          // Connect to the address that was checked; TLS still verifies the certificate for the name (from `host`).
          (address) => connect({ ...options, hostname: address }, callback),
          (error: Error) => callback(error, null),
        );
      },
    });
  }

  /** Resolves `hostname` once; every address must pass the policy; returns the one to connect to. */
  async checkedAddress(hostname: string, port: number): Promise<string> {
    const host = hostname.replace(/^\[|\]$/g, "");
    const addresses = isIP(host) ? [host] : await this.#resolve(host);
    const refused = addresses.find((address) => !this.policy.allows({ host, port }, address));
    if (addresses.length === 0 || refused !== undefined) {
      throw new FetchRefusedError(`refused ${refused ?? "no address"} for ${host}:${port}: a private address not named in KOMINN_ALLOW_HOSTS`);
    }
    return addresses[0];
  }

  exempts(url: string): boolean {
    return URL.canParse(url) && this.#exempt.has(new URL(url).origin);
  }
}

const networks = new WeakMap<NetworkSettings, Network>();

/** The network of the instance with these settings (one per config object). */
export function networkFor(settings: NetworkSettings): Network {
  let network = networks.get(settings);
  if (!network) {
    network = new Network(settings);
    networks.set(settings, network);
  }
  return network;
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

export interface GuardedFetchOptions {
  /** The instance's settings (its config): address policy, resolver, User-Agent. */
  network: NetworkSettings;
  timeoutMs?: number;
  maxBytes?: number;
  accept?: string;
  /** Signs each request (each redirect hop anew), for servers that want signed fetches. */
  sign?: (request: Request) => Promise<Request>;
}

/**
 * GETs an ActivityPub document through the instance's network: the address
 * policy at every connection, a timeout, a size cap, and redirects followed by
 * hand (at most three), so each hop is a request of its own.
 */
export async function fetchActivityJson(input: string | URL, options: GuardedFetchOptions): Promise<GuardedFetchResult> {
  const network = networkFor(options.network);
  let url = new URL(input);
  const signal = AbortSignal.timeout(options.timeoutMs ?? fetchLimits.timeoutMs);
  for (let hop = 0; ; hop++) {
    if (url.protocol !== "https:" && url.protocol !== "http:") throw new FetchRefusedError(`refused scheme ${url.protocol}`);
    let request = new Request(url, {
      headers: {
        "user-agent": network.userAgent,
        accept: options.accept ?? 'application/activity+json, application/ld+json; profile="https://www.w3.org/ns/activitystreams"',
      },
    });
    if (options.sign) request = await options.sign(request);
    let response: Response;
    try {
      response = await fetch(request, { redirect: "manual", signal, dispatcher: network.dispatcher } as RequestInit);
    } catch (error) {
      const cause = (error as { cause?: unknown }).cause;
      throw cause instanceof FetchRefusedError ? cause : error;
    }
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

// --- The global fetch, for Fedify's own requests --------------------------------

const current = new AsyncLocalStorage<Network>();

/** Runs `fn` (e.g. the queue workers) so that Fedify's requests in it use this instance's network. */
export function runWithNetwork<T>(settings: NetworkSettings, fn: () => T): T {
  return current.run(networkFor(settings), fn);
}

function isActivityPubTraffic(input: RequestInfo | URL, init?: RequestInit): boolean {
  const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
  const types = `${headers.get("content-type") ?? ""} ${headers.get("accept") ?? ""}`;
  return /activity\+json|ld\+json|jrd\+json/.test(types);
}

const registered: NetworkSettings[] = [];
let fallback: { count: number; network: Network } | undefined;

/**
 * The network for an ActivityPub request made outside any instance's context.
 * With one instance in the process (production) it is that instance's; with
 * several (tests, the demo) the union of what they allow.
 */
function fallbackNetwork(): Network | undefined {
  if (registered.length === 0) return undefined;
  if (registered.length === 1) return networkFor(registered[0]);
  if (fallback?.count !== registered.length) {
    const network = new Network({
      origin: registered[0].origin,
      allowHosts: [...new Set(registered.flatMap((s) => s.allowHosts))],
      dnsServers: registered.find((s) => s.dnsServers.length > 0)?.dnsServers ?? [],
      meiliUrl: registered[0].meiliUrl,
      oidc: registered[0].oidc,
    });
    fallback = { count: registered.length, network };
  }
  return fallback.network;
}

const installedKey = Symbol.for("kominn.fetch-guard");
type Installed = { original: typeof fetch; owner?: object };
/** This copy of the module (a test runner may load it afresh): the wrapper must read this copy's context. */
const moduleToken = {};
let deadlineMs: number = fetchLimits.timeoutMs;

function guardedFetch(original: typeof fetch): typeof fetch {
  return (input, init) => {
    if ((init as { dispatcher?: unknown } | undefined)?.dispatcher) return original(input, init);
    const activityPub = isActivityPubTraffic(input, init);
    const network = current.getStore() ?? (activityPub ? fallbackNetwork() : undefined);
    const url = input instanceof Request ? input.url : String(input);
    const ownSignal = init?.signal ?? (input instanceof Request ? input.signal : undefined);
    if (!network || network.exempts(url)) {
      return original(input, !activityPub || init?.signal ? init : { ...init, signal: AbortSignal.timeout(deadlineMs) });
    }
    const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
    headers.set("user-agent", network.userAgent);
    const deadline = AbortSignal.timeout(deadlineMs);
    const signal = ownSignal ? AbortSignal.any([ownSignal, deadline]) : deadline;
    return original(input, { ...init, headers, signal, dispatcher: network.dispatcher } as RequestInit);
  };
}

/**
 * Puts the instance's network under the global fetch (once per process; a
 * later instance only registers its settings). `timeoutMs` is the deadline
 * of every request the guard handles that has none of its own.
 */
export function installFetchGuard(settings: NetworkSettings, timeoutMs: number = fetchLimits.timeoutMs): void {
  if (!registered.includes(settings)) registered.push(settings);
  const state = ((globalThis as Record<symbol, unknown>)[installedKey] ??= { original: globalThis.fetch }) as Installed;
  if (state.owner === moduleToken) return;
  state.owner = moduleToken;
  deadlineMs = timeoutMs;
  globalThis.fetch = guardedFetch(state.original);
}
