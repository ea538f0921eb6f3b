import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import type { LoadResult } from "./load.ts";

const run = promisify(execFile);
const loadScript = fileURLToPath(new URL("./load.ts", import.meta.url));

/** Puts `connections` concurrent clients on a URL for `seconds`, from a separate process. */
export async function measure(
  url: string,
  options: { connections?: number; seconds?: number; headers?: Record<string, string> } = {},
): Promise<LoadResult> {
  const args = [loadScript, url, String(options.connections ?? 20), String(options.seconds ?? 5)];
  if (options.headers) args.push(JSON.stringify(options.headers));
  const { stdout } = await run(process.execPath, args, { maxBuffer: 1 << 20 });
  return JSON.parse(stdout) as LoadResult;
}

/** The middle value (the upper of the two middle ones for an even count); the figures of interleaved rounds are read by it. */
export function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
}

export interface Row {
  [column: string]: string | number | null;
}

/** Prints rows as an aligned Markdown table (easy to paste into a note). */
export function printTable(title: string, rows: Row[]): void {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]);
  const cell = (v: string | number | null) =>
    v === null || (typeof v === "number" && !Number.isFinite(v)) ? "–" : typeof v === "number" ? (Number.isInteger(v) ? String(v) : v.toFixed(1)) : v;
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  const line = (values: string[]) => `| ${values.map((v, i) => v.padEnd(widths[i])).join(" | ")} |`;
  console.log(`\n### ${title}\n`);
  console.log(line(columns));
  console.log(`|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
  for (const r of rows) console.log(line(columns.map((c) => cell(r[c]))));
}

export { progress } from "../scripts/progress.ts";
