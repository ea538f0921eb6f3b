export type LogLevel = "debug" | "info" | "warn" | "error" | "silent";
const order: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 };

export interface Logger {
  debug(message: string, detail?: unknown): void;
  info(message: string, detail?: unknown): void;
  warn(message: string, detail?: unknown): void;
  error(message: string, detail?: unknown): void;
}

export function createLogger(level: LogLevel, name = "kominn"): Logger {
  const at = (l: Exclude<LogLevel, "silent">) => (message: string, detail?: unknown) => {
    if (order[l] < order[level]) return;
    const line = `${new Date().toISOString()} ${l.toUpperCase()} [${name}] ${message}`;
    const stream = l === "error" || l === "warn" ? console.error : console.log;
    if (detail === undefined) stream(line);
    else stream(line, detail instanceof Error ? (detail.stack ?? detail.message) : detail);
  };
  return { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
}
