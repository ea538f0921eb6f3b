// Fedify queues the keys of every delivery as JWK and imports them again for
// each inbox. The instance's own private keys are imported once: importing
// the same key again hands back the key already made, which still signs what
// the published public key verifies; any other key is imported afresh.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exportJwk, importJwk } from "@fedify/fedify";
import type { Database } from "../../db/client.ts";
import { actorKeyPairs } from "../../federation/keys.ts";
import { drivers, openTestDatabase } from "../helpers/databases.ts";

describe.each(drivers)("the instance's signing keys (%s)", (driver) => {
  let database: Database;
  beforeAll(async () => {
    database = await openTestDatabase(driver);
  });
  afterAll(() => database?.close());

  it("imports our private key once however many deliveries carry it, and it still signs verifiably", async () => {
    const [rsa] = await actorKeyPairs(database.db);
    const jwk = await exportJwk(rsa.privateKey);
    // What Fedify's outbox worker does for each inbox: the JWK from the queued message (JSON), imported.
    const again = await importJwk(JSON.parse(JSON.stringify(jwk)) as JsonWebKey, "private");
    const third = await importJwk(JSON.parse(JSON.stringify(jwk)) as JsonWebKey, "private");
    expect(again).toBe(third);
    const body = new TextEncoder().encode("a delivery");
    const signature = await crypto.subtle.sign("RSASSA-PKCS1-v1_5", again, body);
    expect(await crypto.subtle.verify("RSASSA-PKCS1-v1_5", rsa.publicKey, signature, body)).toBe(true);

    // Someone else's key (a peer's, say) is not held: each import makes its own.
    const other = (await crypto.subtle.generateKey(
      { name: "RSASSA-PKCS1-v1_5", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" },
      true,
      ["sign", "verify"],
    )) as CryptoKeyPair;
    const otherJwk = await exportJwk(other.privateKey);
    const a = await importJwk(JSON.parse(JSON.stringify(otherJwk)) as JsonWebKey, "private");
    const b = await importJwk(JSON.parse(JSON.stringify(otherJwk)) as JsonWebKey, "private");
    expect(a).not.toBe(b);
  });
});
