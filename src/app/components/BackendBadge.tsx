import { useEffect, useState } from 'react';
import { probeWebGpu, type WebGpuProbe } from '../../core/runtime/webgpuProbe';

/** Tells the user whether this browser can run the models on WebGPU. */
export function BackendBadge() {
  const [probe, setProbe] = useState<WebGpuProbe | null>(null);

  useEffect(() => {
    let cancelled = false;
    const gpu = (navigator as Navigator & { gpu?: Parameters<typeof probeWebGpu>[0] }).gpu;
    void probeWebGpu(gpu).then((result) => {
      if (!cancelled) setProbe(result);
    });
    return () => {
      cancelled = true;
    };
  }, []);

  if (!probe) {
    return (
      <p className="backend-badge" role="status" aria-busy="true">
        Checking for WebGPU…
      </p>
    );
  }
  return (
    <p
      className="backend-badge"
      role="status"
      data-webgpu={probe.available ? 'available' : 'unavailable'}
    >
      {probe.available
        ? `WebGPU adapter: ${probe.adapterDescription}${probe.isFallbackAdapter ? ' (software fallback)' : ''}`
        : `WebGPU unavailable: ${probe.reason} Models will run on WebAssembly.`}
    </p>
  );
}
