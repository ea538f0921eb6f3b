import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { promisify } from "node:util";

const run = promisify(execFile);
const root = new URL("../../", import.meta.url);

/**
 * What follows `node` in `npm run kominn` (package.json): its Node flags and
 * the script. The tests run the command with the flags an operator's command
 * has (they halve its memory and start-up), without npm in between.
 */
function kominnCommand(): string[] {
  const scripts = (JSON.parse(readFileSync(new URL("package.json", root), "utf8")) as { scripts: Record<string, string> }).scripts;
  const [node, ...args] = scripts.kominn.trim().split(/\s+/);
  if (node !== "node") throw new Error(`npm run kominn is not a node command: ${scripts.kominn}`);
  return args;
}

/** Runs `npm run kominn -- …args` with `env`; a failing command answers with its exit code. */
export async function kominn(env: NodeJS.ProcessEnv, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [...kominnCommand(), ...args], { env, cwd: new URL(".", root) });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}
