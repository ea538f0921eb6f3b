// Which addresses an outgoing request of ours may connect to. Pure: no I/O.
// Public unicast addresses are allowed; everything else (private, loopback,
// link-local, shared, documentation, multicast, and IPv6 forms that embed such
// an IPv4 address) is refused, unless KOMINN_ALLOW_HOSTS names the host.
// federation/fetch-guard.ts applies it to the address each connection is actually made to.
import { BlockList, isIP } from "node:net";

const v4 = new BlockList();
for (const [net, prefix] of [
  ["0.0.0.0", 8], // "this network"
  ["10.0.0.0", 8],
  ["100.64.0.0", 10], // carrier-grade NAT
  ["127.0.0.0", 8],
  ["169.254.0.0", 16], // link-local, cloud metadata
  ["172.16.0.0", 12],
  ["192.0.0.0", 24], // IETF protocol assignments
  ["192.0.2.0", 24], // documentation
  ["192.88.99.0", 24], // 6to4 relay anycast
  ["192.168.0.0", 16],
  ["198.18.0.0", 15], // benchmarking
  ["198.51.100.0", 24], // documentation
  ["203.0.113.0", 24], // documentation
  ["224.0.0.0", 4], // multicast
  ["240.0.0.0", 4], // reserved, broadcast
] as const) v4.addSubnet(net, prefix, "ipv4");

/** The 16 bytes of an IPv6 address (with or without a trailing dotted quad), or undefined. */
function ipv6Bytes(address: string): Uint8Array | undefined {
  if (isIP(address) !== 6) return undefined;
  let text = address.toLowerCase();
  const quad = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (quad) {
    const [a, b, c, d] = quad.slice(1).map(Number);
    text = `${text.slice(0, quad.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.includes("::") ? text.split("::") : [text, undefined];
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const groups = tail === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill("0"), ...right];
  if (groups.length !== 8) return undefined;
  const bytes = new Uint8Array(16);
  groups.forEach((g, i) => {
    const n = parseInt(g, 16);
    bytes[2 * i] = n >> 8;
    bytes[2 * i + 1] = n & 0xff;
  });
  return bytes;
}

const dotted = (b: Uint8Array, at: number) => `${b[at]}.${b[at + 1]}.${b[at + 2]}.${b[at + 3]}`;
const zero = (b: Uint8Array, from: number, to: number) => b.subarray(from, to).every((x) => x === 0);
/** Does `b` start with the first `bits` bits of `prefix`? */
function within(b: Uint8Array, prefix: number[], bits: number): boolean {
  for (let i = 0; i < bits; i++) {
    const mask = 0x80 >> i % 8;
    if ((b[i >> 3] & mask) !== ((prefix[i >> 3] ?? 0) & mask)) return false;
  }
  return true;
}

function isPublicIPv4(address: string): boolean {
  return !v4.check(address, "ipv4");
}

/** The IPv4 address an IPv6 address stands for (mapped, NAT64, 6to4), if any. */
function embeddedIPv4(b: Uint8Array): string | undefined {
  if (zero(b, 0, 10) && b[10] === 0xff && b[11] === 0xff) return dotted(b, 12); // ::ffff:a.b.c.d
  if (within(b, [0x00, 0x64, 0xff, 0x9b], 32) && zero(b, 4, 12)) return dotted(b, 12); // 64:ff9b::/96
  if (within(b, [0x20, 0x02], 16)) return dotted(b, 2); // 2002:aabb:ccdd::/48
  return undefined;
}

function isPublicIPv6(b: Uint8Array): boolean {
  const embedded = embeddedIPv4(b);
  if (embedded) return isPublicIPv4(embedded);
  if (!within(b, [0x20], 3)) return false; // outside 2000::/3 (global unicast): ::/96 compatible, ::1, ULA, link-local, multicast, 64:ff9b:1::/48 ...
  if (within(b, [0x20, 0x01, 0x00, 0x00], 23)) return false; // 2001::/23 IETF assignments, Teredo among them
  if (within(b, [0x20, 0x01, 0x0d, 0xb8], 32)) return false; // documentation
  if (within(b, [0x3f, 0xff], 20)) return false; // documentation (RFC 9637)
  return true;
}

/** True for a public unicast IP address; false for anything else, including names and malformed input. */
export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return isPublicIPv4(address);
  if (family !== 6 || address.includes("%")) return false;
  const bytes = ipv6Bytes(address);
  return bytes !== undefined && isPublicIPv6(bytes);
}

/** An address in the spelling URLs use for hosts: IPv4 dotted, IPv6 bracketed and compressed; IPv4-mapped IPv6 as IPv4. */
export function addressAsHost(address: string): string {
  const bare = address.replace(/^\[|\]$/g, "");
  if (isIP(bare) !== 6) return bare.toLowerCase();
  const bytes = ipv6Bytes(bare);
  if (bytes && zero(bytes, 0, 10) && bytes[10] === 0xff && bytes[11] === 0xff) return dotted(bytes, 12);
  return new URL(`http://[${bare}]/`).hostname;
}

interface AllowEntry {
  host: string;
  port: number | undefined;
}

const entryPattern = /^(\[[0-9a-fA-F:.]+\]|[^\s:/[\]@?#]+)(?::(\d{1,5}))?$/;

/**
 * One KOMINN_ALLOW_HOSTS entry, normalised (`127.0.0.1`, `127.0.0.1:4101`,
 * `[::1]:80`, `peer.internal`), or undefined when it is not `host` or `host:port`.
 */
export function normaliseAllowEntry(entry: string): string | undefined {
  const text = entry.trim();
  const bareV6 = isIP(text) === 6 ? `[${text}]` : undefined;
  const match = entryPattern.exec(bareV6 ?? text);
  if (!match) return undefined;
  const port = match[2] === undefined ? undefined : Number(match[2]);
  if (port !== undefined && (port < 1 || port > 65_535)) return undefined;
  let host: string;
  try {
    host = new URL(`http://${match[1]}/`).hostname;
  } catch {
    return undefined;
  }
  if (/^\d+$/.test(match[1]) || host === "") return undefined;
  host = addressAsHost(host);
  const shown = isIP(host) === 6 ? `[${host}]` : host;
  return port === undefined ? shown : `${shown}:${port}`;
}

function parseEntry(entry: string): AllowEntry {
  const match = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(entry)!;
  return { host: addressAsHost(match[1]), port: match[2] === undefined ? undefined : Number(match[2]) };
}

/** Where a connection goes: the URL's host (name or address, as URLs spell it) and port. */
export interface ConnectTarget {
  host: string;
  port: number;
}

/**
 * The policy one instance applies to every outgoing connection: a public
 * address is always allowed; a private one only when an entry of
 * KOMINN_ALLOW_HOSTS names it, by the URL's host or by the address itself,
 * and, when the entry has a port, on that port.
 */
export class AddressPolicy {
  readonly #entries: AllowEntry[];

  constructor(allowHosts: readonly string[]) {
    this.#entries = allowHosts.map(parseEntry);
  }

  allows(target: ConnectTarget, address: string): boolean {
    if (isPublicAddress(address)) return true;
    if (isIP(address.replace(/^\[|\]$/g, "")) === 0) return false;
    const host = addressAsHost(target.host);
    const at = addressAsHost(address);
    return this.#entries.some((e) => (e.host === host || e.host === at) && (e.port === undefined || e.port === target.port));
  }
}

/** Does KOMINN_ALLOW_HOSTS name this URL's host (by name or literal, and port when the entry has one)? */
export function namesHost(allowHosts: readonly string[], url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  const port = Number(parsed.port) || (parsed.protocol === "https:" ? 443 : 80);
  const host = addressAsHost(parsed.hostname);
  return allowHosts.map(parseEntry).some((e) => e.host === host && (e.port === undefined || e.port === port));
}
