import { useEffect, useRef } from 'react';
import type { ScoreHistogram } from '../../core/metrics';
import type { CountScale } from '../state/viewSettingsStore';

interface HistogramChartProps {
  title: string;
  histogram: ScoreHistogram;
  scale: CountScale;
  /** Shared y-axis maximum, so raw and refined are comparable. */
  maxCount: number;
}

const WIDTH = 360;
const HEIGHT = 160;
const series = [
  { key: 'inlierCounts', colour: 'rgba(86, 180, 233, 0.75)', name: 'inliers' },
  { key: 'anomalyCounts', colour: 'rgba(230, 97, 1, 0.75)', name: 'anomalies' },
] as const;

export const scaled = (count: number, scale: CountScale) =>
  scale === 'log' ? Math.log10(1 + count) : count;

/** Bars of one score histogram; inliers and anomalies overlaid when ground truth exists. */
export function HistogramChart({ title, histogram, scale, maxCount }: HistogramChartProps) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const context = canvasRef.current?.getContext('2d');
    if (!context) return;
    context.clearRect(0, 0, WIDTH, HEIGHT);
    const top = scaled(maxCount, scale) || 1;
    const bins = histogram.counts.length;
    const barWidth = WIDTH / bins;
    const layers = histogram.inlierCounts
      ? series.map((entry) => ({ colour: entry.colour, counts: histogram[entry.key] }))
      : [{ colour: 'rgba(200, 200, 200, 0.8)', counts: histogram.counts }];
    for (const { colour, counts } of layers) {
      if (!counts) continue;
      context.fillStyle = colour;
      counts.forEach((count, bin) => {
        const height = (scaled(count, scale) / top) * (HEIGHT - 4);
        context.fillRect(bin * barWidth, HEIGHT - height, Math.max(1, barWidth - 1), height);
      });
    }
  }, [histogram, scale, maxCount]);
  const first = histogram.edges[0] ?? 0;
  const last = histogram.edges[histogram.edges.length - 1] ?? 1;
  const summary = histogram.inlierCounts
    ? `${sum(histogram.inlierCounts)} inlier and ${sum(histogram.anomalyCounts)} anomaly pixels`
    : `${sum(histogram.counts)} pixels`;
  return (
    <figure className="histogram">
      <figcaption>{title}</figcaption>
      <div
        role="img"
        aria-label={`${title}: ${summary} in ${histogram.counts.length} bins from ${first.toFixed(3)} to ${last.toFixed(3)}, ${scale} counts`}
      >
        <canvas ref={canvasRef} width={WIDTH} height={HEIGHT} />
      </div>
      <div className="axis" aria-hidden="true">
        <span>{first.toFixed(2)}</span>
        <span>score</span>
        <span>{last.toFixed(2)}</span>
      </div>
    </figure>
  );
}

function sum(counts: Uint32Array | undefined): number {
  return counts ? counts.reduce((total, count) => total + count, 0) : 0;
}
