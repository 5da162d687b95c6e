import { describePrecisions } from '../../core/bundle/manifestSchema';
import type { BackendReport } from '../../core/runtime/chooseBackend';

/** Which backend runs the models of the open bundle, in which precision, and why not WebGPU. */
export function BackendStatus({ backend }: { backend: BackendReport }) {
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
    </p>
  );
}
