import { ResultExports } from '../exports/ResultExports';
import { HistogramPanel } from '../histograms/HistogramPanel';
import { StageTimings } from '../timings/StageTimings';
import { CompareSlider } from './CompareSlider';
import { ImageNotices } from './ImageNotices';
import { useViewLayers } from './useViewLayers';
import { ViewGrid } from './ViewGrid';

/** Everything about the selected image. */
export function ResultsArea() {
  const layers = useViewLayers();
  const { item, analysis, result, progress, colouring, ref, refinedChoice, refinedReady } = layers;
  if (!item) {
    return (
      <section className="results empty" aria-label="Results">
        <p className="muted">Add an image to see its anomaly heatmaps.</p>
      </section>
    );
  }
  return (
    <section className="results" aria-labelledby="results-heading">
      <div className="section-header">
        <h2 id="results-heading">{item.name}</h2>
        <ResultExports item={item} analysis={ref} result={result} refined={refinedChoice} />
      </div>
      {item.note && <p className="sample-note muted">Sample: {item.note}.</p>}
      <ImageNotices item={item} analysisError={analysis.error} />
      {item.image && <ViewGrid layers={layers} />}
      <div className="results-lower">
        <CompareSlider layers={layers} />
        <HistogramPanel
          item={item}
          analysis={ref}
          refined={refinedChoice}
          ready={refinedReady}
          range={colouring?.range}
        />
        <StageTimings result={result} progress={progress} />
      </div>
    </section>
  );
}
