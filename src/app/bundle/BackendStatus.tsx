import type { BackendReport } from '../../core/runtime/chooseBackend';

/** Which backend runs the models of the open bundle, and why not WebGPU when it is not. */
export function BackendStatus({ backend }: { backend: BackendReport }) {
  return (
    <p className="backend-status" role="status" data-provider={backend.provider}>
      Models run on {backend.description}.
      {backend.webGpuUnavailableReason && (
        <span className="fallback-reason"> WebGPU not used: {backend.webGpuUnavailableReason}</span>
      )}
    </p>
  );
}
