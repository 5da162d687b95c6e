import { useMemo } from 'react';
import type { ScoreHistogram } from '../../core/metrics';
import type { AnalysisRef, MapChoice } from '../../worker/viewProtocol';
import { viewWorker } from '../compute/workers';
import { viewKey } from '../queries/analysisKeys';
import { choiceKey } from '../queries/useRefinedChoice';
import { useWorkerQuery } from '../queries/useWorkerQuery';
import type { GalleryItem } from '../state/galleryStore';
import { useViewSettings } from '../state/viewSettingsStore';
import { HistogramChart, seriesOf, type SeriesKey } from './HistogramChart';

interface HistogramPanelProps {
  item: GalleryItem | null;
  analysis: AnalysisRef | undefined;
  refined: MapChoice;
  /** Whether the refined map can be had (the analysis is done). */
  ready: boolean;
  range: readonly [number, number] | undefined;
}

const HISTOGRAM_BINS = 50;

/** Each series' largest bin over the histograms, so they share their axes. */
export function sharedMaxima(histograms: ScoreHistogram[]): Partial<Record<SeriesKey, number>> {
  const maxima: Partial<Record<SeriesKey, number>> = {};
  for (const histogram of histograms) {
    for (const key of seriesOf(histogram)) {
      for (const count of histogram[key] ?? []) maxima[key] = Math.max(maxima[key] ?? 0, count);
    }
  }
  return maxima;
}

/** Raw vs refined score distributions (the paper's Figure 6), split by ground truth when known. */
export function HistogramPanel({ item, analysis, refined, ready, range }: HistogramPanelProps) {
  const scale = useViewSettings((state) => state.countScale);
  const set = useViewSettings((state) => state.set);
  const labelled = Boolean(item?.groundTruth);
  const histograms = useWorkerQuery(
    viewKey(
      analysis,
      'histograms',
      choiceKey(refined),
      item?.groundTruthName,
      range?.[0],
      range?.[1],
    ),
    analysis && ready && range
      ? () => viewWorker().histograms(analysis, refined, HISTOGRAM_BINS, range)
      : undefined,
    item?.id,
  );
  const data = histograms.data;
  const maxCounts = useMemo(() => (data ? sharedMaxima([data.raw, data.refined]) : {}), [data]);
  return (
    <section className="histograms" aria-labelledby="histograms-heading">
      <div className="section-header">
        <h2 id="histograms-heading">Score histograms</h2>
        <label className="control inline">
          <input
            type="checkbox"
            checked={scale === 'log'}
            onChange={(event) => set({ countScale: event.target.checked ? 'log' : 'linear' })}
          />
          Log counts
        </label>
      </div>
      {histograms.error && <p role="alert">{histograms.error.message}</p>}
      {data ? (
        <>
          <div className="histogram-pair">
            <HistogramChart
              title="Raw scores"
              histogram={data.raw}
              scale={scale}
              maxCounts={maxCounts}
            />
            <HistogramChart
              title="Refined scores"
              histogram={data.refined}
              scale={scale}
              maxCounts={maxCounts}
            />
          </div>
          <p className="legend">
            {labelled ? (
              <>
                <span className="swatch inlier" aria-hidden="true" /> inliers (left axis){' '}
                <span className="swatch anomaly" aria-hidden="true" /> anomalies (right axis)
              </>
            ) : (
              'Add ground truth to split inliers from anomalies.'
            )}
          </p>
        </>
      ) : (
        <p className="muted">Histograms appear when the refined map is ready.</p>
      )}
    </section>
  );
}
