// "Did you mean ...?" for names typed by people (recipients.csv columns, round.yaml fields):
// the same name in another case, else the closest known name within a small number of edits.

/** Edits between two strings: insertions, deletions, substitutions and swaps of neighbours (optimal string alignment). */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** The known name the person probably meant, or undefined when none is close (at most 1 edit in 4 characters, ignoring case). */
export function didYouMean(typed: string, known: readonly string[]): string | undefined {
  const t = typed.trim().toLowerCase();
  if (!t) return undefined;
  const exact = known.find((k) => k.toLowerCase() === t);
  if (exact) return exact;
  let best: { name: string; distance: number } | undefined;
  for (const k of known) {
    const distance = editDistance(t, k.toLowerCase());
    if (distance <= Math.max(1, Math.floor(k.length / 4)) && (!best || distance < best.distance)) best = { name: k, distance };
  }
  return best?.name;
}
