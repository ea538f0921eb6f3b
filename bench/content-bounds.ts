// Hostile stored text against the event loop (issue 11, findings 3 and 12).
//   node bench/content-bounds.ts        (BENCH_DATABASE_URL / TEST_DATABASE_URL adds PostgreSQL)
// 1. Markdown: how long renderMarkdown holds the loop for texts of up to
//    50,000 characters built to be slow (nesting, unmatched delimiters,
//    e-mail lookahead runs) and for a long ordinary description, and which of
//    them fall back to escaped text.
// 2. Search: the longest event-loop delay while projects with 48,000-letter
//    words, 8,000 distinct words, 24,400 unmatched "_a" or 49,000 "[" are
//    indexed and then searched (50 hits a page), beside as many ordinary long
//    descriptions, measured with monitorEventLoopDelay after a warm-up.
// Figures only: nothing here asserts a time.
import { monitorEventLoopDelay, performance } from "node:perf_hooks";
import { markdownTooComplex, renderMarkdown } from "../core/markdown.ts";
import { createLocalProject } from "../db/projects.ts";
import { createApiToken } from "../db/accounts.ts";
import { emptyContent } from "../core/project.ts";
import { setupInstance } from "../services/setup.ts";
import { backendsFor, startBenchInstance, type Backend } from "./instance.ts";
import { printTable, type Row } from "./measure.ts";
import { ordinaryDescription } from "../tests/fixtures/markdown.ts";

const max = 50_000;
const fill = (unit: string) => unit.repeat(Math.ceil(max / unit.length)).slice(0, max);

/** Texts of at most 50,000 characters meant to be slow for marked. */
export const hostileMarkdown: Record<string, string> = {
  "'> ' × 25 000 (nested quotes)": fill("> "),
  "'_a' × 24 500": "_a".repeat(24_500),
  "'*a' × 25 000": fill("*a"),
  "'!!a' × 16 666": fill("!!a"),
  "'a!' run of 50 000": fill("a!"),
  "'[a' × 25 000": fill("[a"),
  "'[a](' × 12 500": fill("[a]("),
  "'<a' × 25 000": fill("<a"),
  "'- ' on one line": fill("- "),
  "'1. ' on one line": fill("1. "),
  "list, each line deeper": Array.from({ length: 1_000 }, (_, i) => `${"  ".repeat(i)}- a`).join("\n").slice(0, max),
  "list, depth 0–12 cycling": Array.from({ length: 5_000 }, (_, i) => `${"  ".repeat(i % 12)}- a`).join("\n").slice(0, max),
  "quotes 12 deep, 2 000 blocks": fill(`${"> ".repeat(12)}a\n\n`),
  "'http://a.b/_(' autolinks": fill("http://a.b/_("),
  "'*_' then a 49 000 run": "*_".repeat(500) + "a".repeat(49_000),
  "'_a' × 1 000 per paragraph": fill(`${"_a".repeat(1_000)}\n\n`),
  "'_a' × 700 per paragraph": fill(`${"_a".repeat(700)}\n\n`),
  "table 2 000 columns": `${"|a".repeat(2_000)}\n${"|-".repeat(2_000)}\n${"|a".repeat(2_000)}`.slice(0, max),
  "reference definitions": fill("[a]: b\n"),
  "'<div>' × 10 000": fill("<div>"),
  "'\\\\' × 50 000": fill("\\"),
  "'&#' × 25 000": fill("&#"),
  "'@@a' × 16 666": fill("@@a"),
  "'`a' × 25 000": fill("`a"),
  "flat list, 12 500 items": fill("- a\n"),
  "list, 2 500 items": fill("- punkt i en lang liste\n").slice(0, 60_000).split("\n").slice(0, 2_500).join("\n"),
  "'> a' lines": fill("> a\n"),
  "prose with 14 000 quotes": fill('a "b" '),
  "prose with 8 000 quotes": `${'a "b" '.repeat(4_000)}${"ord ".repeat(6_000)}`.slice(0, max),
};

export const ordinaryMarkdown = ordinaryDescription(max);

function timed(fn: () => void, runs = 3): number {
  fn(); // warm up
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    fn();
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)];
}

export function benchMarkdown(): Row[] {
  const rows: Row[] = [];
  for (const [name, text] of Object.entries({ "ordinary description, 50 000 chars": ordinaryMarkdown, ...hostileMarkdown })) {
    rows.push({
      text: name,
      chars: text.length,
      "shown as": markdownTooComplex(text) ? "escaped text" : "Markdown",
      "check ms": timed(() => markdownTooComplex(text)),
      "render ms (median of 3)": timed(() => renderMarkdown(text)),
    });
  }
  return rows;
}

function randomWords(n: number, seed: number): string {
  let x = seed;
  const letters = "abcdefghijklmnoprstuvyæøå";
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    let w = "";
    const len = 4 + (i % 6);
    for (let j = 0; j < len; j++) {
      x = (x * 1_103_515_245 + 12_345) % 2 ** 31;
      w += letters[x % letters.length];
    }
    out.push(w);
  }
  return out.join(" ");
}

/** Fifty descriptions of 48,000–50,000 characters, each ending in "alarmsentralen". */
function hostileDescriptions(): string[] {
  const giant = "fall".repeat(12_000) + "sensor";
  return [
    ...Array.from({ length: 10 }, (_, i) => `${giant.slice(i)} og så varsles alarmsentralen ${i}`),
    ...Array.from({ length: 10 }, (_, i) => `${randomWords(8_000, i + 1)} alarmsentralen`),
    ...Array.from({ length: 10 }, () => `${"_a".repeat(24_400)} alarmsentralen`),
    ...Array.from({ length: 10 }, () => `${"[".repeat(49_000)} alarmsentralen`),
    ...Array.from({ length: 10 }, () => "alarmsentralen ".repeat(3_000)),
  ];
}

/** Fifty ordinary descriptions of the same length, for comparison. */
function ordinaryDescriptions(): string[] {
  return Array.from({ length: 50 }, (_, i) => `${ordinaryMarkdown.slice(i * 10, 49_000)} alarmsentralen`);
}

async function benchSearchOn(backend: Backend, kind: "hostile" | "ordinary"): Promise<Row[]> {
  const inst = await startBenchInstance(backend);
  try {
    const { municipality, admin } = await setupInstance(inst.ctx.db, {
      name: "Fredrikstad kommune", kommunenummer: "3107", fylke: "Østfold", handle: "fredrikstad",
      adminEmail: "admin@fredrikstad.test", adminName: "Anne Admin", adminPassword: "et-langt-passord-123",
    }, { origin: inst.ctx.config.origin, role: inst.ctx.config.role });
    await createApiToken(inst.ctx.db, admin.id, "bench");
    const publish = async (descriptions: string[], prefix: string) => {
      for (const [i, description] of descriptions.entries()) {
        const project = await createLocalProject(inst.ctx.db, {
          municipality, origin: inst.ctx.config.origin, slugBase: `${prefix}-${i}`,
          content: { ...emptyContent({ title: `Lang tekst ${i}`, summary: "Et sammendrag.", phase: "drift" }), description },
          descriptionHtml: "", published: true, actor: { accountId: null, name: "bench" },
        });
        inst.ctx.events.emit("project.published", { project });
      }
      await inst.ctx.events.settled();
    };
    const search = async () => {
      const t = performance.now();
      const res = await fetch(`${inst.ctx.config.origin}/api/v1/search?q=alarmsentralen&perPage=50`);
      const body = (await res.json()) as { total: number };
      return { ms: performance.now() - t, total: body.total };
    };
    // Warm up: modules loaded on first use, JIT, caches.
    await publish(["Oppvarming med alarmsentralen."], "varm");
    await search();

    const descriptions = kind === "hostile" ? hostileDescriptions() : ordinaryDescriptions();
    const histogram = monitorEventLoopDelay({ resolution: 2 });
    histogram.enable();
    const started = performance.now();
    await publish(descriptions, "lang");
    const indexMs = performance.now() - started;
    const indexMax = histogram.max / 1e6;
    histogram.reset();
    const latencies: number[] = [];
    for (let i = 0; i < 10; i++) {
      const { ms, total } = await search();
      if (total !== descriptions.length + 1) throw new Error(`expected ${descriptions.length + 1} hits, got ${total}`);
      latencies.push(ms);
    }
    histogram.disable();
    latencies.sort((a, b) => a - b);
    return [
      { backend, texts: kind, step: `index ${descriptions.length} projects`, "total ms": indexMs, "longest event-loop delay ms": indexMax },
      { backend, texts: kind, step: "search, 50 hits with snippets (median of 10)", "total ms": latencies[5], "longest event-loop delay ms": histogram.max / 1e6 },
    ];
  } finally {
    await inst.close();
  }
}

export async function benchContentBounds(postgresUrl: string | undefined): Promise<{ markdown: Row[]; search: Row[] }> {
  const markdown = benchMarkdown();
  const search: Row[] = [];
  for (const backend of backendsFor(postgresUrl)) {
    for (const kind of ["ordinary", "hostile"] as const) search.push(...(await benchSearchOn(backend, kind)));
  }
  return { markdown, search };
}

if (import.meta.main) {
  const { markdown, search } = await benchContentBounds(process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL);
  printTable("Markdown: fiendtlige tekster på opptil 50 000 tegn", markdown);
  printTable("Søk i prosjekter med fiendtlig tekst: lengste stopp i hendelsesløkka", search);
}
