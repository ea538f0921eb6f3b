import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parseSecretKey } from "../../core/config.ts";
import { loadSecretKey, secretBox } from "../../server/secret-box.ts";
import { loadConfig } from "../../core/config.ts";

const dirs: string[] = [];
const tempDir = async () => {
  const dir = await mkdtemp(join(tmpdir(), "kominn-key-"));
  dirs.push(dir);
  return dir;
};
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

describe("secrets saved in the database", () => {
  it("are sealed: the stored text does not contain the secret, and only the same key opens it", async () => {
    const key = Buffer.alloc(32, 7);
    const box = secretBox(async () => key);
    const sealed = await box.seal("klient-hemmelighet-æøå");
    expect(sealed).not.toContain("klient-hemmelighet");
    expect(await box.seal("klient-hemmelighet-æøå")).not.toBe(sealed);
    expect(await box.open(sealed)).toBe("klient-hemmelighet-æøå");
    expect(await secretBox(async () => Buffer.alloc(32, 8)).open(sealed)).toBeUndefined();
    expect(await box.open(`${sealed.slice(0, -4)}AAAA`)).toBeUndefined();
    expect(await box.open("sealed:v1:kort")).toBeUndefined();
  });

  it("keeps reading a value saved before sealing existed", async () => {
    expect(await secretBox(async () => Buffer.alloc(32, 1)).open("gammel-klartekst")).toBe("gammel-klartekst");
  });

  it("take their key from KOMINN_SECRET_KEY, and refuse a key of the wrong size naming the variable", () => {
    const key = Buffer.alloc(32, 3).toString("base64");
    expect(loadConfig({ KOMINN_SECRET_KEY: key }).secretKey).toEqual(Buffer.alloc(32, 3));
    expect(() => loadConfig({ KOMINN_SECRET_KEY: "for-kort" })).toThrow(/KOMINN_SECRET_KEY: må være 32 byte/);
  });

  it("otherwise make a key file readable by the owner only, and use the same one at the next start", async () => {
    const dir = join(await tempDir(), "data");
    const first = await loadSecretKey({ secretKey: undefined, dataDir: dir });
    const file = join(dir, "secret.key");
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(parseSecretKey(await readFile(file, "utf8"))).toEqual(first);
    expect(await loadSecretKey({ secretKey: undefined, dataDir: dir })).toEqual(first);
    const env = Buffer.alloc(32, 9);
    expect(await loadSecretKey({ secretKey: env, dataDir: dir })).toEqual(env);
  });

  it("refuse a damaged key file rather than make a new key over it, and read it again once mended", async () => {
    const dir = await tempDir();
    await writeFile(join(dir, "secret.key"), "ikke en nøkkel\n");
    await expect(loadSecretKey({ secretKey: undefined, dataDir: dir })).rejects.toThrow(/32-byte base64 key/);
    expect(await readFile(join(dir, "secret.key"), "utf8")).toBe("ikke en nøkkel\n");
    const box = secretBox(() => loadSecretKey({ secretKey: undefined, dataDir: dir }));
    await expect(box.seal("hemmelig")).rejects.toThrow(/32-byte base64 key/);
    await writeFile(join(dir, "secret.key"), Buffer.alloc(32, 4).toString("base64"));
    expect(await secretBox(async () => Buffer.alloc(32, 4)).open(await box.seal("hemmelig"))).toBe("hemmelig");
  });
});
