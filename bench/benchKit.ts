/** Shared by the benchmark scripts: a printable row and robust summaries of repeated timings. */
export interface BenchRow {
  name: string;
  value: string;
}

/** Median of timing samples (robust to the odd slow run on a busy machine). */
export function median(samples: readonly number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}
