import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../db/client.ts";
import { getLocalMunicipality } from "../../db/municipalities.ts";

const run = promisify(execFile);
const dataDir = mkdtempSync(join(tmpdir(), "kominn-cli-register-"));
const env = { ...process.env, KOMINN_DATA_DIR: dataDir, KOMINN_ORIGIN: "https://innovasjon.hvaler.test", DATABASE_URL: "" };

async function kominn(...args: string[]): Promise<{ code: number; stderr: string }> {
  try {
    const { stderr } = await run(process.execPath, ["scripts/kominn.ts", ...args], { env });
    return { code: 0, stderr };
  } catch (error) {
    const e = error as { code: number; stderr: string };
    return { code: e.code, stderr: e.stderr };
  }
}

const base = ["setup", "--name", "Hvaler kommune", "--kommunenummer", "3110", "--handle", "hvaler", "--admin-email", "admin@hvaler.test", "--admin-password", "et-langt-passord"];

// Issue 15, finding 8: `kominn setup` takes the county from the register, never as free text.
describe("kominn setup and the municipality register", () => {
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it("refuses a county that does not match the kommunenummer, naming the right one, then derives it", { timeout: 120_000 }, async () => {
    const viken = await kominn(...base, "--fylke", "Viken");
    expect(viken.code).toBe(2);
    expect(viken.stderr).toContain("--fylke: 3110 Hvaler ligger i Østfold, ikke i «Viken»");
    const unknown = await kominn(...base.map((a) => (a === "3110" ? "0199" : a)));
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("--kommunenummer: finnes ikke i kommuneregisteret");

    const ok = await kominn(...base);
    expect(ok.code, ok.stderr).toBe(0);
    const database = await openDatabase({ dataDir });
    try {
      expect((await getLocalMunicipality(database.db))?.fylke).toBe("Østfold");
    } finally {
      await database.close();
    }
  });
});
