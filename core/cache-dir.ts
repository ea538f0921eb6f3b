import { fileURLToPath } from "node:url";

/**
 * Where KOMINN keeps what it derives from its installed packages and can always derive again
 * (the lexicon's stem tables, an initialised PGlite database to copy): node_modules/.cache/kominn,
 * the usual place for a package cache. The production image fills it when it is built
 * (`node scripts/build-caches.ts` in the Dockerfile); elsewhere the first use fills what it can.
 * Every file in it is named by a key of what it was made from, so an update of a package or of
 * the code that makes it is never served an old file.
 */
export const cacheDir = fileURLToPath(new URL("../node_modules/.cache/kominn/", import.meta.url));
