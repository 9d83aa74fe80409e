// Calls to Temporal for many letters, a few at a time: enough in flight to hide the round trip,
// few enough not to flood the frontend (each caller picks its number).

/** Runs `fn` on each item, at most `limit` at once, in order of the items; resolves when all have finished (rejects on the first error `fn` throws). */
export async function forEachLimit<T>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const run = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, run));
}
