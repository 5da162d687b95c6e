/** How results are shown; one store shared by every control and every view. Never re-runs a model. */
import { create } from 'zustand';
import { persist } from 'zustand/middleware';
import type { ColormapName } from '../../core/render';

export type Theme = 'dark' | 'light';
export type RangeMode = 'fixed' | 'auto';
export type CountScale = 'linear' | 'log';
export type MetricsMode = 'exact' | 'binned';

export interface ViewSettings {
  theme: Theme;
  /** null: the bundle's own colour map. */
  colormap: ColormapName | null;
  opacity: number;
  /**
   * 'auto' by default: the fixed range is the bundle's display.scoreRange, which manifests always
   * carry (the factory writes [0, 1]), so it cannot tell a range chosen for the model from a
   * default, and [0, 1] flattens a map whose scores span 0.17–0.69. Fixed is one click away.
   */
  rangeMode: RangeMode;
  thresholdView: boolean;
  threshold: number;
  smoothing: boolean;
  /** null: the bundle's own bin count. */
  bins: number | null;
  countScale: CountScale;
  metricsMode: MetricsMode;
  /** Before/after divider position, 0..1 from the left. */
  comparePosition: number;
  /** Saved heatmap PNGs get the colour bar and its numbers below the image. */
  colourBarInPng: boolean;
}

interface ViewSettingsState extends ViewSettings {
  set(patch: Partial<ViewSettings>): void;
}

export const useViewSettings = create<ViewSettingsState>()(
  persist(
    (set) => ({
      theme: 'dark',
      colormap: null,
      opacity: 0.7,
      rangeMode: 'auto',
      thresholdView: false,
      threshold: 0.5,
      smoothing: true,
      bins: null,
      countScale: 'linear',
      metricsMode: 'exact',
      comparePosition: 0.5,
      colourBarInPng: false,
      set: (patch) => set(patch),
    }),
    {
      name: 'flowclas-view-settings',
      // Only appearance survives a reload; analysis settings start from the bundle's defaults.
      partialize: (state) => ({
        theme: state.theme,
        opacity: state.opacity,
        colormap: state.colormap,
        colourBarInPng: state.colourBarInPng,
      }),
    },
  ),
);
