// Fills node_modules/.cache/kominn (core/cache-dir.ts) with what every start would otherwise make
// again: the lexicon's stem tables from the hunspell dictionaries (about a second and a passing
// hundred MB per start) and an initialised, empty PGlite database that new data directories are
// copied from (initdb inside PGlite: ~550 MB for seconds, once per data directory).
// `npm run build-caches`; run when the production image is built (Dockerfile) and by `npm run bench -- memory`; elsewhere
// the lexicon fills its part at the first start, and without the PGlite template `kominn setup` runs initdb.

const { prepareProcess } = await import("../server/fast-imports.ts");
prepareProcess();

const { buildPgliteTemplate } = await import("../db/client.ts");
const { readLexicon } = await import("../search/lexicon.ts");

const template = await buildPgliteTemplate();
console.log(`PGlite template: ${template}`);
const { stats } = readLexicon();
console.log(`Lexicon: ${stats.stems.nb} nb + ${stats.stems.nn} nn stems, ${stats.stored ? "already stored" : "made and stored"} (${stats.loadMs} ms)`);
