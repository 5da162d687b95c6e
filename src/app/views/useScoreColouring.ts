/**
 * Colour map and score range in use: fixed (the bundle's range) or the maps' own min..max, which
 * the view worker finds.
 */
import { useMemo } from 'react';
import type { ColormapName, ScoreColouring } from '../../core/render';
import type { AnalysisRef, MapChoice } from '../../worker/viewProtocol';
import { viewWorker } from '../compute/workers';
import { viewKey } from '../queries/analysisKeys';
import { choiceKey } from '../queries/useRefinedChoice';
import { useWorkerQuery } from '../queries/useWorkerQuery';
import { useBundleStore } from '../state/bundleStore';
import { useViewSettings } from '../state/viewSettingsStore';

export function useScoreColouring(
  ref: AnalysisRef | undefined,
  refined: MapChoice,
  rawReady: boolean,
  refinedReady: boolean,
): ScoreColouring | undefined {
  const chosen = useViewSettings((state) => state.colormap);
  const rangeMode = useViewSettings((state) => state.rangeMode);
  const display = useBundleStore((state) => state.active?.manifest.display);
  const colormap: ColormapName = chosen ?? display?.colormap ?? 'inferno';
  const fixed = display?.scoreRange;
  const auto = rangeMode === 'auto' && ref && rawReady;
  const extent = useWorkerQuery(
    viewKey(ref, 'extent', refinedReady ? choiceKey(refined) : null),
    auto ? () => viewWorker().scoreExtent(ref, refined) : undefined,
    ref?.imageId,
  );
  // The automatic range waits for the maps' extent; colouring with another range first would
  // only be redone.
  const range = auto ? extent.data : ([fixed?.[0] ?? 0, fixed?.[1] ?? 1] as const);
  const [lo, hi] = range ?? [NaN, NaN];
  return useMemo(
    () => (Number.isNaN(lo) ? undefined : { colormap, range: [lo, hi] as const }),
    [colormap, lo, hi],
  );
}
