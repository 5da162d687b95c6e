import { useMetrics } from '../queries/useMetrics';
import { useBundleStore } from '../state/bundleStore';
import { useViewSettings } from '../state/viewSettingsStore';
import { downloadFile } from '../views/downloadFile';
import { metricsToCsv, metricsToJson } from './metricsFiles';
import { ComponentMetricsTable } from './ComponentMetricsTable';
import { MetricsTable } from './MetricsTable';

/** Metrics of every analysed image with ground truth, with their exports. */
export function MetricsPanel() {
  const metrics = useMetrics();
  const mode = useViewSettings((state) => state.metricsMode);
  const set = useViewSettings((state) => state.set);
  const bundleName = useBundleStore((state) => state.active?.manifest.name ?? 'bundle');
  const pair = metrics.data;
  return (
    <section className="metrics" aria-labelledby="metrics-heading" aria-busy={metrics.isFetching}>
      <div className="section-header">
        <h2 id="metrics-heading">Metrics</h2>
        <label className="control inline">
          Thresholds
          <select
            value={mode}
            onChange={(event) =>
              set({ metricsMode: event.target.value === 'binned' ? 'binned' : 'exact' })
            }
          >
            <option value="exact">Exact</option>
            <option value="binned">Binned (large sets)</option>
          </select>
        </label>
      </div>
      {metrics.error && <p role="alert">Metrics could not be computed: {metrics.error.message}</p>}
      {pair ? (
        <>
          <MetricsTable pair={pair} />
          {pair.components && (
            <ComponentMetricsTable raw={pair.components.raw} refined={pair.components.refined} />
          )}
          <p className="muted">
            Computed as the CLI computes them, on another engine: on WebAssembly, raw metrics match
            the CLI&apos;s to 0.01 points; a refined number can differ by a few points where float
            noise in one pixel&apos;s score decides which smoothing bin of a mask is the fullest.
          </p>
          <div className="button-row">
            <button
              type="button"
              onClick={() => downloadFile('metrics.csv', metricsToCsv(pair), 'text/csv')}
            >
              Save metrics CSV
            </button>
            <button
              type="button"
              onClick={() =>
                downloadFile('metrics.json', metricsToJson(bundleName, pair), 'application/json')
              }
            >
              Save metrics JSON
            </button>
          </div>
        </>
      ) : (
        <p className="muted">Metrics appear once an image with ground truth has been analysed.</p>
      )}
    </section>
  );
}
