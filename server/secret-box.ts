// Secrets an administrator saves in the database (the OIDC client secret) are
// sealed with a key that lives outside it, so a database dump or backup never
// holds them in clear. The key comes from KOMINN_SECRET_KEY, or else from a key
// file made on first use in the data directory.
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { parseSecretKey } from "../core/config.ts";

const prefix = "sealed:v1:";

export interface SecretBox {
  seal(plain: string): Promise<string>;
  /** The plain text, or undefined when it was sealed with another key or is damaged. */
  open(sealed: string): Promise<string | undefined>;
}

/** Loads the key on first use only, so an instance that never stores a secret makes no key file. */
export function secretBox(loadKey: () => Promise<Buffer>): SecretBox {
  let key: Promise<Buffer> | undefined;
  // A failure is not kept: once the key file is mended, the next use reads it.
  const theKey = () =>
    (key ??= loadKey().catch((error: unknown) => {
      key = undefined;
      throw error;
    }));
  return {
    async seal(plain) {
      const k = await theKey();
      const iv = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", k, iv);
      const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
      return prefix + Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64");
    },
    async open(sealed) {
      // Values saved before sealing existed are plain text; they are sealed at the next save.
      if (!sealed.startsWith(prefix)) return sealed;
      const k = await theKey();
      const raw = Buffer.from(sealed.slice(prefix.length), "base64");
      if (raw.length < 28) return undefined;
      try {
        const decipher = createDecipheriv("aes-256-gcm", k, raw.subarray(0, 12));
        decipher.setAuthTag(raw.subarray(12, 28));
        return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString("utf8");
      } catch {
        return undefined;
      }
    },
  };
}

/**
 * The key from the environment, else `<dataDir>/secret.key` (created, readable
 * by the owner only); an in-memory database gets a key that lives as long as it.
 */
export async function loadSecretKey(options: { secretKey: Buffer | undefined; dataDir: string }): Promise<Buffer> {
  if (options.secretKey) return options.secretKey;
  if (options.dataDir.startsWith("memory://")) return randomBytes(32);
  const file = join(options.dataDir, "secret.key");
  try {
    const key = parseSecretKey(await readFile(file, "utf8"));
    if (!key) throw new Error(`${file} does not hold a 32-byte base64 key`);
    return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  await mkdir(options.dataDir, { recursive: true });
  const key = randomBytes(32);
  try {
    await writeFile(file, `${key.toString("base64")}\n`, { mode: 0o600, flag: "wx" });
    return key;
  } catch (error) {
    // Another process made it first: use theirs.
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    return loadSecretKey(options);
  }
}
