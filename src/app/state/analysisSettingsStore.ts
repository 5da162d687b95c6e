/**
 * Settings that change what the models compute (unlike view settings): the automatic-mask
 * prompt grid. Changing one re-analyses, and results are keyed by it.
 */
import { create } from 'zustand';

interface AnalysisSettingsState {
  /** AMG points per side; null: the bundle's own. */
  pointsPerSide: number | null;
  /** Decoder time per prompt on the last analysis with masks, for the time estimate. */
  decoderMsPerPrompt: number | null;
  setPointsPerSide(pointsPerSide: number | null): void;
  recordDecoderTime(milliseconds: number, prompts: number): void;
}

export const useAnalysisSettings = create<AnalysisSettingsState>()((set) => ({
  pointsPerSide: null,
  decoderMsPerPrompt: null,
  setPointsPerSide: (pointsPerSide) => set({ pointsPerSide }),
  recordDecoderTime: (milliseconds, prompts) => {
    if (prompts > 0 && milliseconds > 0) set({ decoderMsPerPrompt: milliseconds / prompts });
  },
}));
