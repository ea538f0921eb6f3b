/**
 * A progress bar on stderr for long-running commands. On a terminal it
 * redraws in place; in a log (CI) it writes a line every tenth of the way.
 */
export function progress(label: string, done: number, total: number): void {
  const width = 30;
  const filled = total === 0 ? width : Math.round((done / total) * width);
  const line = `${label} [${"#".repeat(filled)}${" ".repeat(width - filled)}] ${done}/${total}`;
  if (process.stderr.isTTY) process.stderr.write(`\r${line}${done === total ? "\n" : ""}`);
  else if (done === total || done % Math.max(1, Math.floor(total / 10)) === 0) process.stderr.write(`${line}\n`);
}
