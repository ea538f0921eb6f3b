import { readFileSync } from "node:fs";

const scripts = (JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { scripts: Record<string, string> }).scripts;

/**
 * One of package.json's `node …` scripts: the Node flags it runs with and its
 * file. Tests that start a process as an operator would (`npm start`,
 * `npm run kominn`) run it with the same flags, without npm in between.
 */
export function npmScript(name: "start" | "kominn"): { flags: string[]; file: string } {
  const [node, ...args] = scripts[name].trim().split(/\s+/);
  if (node !== "node") throw new Error(`npm run ${name} is not a node command: ${scripts[name]}`);
  return { flags: args.filter((a) => a.startsWith("--")), file: args.filter((a) => !a.startsWith("--"))[0] };
}
