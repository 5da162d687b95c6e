/** Which refined map the views show: the smoothing settings, with the bundle's bins by default. */
import { useMemo } from 'react';
import { DEFAULT_SMOOTHING_BINS } from '../../core/defaults';
import type { MapChoice } from '../../worker/viewProtocol';
import { useBundleStore } from '../state/bundleStore';
import { useViewSettings } from '../state/viewSettingsStore';

/** Bins in use: the user's choice, else the bundle's. */
export function useSmoothingBins(): number {
  const chosen = useViewSettings((state) => state.bins);
  const bundleBins = useBundleStore((state) => state.active?.manifest.smoothing.bins);
  return chosen ?? bundleBins ?? DEFAULT_SMOOTHING_BINS;
}

/** With smoothing off the refined map is the raw map: one key, so nothing is computed twice. */
export function useRefinedChoice(): MapChoice {
  const smoothing = useViewSettings((state) => state.smoothing);
  const bins = useSmoothingBins();
  return useMemo(
    () => (smoothing ? { kind: 'refined', smoothing, bins } : { kind: 'raw' }),
    [smoothing, bins],
  );
}

/** A short key part for a map choice. */
export const choiceKey = (choice: MapChoice) =>
  choice.kind === 'raw' ? 'raw' : `refined-${choice.bins}`;
