// A small closed-loop load generator, run in its own process so it does not
// share the server's event loop: N connections, each sending its next request
// as soon as the previous answer has arrived, for a fixed time.
import http from "node:http";

export interface LoadResult {
  requests: number;
  errors: number;
  rps: number;
  p50: number;
  p95: number;
  bytes: number;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function load(url: string, connections: number, seconds: number, headers: Record<string, string>): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const latencies: number[] = [];
  let errors = 0;
  let bytes = 0;
  const until = Date.now() + seconds * 1000;
  const one = () =>
    new Promise<void>((resolve) => {
      const start = process.hrtime.bigint();
      const req = http.get(url, { agent, headers }, (res) => {
        let size = 0;
        res.on("data", (c: Buffer) => (size += c.length));
        res.on("end", () => {
          if (res.statusCode !== 200) errors++;
          else latencies.push(Number(process.hrtime.bigint() - start) / 1e6);
          bytes = size;
          resolve();
        });
      });
      req.on("error", () => {
        errors++;
        resolve();
      });
    });
  const started = Date.now();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (Date.now() < until) await one();
    }),
  );
  const elapsed = (Date.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return { requests: latencies.length, errors, rps: latencies.length / elapsed, p50: percentile(latencies, 50), p95: percentile(latencies, 95), bytes };
}

// Run as a child: node bench/load.ts <url> <connections> <seconds> [headers as JSON]
if (import.meta.url === `file://${process.argv[1]}`) {
  const [url, connections, seconds, headers] = process.argv.slice(2);
  const result = await load(url, Number(connections), Number(seconds), headers ? JSON.parse(headers) : {});
  process.stdout.write(JSON.stringify(result));
}
