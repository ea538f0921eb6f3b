import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { kominn as runKominn } from "../helpers/cli.ts";
import { openDatabase } from "../../db/client.ts";
import { getLocalMunicipality } from "../../db/municipalities.ts";

const dataDir = mkdtempSync(join(tmpdir(), "kominn-cli-register-"));
const env = { ...process.env, KOMINN_DATA_DIR: dataDir, KOMINN_ORIGIN: "https://innovasjon.hvaler.test", DATABASE_URL: "" };

const kominn = (...args: string[]) => runKominn(env, ...args);

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
