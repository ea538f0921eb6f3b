import { exportJwk, generateCryptoKeyPair, importJwk } from "@fedify/fedify";
import type { Db } from "../db/client.ts";
import { getSetting, setSetting } from "../db/settings.ts";

interface StoredKeyPair {
  publicKey: JsonWebKey;
  privateKey: JsonWebKey;
}

/** How old a signed request may be (Fedify's `signatureTimeWindow`, and the inbox's own check of the signer in inbox/sender.ts). */
export const signatureTimeWindow = { minutes: 5 } as const;

const settingKey = "federation.keys";
const cache = new WeakMap<Db, Promise<CryptoKeyPair[]>>();

/**
 * The instance actor's key pairs: RSA for HTTP signatures (what Mastodon
 * checks) and Ed25519 for object proofs. Made on first use, kept in settings.
 */
export function actorKeyPairs(db: Db): Promise<CryptoKeyPair[]> {
  let pending = cache.get(db);
  if (!pending) {
    pending = load(db);
    cache.set(db, pending);
    pending.catch(() => cache.delete(db));
  }
  return pending;
}

/**
 * Our private keys as imported, by their JWK. Fedify carries the keys of a
 * delivery in its queued message as JWK and imports them again for every
 * inbox (`importJwk` in its outbox worker); an import of a key pair of ours
 * with the same algorithm, usages and extractability is answered with the
 * CryptoKey already made. Any other import goes to WebCrypto as before.
 */
const imported = new Map<string, CryptoKey>();
/** The private parts (`d`) of the instances' own keys: only those are remembered. */
const ownPrivateKeys = new Set<string>();
let importHooked = false;

function importedKey(format: string, keyData: unknown, algorithm: unknown, extractable: boolean, usages: readonly string[]): string | undefined {
  if (format !== "jwk" || typeof keyData !== "object" || keyData === null) return undefined;
  const jwk = keyData as JsonWebKey;
  if (typeof jwk.d !== "string") return undefined; // only private keys
  const alg = typeof algorithm === "string" ? algorithm : JSON.stringify(algorithm);
  return JSON.stringify([jwk.kty, jwk.crv, jwk.alg, jwk.d, jwk.n ?? jwk.x, alg, extractable, [...usages].sort()]);
}

function rememberImports(): void {
  if (importHooked) return;
  importHooked = true;
  const subtle = globalThis.crypto.subtle;
  const original = subtle.importKey.bind(subtle) as (...args: unknown[]) => Promise<CryptoKey>;
  subtle.importKey = (async (format: string, keyData: unknown, algorithm: unknown, extractable: boolean, usages: readonly string[]) => {
    const id = importedKey(format, keyData, algorithm, extractable, usages);
    const held = id === undefined ? undefined : imported.get(id);
    if (held) return held;
    const key = await original(format, keyData, algorithm, extractable, usages);
    if (id !== undefined && ownPrivateKeys.has((keyData as JsonWebKey).d!)) imported.set(id, key);
    return key;
  }) as typeof subtle.importKey;
}

async function load(db: Db): Promise<CryptoKeyPair[]> {
  let stored = await getSetting<StoredKeyPair[]>(db, settingKey);
  if (!stored) {
    // RSA-2048 like Mastodon: every delivery is signed, and 4096-bit signing costs four times as much.
    const rsa = (await crypto.subtle.generateKey(
      { name: "RSASSA-PKCS1-v1_5", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" },
      true,
      ["sign", "verify"],
    )) as CryptoKeyPair;
    const made = [rsa, await generateCryptoKeyPair("Ed25519")];
    stored = await Promise.all(
      made.map(async (pair) => ({ publicKey: await exportJwk(pair.publicKey), privateKey: await exportJwk(pair.privateKey) })),
    );
    await setSetting(db, settingKey, stored);
    // Another process may have won the race: use whatever is stored.
    stored = (await getSetting<StoredKeyPair[]>(db, settingKey))!;
  }
  rememberImports();
  for (const s of stored) if (s.privateKey.d) ownPrivateKeys.add(s.privateKey.d);
  return Promise.all(
    stored.map(async (s) => ({ publicKey: await importJwk(s.publicKey, "public"), privateKey: await importJwk(s.privateKey, "private") })),
  );
}
