import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { npmScript } from "./npm-scripts.ts";

const run = promisify(execFile);
const root = new URL("../../", import.meta.url);

/**
 * Runs `npm run kominn -- …args` with `env`, with the command's own Node flags
 * (they halve its memory and start-up); a failing command answers with its
 * exit code.
 */
export async function kominn(env: NodeJS.ProcessEnv, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const { flags, file } = npmScript("kominn");
  try {
    const { stdout, stderr } = await run(process.execPath, [...flags, file, ...args], { env, cwd: root });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}
