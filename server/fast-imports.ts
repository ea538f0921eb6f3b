import { readFileSync } from "node:fs";
import nodeModule, { registerHooks } from "node:module";
import { assertNodeVersion } from "../core/config.ts";
import { fileURLToPath } from "node:url";

/**
 * Node 24's ES module loader learns a file's format from its package.json, and for that parses the
 * package's whole `exports` map again for every file it loads. drizzle-orm's map is 179 kB and an
 * instance loads hundreds of its files: ~230 MB of garbage and ~0.7 s at every start, of which the
 * process's RSS keeps much. drizzle-orm is ES modules throughout ("type": "module", no other
 * package.json inside), so a relative `.js` import between its own files is the file beside the
 * importer, format "module": answered here without the package.json. Everything else resolves as
 * before. Called first by server/main.ts and the scripts; tests/unit/fast-imports.test.ts checks
 * that the same files load in the same format either way.
 */
export function speedUpImports(): void {
  const root = new URL(".", import.meta.resolve("drizzle-orm")).href;
  const { type } = JSON.parse(readFileSync(fileURLToPath(new URL("package.json", root)), "utf8")) as { type?: string };
  if (type !== "module") return;
  registerHooks({
    resolve(specifier, context, nextResolve) {
      const parent = context.parentURL;
      if (parent?.startsWith(root) && (specifier.startsWith("./") || specifier.startsWith("../")) && specifier.endsWith(".js")) {
        const url = new URL(specifier, parent).href;
        if (url.startsWith(root)) return { url, format: "module", shortCircuit: true };
      }
      return nextResolve(specifier, context);
    },
  });
}

/**
 * What every entry point (server/main.ts, scripts/kominn.ts, scripts/build-caches.ts) does first,
 * before it imports the rest: refuse a Node older than the pinned one; let Node keep compiled (and
 * type-stripped) modules on disk (NODE_COMPILE_CACHE, else the system's temporary directory), so a
 * second start reads them instead of compiling every file again; and register the import hook above.
 */
export function prepareProcess(): void {
  assertNodeVersion();
  nodeModule.enableCompileCache?.();
  speedUpImports();
}
