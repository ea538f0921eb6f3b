// An instance in a child process, so that a test can kill it outright
// (SIGKILL: no shutdown code runs) and start it again on the same data.
// The parent calls spawnInstance; the child runs this file with its options.
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { startTestInstance, type TestInstanceOptions } from "./instance.ts";

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

export function spawnInstance(options: ChildOptions): Promise<ChildInstance> {
  const child = spawn(process.execPath, [script, JSON.stringify(options)], { stdio: ["pipe", "pipe", "inherit"] });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return new Promise((resolve, reject) => {
    let out = "";
    const onData = (d: Buffer) => {
      out += d.toString();
      if (!out.includes("\n")) return;
      child.stdout!.off("data", onData);
      // Whatever the instance prints later (its log) goes on to ours.
      child.stdout!.pipe(process.stderr);
      const ready = JSON.parse(out.slice(0, out.indexOf("\n"))) as Ready;
      resolve(handle(child, exited, ready));
    };
    child.stdout!.on("data", onData);
    child.once("error", reject);
    child.once("exit", (code, signal) => reject(new Error(`instance process ended before it was ready (${code ?? signal})`)));
  });
}

function handle(child: ChildProcess, exited: Promise<void>, ready: Ready): ChildInstance {
  return {
    url: ready.url,
    adminToken: ready.adminToken,
    municipality: ready.actorUrl ? { actorUrl: ready.actorUrl } : undefined,
    kill: () => (child.kill("SIGKILL"), exited),
    close: () => (child.stdin!.end(), exited),
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
