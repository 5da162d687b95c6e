/** The count axis of a histogram: where bar heights and their tick numbers go on either scale. */
import type { CountScale } from '../state/viewSettingsStore';

/** Bar height before division by the axis top: log10(1 + count) keeps empty bins at 0. */
export const scaled = (count: number, scale: CountScale) =>
  scale === 'log' ? Math.log10(1 + count) : count;

/** A count on the axis, at `at` of its height (0 bottom, 1 top). */
export interface CountTick {
  value: number;
  at: number;
  text: string;
}

const compact = new Intl.NumberFormat('en', { notation: 'compact', maximumSignificantDigits: 3 });

/** Counts up to 9999 in full; larger ones as 12.3K, 4.56M, which fit a narrow axis. */
export const countText = (count: number) =>
  count < 10_000 ? String(count) : compact.format(count);

/**
 * 0, the middle and the top (`max`) of the axis. The middle tick is a whole count placed where
 * it belongs on the scale: half of max on linear counts, about √max on log counts.
 */
export function countAxisTicks(max: number, scale: CountScale): CountTick[] {
  const top = scaled(max, scale);
  if (!(top > 0)) return [{ value: 0, at: 0, text: '0' }];
  const middle = scale === 'log' ? Math.round(10 ** (top / 2) - 1) : Math.round(max / 2);
  const values = [0, ...(middle > 0 && middle < max ? [middle] : []), max];
  return values.map((value) => ({ value, at: scaled(value, scale) / top, text: countText(value) }));
}
