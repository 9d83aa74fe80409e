// Sizes in the words of the limits' messages.

/** 262144 → '256 KB', 20971520 → '20 MB' (binary units, as the limits are written). */
export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${Number((n / (1024 * 1024)).toFixed(1))} MB`;
  if (n >= 1024) return `${Number((n / 1024).toFixed(1))} KB`;
  return `${n} bytes`;
}
