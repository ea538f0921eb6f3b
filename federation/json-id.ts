/**
 * The id an ActivityPub JSON value names: a string itself, or an object's `id`
 * (or `@id`); for an array, its first entry's. Undefined when it names none.
 */
export function idOf(value: unknown): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  if (typeof first === "string") return first;
  if (typeof first === "object" && first !== null) {
    const id = (first as { id?: unknown; "@id"?: unknown }).id ?? (first as { "@id"?: unknown })["@id"];
    return typeof id === "string" ? id : undefined;
  }
  return undefined;
}
