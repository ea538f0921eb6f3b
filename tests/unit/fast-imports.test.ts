// server/fast-imports.ts answers drizzle-orm's imports between its own files without Node reading
// its package.json each time (a start's memory and time). The same files must load, in the same
// format, as with Node's own resolution: the instance runs the same code either way.
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const root = fileURLToPath(new URL("../..", import.meta.url));

/** Every module a child process resolves while importing the database layer and both drivers' drizzle parts, with its format. */
async function resolved(fast: boolean): Promise<string[]> {
  const script = `
import { registerHooks } from "node:module";
${fast ? 'const { speedUpImports } = await import("./server/fast-imports.ts"); speedUpImports();' : ""}
const seen = new Set();
registerHooks({ resolve(specifier, context, next) { const r = next(specifier, context); seen.add(r.url + " " + (r.format ?? "")); return r; } });
await import("./db/client.ts");
await import("drizzle-orm/pglite");
await import("drizzle-orm/node-postgres");
await import("drizzle-orm/pglite/migrator");
process.stdout.write(JSON.stringify([...seen].sort()));`;
  const { stdout } = await run(process.execPath, ["--input-type=module", "-e", script], { cwd: root, maxBuffer: 16 << 20 });
  return JSON.parse(stdout) as string[];
}

describe("faster imports of drizzle-orm", () => {
  it("load the same files in the same format as Node's own resolution", { timeout: 60_000 }, async () => {
    const [plain, fast] = [await resolved(false), await resolved(true)];
    const drizzleFiles = plain.filter((line) => line.includes("/node_modules/drizzle-orm/"));
    expect(drizzleFiles.length).toBeGreaterThan(100);
    expect(fast).toEqual(plain);
  });
});
