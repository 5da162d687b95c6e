import type { ScoreMap } from '../../core/types';
import { viewWorker } from '../compute/viewClient';
import { useWorkerQuery } from '../queries/useWorkerQuery';
import { objectId } from '../queries/objectIds';
import type { GalleryItem } from '../state/galleryStore';
import { useViewSettings } from '../state/viewSettingsStore';
import { HistogramChart } from './HistogramChart';

interface HistogramPanelProps {
  item: GalleryItem | null;
  scoreMap: ScoreMap | undefined;
  refinedScoreMap: ScoreMap | undefined;
  range: readonly [number, number];
}

const HISTOGRAM_BINS = 50;

/** Raw vs refined score distributions (the paper's Figure 6), split by ground truth when known. */
export function HistogramPanel({ item, scoreMap, refinedScoreMap, range }: HistogramPanelProps) {
  const scale = useViewSettings((state) => state.countScale);
  const set = useViewSettings((state) => state.set);
  const labels = item?.groundTruth ?? null;
  const [lo, hi] = range;
  const histograms = useWorkerQuery(
    ['histograms', objectId(scoreMap), objectId(refinedScoreMap), objectId(labels), lo, hi],
    scoreMap && refinedScoreMap
      ? () => viewWorker().histograms(scoreMap, refinedScoreMap, labels, HISTOGRAM_BINS, [lo, hi])
      : undefined,
    item?.id,
  );
  const data = histograms.data;
  const maxOf = (counts: Uint32Array | undefined) => (counts ? Math.max(0, ...counts) : 0);
  const maxCount = data
    ? Math.max(
        ...[data.raw, data.refined].flatMap((histogram) => [
          maxOf(histogram.inlierCounts ?? histogram.counts),
          maxOf(histogram.anomalyCounts),
        ]),
      )
    : 0;
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
              maxCount={maxCount}
            />
            <HistogramChart
              title="Refined scores"
              histogram={data.refined}
              scale={scale}
              maxCount={maxCount}
            />
          </div>
          <p className="legend">
            {labels ? (
              <>
                <span className="swatch inlier" aria-hidden="true" /> inliers{' '}
                <span className="swatch anomaly" aria-hidden="true" /> anomalies
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
