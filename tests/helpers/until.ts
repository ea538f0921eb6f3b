/** Polls every 50 ms until `what` gives a truthy value, and returns it; fails naming `label` after `timeoutMs`. */
export async function until<T>(what: () => Promise<T | undefined | false | null>, label: string, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await what();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${label}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
