// An instance in a child process, so that a test can kill it outright
// (SIGKILL: no shutdown code runs) and start it again on the same data.
// The parent calls spawnInstance; the child runs this file with its options.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { startTestInstance, type TestInstanceOptions } from "./instance.ts";
import { npmScript } from "./npm-scripts.ts";

type ChildOptions = Pick<TestInstanceOptions, "setup" | "dataDir" | "port" | "federation" | "env">;

interface Ready {
  url: string;
  adminToken?: string;
  actorUrl?: string;
}

export interface ChildInstance {
  url: string;
  adminToken?: string;
  municipality?: { actorUrl: string };
  /** Ends the process at once, as a crash or `kill -9` would. */
  kill(): Promise<void>;
  /** Stops it cleanly. */
  close(): Promise<void>;
}

const script = fileURLToPath(import.meta.url);

/** A child process that printed one JSON line when ready; what it prints later goes on to our stderr. */
export interface ReadyProcess<T> {
  ready: T;
  /** Ends the process at once, as a crash or `kill -9` would. */
  kill(): Promise<void>;
  /** Closes its stdin, which the child takes as the sign to stop cleanly. */
  close(): Promise<void>;
}

/** Runs `node <flags> <file> ...args` and waits for the first line it prints (JSON). */
export function spawnReady<T>(file: string, args: string[], flags: readonly string[] = []): Promise<ReadyProcess<T>> {
  const child = spawn(process.execPath, [...flags, file, ...args], { stdio: ["pipe", "pipe", "inherit"] });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return new Promise((resolve, reject) => {
    let out = "";
    const onData = (d: Buffer) => {
      out += d.toString();
      if (!out.includes("\n")) return;
      child.stdout!.off("data", onData);
      child.stdout!.pipe(process.stderr);
      resolve({
        ready: JSON.parse(out.slice(0, out.indexOf("\n"))) as T,
        kill: () => (child.kill("SIGKILL"), exited),
        close: () => (child.stdin!.end(), exited),
      });
    };
    child.stdout!.on("data", onData);
    child.once("error", reject);
    child.once("exit", (code, signal) => reject(new Error(`${file} ended before it was ready (${code ?? signal})`)));
  });
}

/** An instance in a process of its own, with the Node flags `npm start` gives a server. */
export async function spawnInstance(options: ChildOptions): Promise<ChildInstance> {
  const { ready, kill, close } = await spawnReady<Ready>(script, [JSON.stringify(options)], npmScript("start").flags);
  return {
    url: ready.url,
    adminToken: ready.adminToken,
    municipality: ready.actorUrl ? { actorUrl: ready.actorUrl } : undefined,
    kill,
    close,
  };
}

if (process.argv[1] === script) {
  const options = JSON.parse(process.argv[2]) as ChildOptions;
  const instance = await startTestInstance(options);
  const ready: Ready = { url: instance.url, adminToken: instance.adminToken, actorUrl: instance.municipality?.actorUrl };
  process.stdout.write(`${JSON.stringify(ready)}\n`);
  process.stdin.resume();
  process.stdin.on("end", () => void instance.close().then(() => process.exit(0)));
}
