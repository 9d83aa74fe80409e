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
