/**
 * Opens the requested bundle in the analysis worker with per-file progress. On failure the
 * previously opened bundle stays active (the worker swaps sessions only after success).
 */
import { useQuery } from '@tanstack/react-query';
import { callback } from '../../worker/analysisClient';
import { demoManifestUrl, maxModelBytesFromAddress } from '../config';
import { useBundleProgressStore } from '../state/bundleProgressStore';
import { useBundleStore, type BundleRequest } from '../state/bundleStore';
import { analysisWorker } from './analysisWorker';

export const bundleQueryKey = (request: BundleRequest | null) => ['bundle', request] as const;

async function openBundle(request: BundleRequest) {
  const progress = useBundleProgressStore.getState();
  progress.start(request.manifestUrl);
  const maxModelBytes = maxModelBytesFromAddress();
  const opened = await analysisWorker().openBundle(
    {
      manifestUrl: request.manifestUrl,
      allowWebGpu: request.allowWebGpu,
      precision: request.precision,
      ...(maxModelBytes !== undefined ? { maxModelBytes } : {}),
    },
    callback((event) => useBundleProgressStore.getState().apply(event)),
  );
  useBundleProgressStore.getState().finish();
  useBundleStore.getState().setActive(opened, request.attempt);
  rememberInAddress(request.manifestUrl);
  return opened;
}

/** A reload (or a shared link) opens the same bundle again: `?manifest=` unless it is the demo. */
function rememberInAddress(manifestUrl: string) {
  const address = new URL(location.href);
  if (manifestUrl === demoManifestUrl()) address.searchParams.delete('manifest');
  else address.searchParams.set('manifest', manifestUrl);
  history.replaceState(history.state, '', address);
}

export function useOpenBundle() {
  const request = useBundleStore((state) => state.request);
  return useQuery({
    queryKey: bundleQueryKey(request),
    queryFn: request ? () => openBundle(request) : undefined,
    enabled: request !== null,
    staleTime: Infinity,
    gcTime: 0,
    retry: false,
  });
}
