import { hasDemoBundle } from '../config';
import { FlowclasError } from '../../core/errors';
import { analysisWorker } from '../queries/analysisWorker';
import { useOpenBundle } from '../queries/useOpenBundle';
import { useBundleProgressStore } from '../state/bundleProgressStore';
import { useBundleStore } from '../state/bundleStore';
import { BackendStatus } from './BackendStatus';
import { BundleChooser } from './BundleChooser';
import { BundleProgress } from './BundleProgress';

const isCancelled = (error: Error) => error instanceof FlowclasError && error.code === 'cancelled';

/** The model bundle: what is open, what is loading, and what went wrong. */
export function BundlePanel() {
  const opening = useOpenBundle();
  const active = useBundleStore((state) => state.active);
  const request = useBundleStore((state) => state.request);
  const startedAt = useBundleProgressStore((state) => state.startedAt);
  const finishedAt = useBundleProgressStore((state) => state.finishedAt);
  const loading = opening.isFetching;
  return (
    <section className="bundle-panel" aria-labelledby="bundle-heading" aria-busy={loading}>
      <h2 id="bundle-heading">Model bundle</h2>
      {active ? (
        <div className="bundle-info">
          <p>
            <strong>{active.manifest.name}</strong> — {active.manifest.description}
          </p>
          <p className="muted">Meant for: {active.manifest.domain}</p>
          <BackendStatus backend={active.backend} />
          {startedAt !== null && finishedAt !== null && !loading && (
            <p className="muted" data-ms={finishedAt - startedAt}>
              Opened in {((finishedAt - startedAt) / 1000).toFixed(1)} s.
            </p>
          )}
        </div>
      ) : (
        !loading &&
        !request && (
          <p className="muted">
            {hasDemoBundle
              ? 'No bundle is open.'
              : 'This build ships no demo bundle. Enter the URL of a bundle manifest to start.'}
          </p>
        )
      )}
      {loading && (
        <p role="status" className="loading-row">
          Loading the bundle and setting up the models…{' '}
          <button type="button" onClick={() => void analysisWorker().cancelOpenBundle()}>
            Cancel loading
          </button>
        </p>
      )}
      {opening.error &&
        (isCancelled(opening.error) ? (
          <p role="status">
            Loading was cancelled.{active ? ` Still using ${active.manifest.name}.` : ''}
          </p>
        ) : (
          <p role="alert" className="error">
            The bundle could not be opened: {opening.error.message}
            {active ? ` Still using ${active.manifest.name}.` : ''}
          </p>
        ))}
      <BundleProgress manifestUrl={loading ? request?.manifestUrl : active?.manifestUrl} />
      {/* Remounted per bundle, so the field shows the bundle asked for (also from ?manifest=). */}
      <BundleChooser key={request?.manifestUrl ?? 'none'} loading={loading} />
    </section>
  );
}
