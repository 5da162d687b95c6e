import type { AxisResampling } from '../image/axisResampling';

/** Per output index, the first and last input it reads (taps are contiguous and monotone). */
export interface TapRange {
  first: Int32Array;
  last: Int32Array;
}

export function tapRanges(plan: AxisResampling): TapRange {
  const first = new Int32Array(plan.outLength);
  const last = new Int32Array(plan.outLength);
  for (let i = 0; i < plan.outLength; i++) {
    const begin = plan.offsets[i] ?? 0;
    const end = plan.offsets[i + 1] ?? 0;
    let lo = Infinity;
    let hi = -Infinity;
    for (let tap = begin; tap < end; tap++) {
      const index = plan.indices[tap] ?? 0;
      lo = Math.min(lo, index);
      hi = Math.max(hi, index);
    }
    first[i] = lo;
    last[i] = hi;
  }
  return { first, last };
}

/** Outputs grouped by identical taps: [start, end, firstTap, lastTap] per cell, flattened. */
export function tapCells(taps: TapRange): Int32Array {
  const cells: number[] = [];
  for (let x = 0; x < taps.first.length; x++) {
    const first = taps.first[x] ?? 0;
    const last = taps.last[x] ?? 0;
    const n = cells.length;
    if (n > 0 && cells[n - 2] === first && cells[n - 1] === last) cells[n - 3] = x;
    else cells.push(x, x, first, last);
  }
  return Int32Array.from(cells);
}

/** The outputs [start, end] (inclusive) whose taps reach into inputs [lo, hi]. */
export function outputRange(
  taps: TapRange,
  lo: number,
  hi: number,
): { start: number; end: number } {
  let start = 0;
  while (start < taps.last.length - 1 && (taps.last[start] ?? 0) < lo) start++;
  let end = taps.first.length - 1;
  while (end > 0 && (taps.first[end] ?? 0) > hi) end--;
  return { start, end };
}
