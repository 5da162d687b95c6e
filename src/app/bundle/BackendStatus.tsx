import { describePrecisions } from '../../core/bundle/manifestSchema';
import type { BackendReport } from '../../core/runtime/chooseBackend';

/**
 * Which backend runs the models of the open bundle, in which precision, and why not WebGPU or
 * more than one WebAssembly thread. The analysis worker is cross-origin isolated exactly when
 * the page is (a dedicated worker inherits it), so the page's flag tells why it runs one thread.
 */
export function BackendStatus({
  backend,
  crossOriginIsolated = globalThis.crossOriginIsolated,
}: {
  backend: BackendReport;
  crossOriginIsolated?: boolean;
}) {
  const weights = describePrecisions(backend.precisions);
  return (
    <p className="backend-status" role="status" data-provider={backend.provider}>
      Models run on {backend.description}.
      {weights && (
        <span className="precisions" data-testid="model-precisions">
          {' '}
          Weights: {weights}.
        </span>
      )}
      {backend.webGpuUnavailableReason && (
        <span className="fallback-reason"> WebGPU not used: {backend.webGpuUnavailableReason}</span>
      )}
      {backend.provider === 'wasm' && !crossOriginIsolated && (
        <span className="threads-reason">
          {' '}
          One thread because this page is not cross-origin isolated: serve it with
          Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp to
          use several.
        </span>
      )}
    </p>
  );
}
