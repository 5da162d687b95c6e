/** Colour map and score range in use: fixed (the bundle's range) or the maps' own min..max. */
import { useMemo } from 'react';
import type { ColormapName, ScoreColouring } from '../../core/render';
import type { ScoreMap } from '../../core/types';
import { useBundleStore } from '../state/bundleStore';
import { useViewSettings } from '../state/viewSettingsStore';

function extent(maps: readonly (ScoreMap | undefined)[]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const map of maps) {
    if (!map) continue;
    for (const value of map.data) {
      if (value < lo) lo = value;
      if (value > hi) hi = value;
    }
  }
  return Number.isFinite(lo) ? [lo, hi] : [0, 1];
}

export function useScoreColouring(scoreMap?: ScoreMap, refinedScoreMap?: ScoreMap): ScoreColouring {
  const chosen = useViewSettings((state) => state.colormap);
  const rangeMode = useViewSettings((state) => state.rangeMode);
  const display = useBundleStore((state) => state.active?.manifest.display);
  const colormap: ColormapName = chosen ?? display?.colormap ?? 'inferno';
  const fixed = display?.scoreRange;
  const range = useMemo<[number, number]>(
    () =>
      rangeMode === 'auto'
        ? extent([scoreMap, refinedScoreMap])
        : [fixed?.[0] ?? 0, fixed?.[1] ?? 1],
    [rangeMode, scoreMap, refinedScoreMap, fixed],
  );
  return useMemo(() => ({ colormap, range }), [colormap, range]);
}
