import { useEffect, useRef } from 'react';
import type { ScoreHistogram } from '../../core/metrics';
import type { CountScale } from '../state/viewSettingsStore';
import { countAxisTicks, scaled } from './countAxis';

/** Which counts a bar series draws. */
export type SeriesKey = 'counts' | 'inlierCounts' | 'anomalyCounts';

interface HistogramChartProps {
  title: string;
  histogram: ScoreHistogram;
  scale: CountScale;
  /** Each series' axis top, shared by raw and refined so that the two are comparable. */
  maxCounts: Partial<Record<SeriesKey, number>>;
}

const WIDTH = 360;
const HEIGHT = 160;
const SERIES = {
  counts: { colour: 'rgba(200, 200, 200, 0.8)', name: 'pixels' },
  inlierCounts: { colour: 'rgba(86, 180, 233, 0.75)', name: 'inlier pixels' },
  anomalyCounts: { colour: 'rgba(230, 97, 1, 0.75)', name: 'anomaly pixels' },
} as const;

/**
 * Which series a histogram draws. With ground truth, inliers and anomalies each get their own
 * axis, scaled to their own maximum: anomalies are often a hundredth of the pixels or less, so on
 * one linear axis their bars are a pixel high, and log counts would flatten the shapes that are
 * being compared. Two labelled axes keep both shapes readable and every bar's count honest.
 */
export function seriesOf(histogram: ScoreHistogram): SeriesKey[] {
  return histogram.inlierCounts ? ['inlierCounts', 'anomalyCounts'] : ['counts'];
}

function CountAxis({
  side,
  series,
  max,
  scale,
}: {
  side: 'left' | 'right';
  series: SeriesKey;
  max: number;
  scale: CountScale;
}) {
  return (
    <div className={`count-axis ${side}`} data-series={series} data-max={max} aria-hidden="true">
      {countAxisTicks(max, scale).map((tick) => (
        <span
          key={tick.value}
          className="count-tick"
          data-value={tick.value}
          style={{ bottom: `${tick.at * 100}%` }}
        >
          {tick.text}
        </span>
      ))}
    </div>
  );
}

/** Bars of one score histogram with a count axis per series and the score axis below. */
export function HistogramChart({ title, histogram, scale, maxCounts }: HistogramChartProps) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const series = seriesOf(histogram);
  useEffect(() => {
    const context = canvasRef.current?.getContext('2d');
    if (!context) return;
    context.clearRect(0, 0, WIDTH, HEIGHT);
    const bins = histogram.counts.length;
    const barWidth = WIDTH / bins;
    for (const key of seriesOf(histogram)) {
      const counts = histogram[key];
      const top = scaled(maxCounts[key] ?? 0, scale);
      if (!counts || !(top > 0)) continue;
      context.fillStyle = SERIES[key].colour;
      counts.forEach((count, bin) => {
        const height = (scaled(count, scale) / top) * (HEIGHT - 4);
        context.fillRect(bin * barWidth, HEIGHT - height, Math.max(1, barWidth - 1), height);
      });
    }
  }, [histogram, scale, maxCounts]);
  const first = histogram.edges[0] ?? 0;
  const last = histogram.edges[histogram.edges.length - 1] ?? 1;
  const summary = histogram.inlierCounts
    ? `${sum(histogram.inlierCounts)} inlier and ${sum(histogram.anomalyCounts)} anomaly pixels`
    : `${sum(histogram.counts)} pixels`;
  const [left, right] = series;
  return (
    <figure className="histogram">
      <figcaption>{title}</figcaption>
      <div className="histogram-plot">
        <div className="count-axis-titles" aria-hidden="true">
          {series.map((key) => (
            <span key={key} data-series={key}>
              {SERIES[key].name}, {scale}
            </span>
          ))}
        </div>
        {left && <CountAxis side="left" series={left} max={maxCounts[left] ?? 0} scale={scale} />}
        <div
          className="histogram-bars"
          role="img"
          aria-label={`${title}: ${summary} in ${histogram.counts.length} bins from ${first.toFixed(3)} to ${last.toFixed(3)}, ${scale} counts`}
        >
          <canvas ref={canvasRef} width={WIDTH} height={HEIGHT} />
        </div>
        {right && (
          <CountAxis side="right" series={right} max={maxCounts[right] ?? 0} scale={scale} />
        )}
        <div className="axis" aria-hidden="true">
          <span>{first.toFixed(2)}</span>
          <span>score</span>
          <span>{last.toFixed(2)}</span>
        </div>
      </div>
    </figure>
  );
}

function sum(counts: Uint32Array | undefined): number {
  return counts ? counts.reduce((total, count) => total + count, 0) : 0;
}
