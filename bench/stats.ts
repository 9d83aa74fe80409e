// Small helpers for the bench: percentiles, durations, a plain-text table.

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  // nearest-rank: the smallest value with at least p% of the values at or below it
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1];
}

export function median(values: number[]): number {
  return percentile(values, 50);
}

export const round1 = (n: number) => Math.round(n * 10) / 10;
export const round0 = (n: number) => Math.round(n);
export const round2 = (n: number) => Math.round(n * 100) / 100;

export function ms(n: number): string {
  if (!Number.isFinite(n)) return 'n/a';
  return n >= 10_000 ? `${round1(n / 1000)} s` : `${round0(n)} ms`;
}

export function table(rows: (string | number)[][]): string {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, String(c).length)));
  const line = (r: (string | number)[]) => r.map((c, i) => String(c).padEnd(widths[i])).join('  ').trimEnd();
  return [line(rows[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

/** Runs fn n times (sequentially) and returns each duration in ms along with the last result. */
export async function timed<T>(n: number, fn: () => Promise<T>): Promise<{ runs: number[]; last: T }> {
  const runs: number[] = [];
  let last!: T;
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    last = await fn();
    runs.push(performance.now() - t);
  }
  return { runs, last };
}
