import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { ScoreHistogram } from '../../core/metrics';
import { countAxisTicks, countText } from './countAxis';
import { HistogramChart } from './HistogramChart';
import { sharedMaxima } from './HistogramPanel';

const histogram = (counts: number[], split?: { inliers: number[]; anomalies: number[] }) =>
  ({
    edges: Float64Array.from(
      { length: counts.length + 1 },
      (_, i) => 0.2 + (0.4 * i) / counts.length,
    ),
    counts: Uint32Array.from(counts),
    below: 0,
    above: 0,
    ...(split && {
      inlierCounts: Uint32Array.from(split.inliers),
      anomalyCounts: Uint32Array.from(split.anomalies),
    }),
  }) satisfies ScoreHistogram;

/** Each count axis: its series, its top and its tick texts with their heights. */
function axesOf(html: string) {
  return [
    ...html.matchAll(
      /<div class="count-axis (\w+)" data-series="(\w+)" data-max="(\d+)"[^>]*>(.*?)<\/div>/g,
    ),
  ].map(([, side, series, max, ticks]) => ({
    side,
    series,
    max: Number(max),
    ticks: [...(ticks ?? '').matchAll(/style="bottom:([\d.]+)%">([^<]*)</g)].map((m) => [
      m[2],
      Number(m[1]),
    ]),
  }));
}

describe('countAxisTicks', () => {
  it('puts 0, half and the top on linear counts', () => {
    expect(countAxisTicks(2668, 'linear')).toEqual([
      { value: 0, at: 0, text: '0' },
      { value: 1334, at: 0.5, text: '1334' },
      { value: 2668, at: 1, text: '2668' },
    ]);
  });

  it('puts a whole count near √max halfway up on log counts', () => {
    // log10(1 + 999) = 3; halfway is 10^1.5 − 1 ≈ 30.6, so 31 at log10(32) / 3.
    const ticks = countAxisTicks(999, 'log');
    expect(ticks.map((tick) => tick.value)).toEqual([0, 31, 999]);
    expect(ticks[1]?.at).toBeCloseTo(Math.log10(32) / 3, 12);
    expect(ticks[2]?.at).toBe(1);
  });

  it('has only 0 for an empty series and no middle when it would repeat an end', () => {
    expect(countAxisTicks(0, 'log')).toEqual([{ value: 0, at: 0, text: '0' }]);
    expect(countAxisTicks(1, 'linear').map((tick) => tick.value)).toEqual([0, 1]);
  });

  it('shortens large counts', () => {
    expect([9999, 12_345, 4_560_000].map(countText)).toEqual(['9999', '12.3K', '4.56M']);
  });
});

describe('HistogramChart', () => {
  it('gives inliers and anomalies each their own count axis with its top and scale', () => {
    const labelled = histogram([40, 80, 12], { inliers: [40, 78, 2], anomalies: [0, 2, 10] });
    const html = renderToStaticMarkup(
      <HistogramChart
        title="Raw scores"
        histogram={labelled}
        scale="linear"
        maxCounts={{ inlierCounts: 100, anomalyCounts: 10 }}
      />,
    );
    expect(axesOf(html)).toEqual([
      {
        side: 'left',
        series: 'inlierCounts',
        max: 100,
        ticks: [
          ['0', 0],
          ['50', 50],
          ['100', 100],
        ],
      },
      {
        side: 'right',
        series: 'anomalyCounts',
        max: 10,
        ticks: [
          ['0', 0],
          ['5', 50],
          ['10', 100],
        ],
      },
    ]);
    expect(html).toContain('>inlier pixels, linear<');
    expect(html).toContain('>anomaly pixels, linear<');
    expect(html).toContain(
      'aria-label="Raw scores: 120 inlier and 12 anomaly pixels in 3 bins from 0.200 to 0.600, linear counts"',
    );
    expect(html).toMatch(/<span>0\.20<\/span><span>score<\/span><span>0\.60<\/span>/);
  });

  it('has one axis for all pixels without ground truth, on log counts when asked', () => {
    const html = renderToStaticMarkup(
      <HistogramChart
        title="Refined scores"
        histogram={histogram([9, 99, 0])}
        scale="log"
        maxCounts={{ counts: 99 }}
      />,
    );
    const axes = axesOf(html);
    expect(axes.map((axis) => [axis.side, axis.series, axis.max])).toEqual([
      ['left', 'counts', 99],
    ]);
    // log10(100) = 2: 9 sits halfway.
    expect(axes[0]?.ticks).toEqual([
      ['0', 0],
      ['9', 50],
      ['99', 100],
    ]);
    expect(html).toContain('>pixels, log<');
  });
});

describe('sharedMaxima', () => {
  it('takes each series’ largest bin over raw and refined', () => {
    const raw = histogram([5, 9], { inliers: [5, 3], anomalies: [0, 6] });
    const refined = histogram([8, 6], { inliers: [7, 0], anomalies: [1, 6] });
    expect(sharedMaxima([raw, refined])).toEqual({ inlierCounts: 7, anomalyCounts: 6 });
    expect(sharedMaxima([histogram([3, 4]), histogram([8, 1])])).toEqual({ counts: 8 });
  });
});
