// Polling for tests, the fault tests and the bench: one loop, two ways to fail.

class ConditionNotMet extends Error {}

/** Polls `check` until it returns something truthy; at the deadline throws its last error as it is (e.g. a failed expect). */
export async function eventually<T>(check: () => Promise<T | undefined | null | false> | T | undefined | null | false, timeoutMs = 20_000, intervalMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v) return v;
      lastError = undefined;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) throw lastError ?? new ConditionNotMet(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** As `eventually`, but a timeout says what was awaited, with the last error's message if there was one. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined | null | false> | T | undefined | null | false, timeoutMs: number, intervalMs = 250): Promise<T> {
  try {
    return await eventually(check, timeoutMs, intervalMs);
  } catch (last) {
    const detail = last instanceof ConditionNotMet ? '' : `: ${(last as Error)?.message ?? String(last)}`;
    throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${detail}`);
  }
}

/**
 * Polls `done` for as long as `progress` (a count that only grows) keeps growing: fails once it
 * has stood still for `stallMs`, or after `capMs` in all. For waits on work that a slow or busy
 * machine only makes slower, where a fixed deadline would confuse slow with stuck.
 */
export async function waitWhileProgressing(
  what: string,
  done: () => Promise<boolean> | boolean,
  progress: () => number,
  stallMs: number,
  capMs: number,
  intervalMs = 500,
): Promise<void> {
  const start = Date.now();
  let seen = progress();
  let movedAt = start;
  for (;;) {
    if (await done()) return;
    const now = Date.now();
    const p = progress();
    if (p !== seen) [seen, movedAt] = [p, now];
    if (now - movedAt > stallMs) throw new Error(`waiting for ${what}: no progress for ${Math.round((now - movedAt) / 1000)} s (${Math.round((now - start) / 1000)} s in all)`);
    if (now - start > capMs) throw new Error(`waiting for ${what}: still not done after ${Math.round(capMs / 1000)} s, though it was progressing`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
