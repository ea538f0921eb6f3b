/**
 * Lower-cases and folds letters so "Råde", "Raade" and "Rade" are one word,
 * "næring"/"naering" and "svømming"/"svomming" likewise. The PostgreSQL and
 * Meilisearch backends both index and query only folded text, and the lexicon
 * folds its dictionaries the same way. One pass per character: the lexicon
 * folds a million dictionary lines with it at build time.
 */
export function fold(text: string): string {
  const lower = text.toLowerCase();
  let out = "";
  for (const c of lower) {
    if (c >= "a" && c <= "z") out += c;
    else if (c === "æ" || c === "ä") out += "ae";
    else if (c === "ø" || c === "ö") out += "o";
    else if (c === "å") out += "a";
    else out += c.normalize("NFD").replace(/\p{M}/gu, "");
  }
  return out.includes("aa") ? out.replace(/aa/g, "a") : out;
}
