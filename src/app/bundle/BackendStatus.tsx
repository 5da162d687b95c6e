import { MODEL_ROLE_NAMES, type ModelRole } from '../../core/bundle/manifestSchema';
import type { BackendReport } from '../../core/runtime/chooseBackend';

/** Which backend runs the models of the open bundle, in which precision, and why not WebGPU. */
export function BackendStatus({ backend }: { backend: BackendReport }) {
  const precisions = Object.entries(backend.precisions) as [ModelRole, string][];
  return (
    <p className="backend-status" role="status" data-provider={backend.provider}>
      Models run on {backend.description}.
      {precisions.length > 0 && (
        <span className="precisions" data-testid="model-precisions">
          {' '}
          Weights:{' '}
          {precisions
            .map(([role, precision]) => `${MODEL_ROLE_NAMES[role]} ${precision}`)
            .join(', ')}
          .
        </span>
      )}
      {backend.webGpuUnavailableReason && (
        <span className="fallback-reason"> WebGPU not used: {backend.webGpuUnavailableReason}</span>
      )}
    </p>
  );
}
