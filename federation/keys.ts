import { exportJwk, generateCryptoKeyPair, importJwk } from "@fedify/fedify";
import type { Db } from "../db/client.ts";
import { getSetting, setSetting } from "../db/settings.ts";

interface StoredKeyPair {
  publicKey: JsonWebKey;
  privateKey: JsonWebKey;
}

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
  return Promise.all(
    stored.map(async (s) => ({ publicKey: await importJwk(s.publicKey, "public"), privateKey: await importJwk(s.privateKey, "private") })),
  );
}
