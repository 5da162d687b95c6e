/**
 * What each image's running analysis has delivered so far (the raw map arrives before the
 * masks), keyed by image id; an entry belongs to one analysis token.
 */
import { create } from 'zustand';

export type AnalysisPhase = 'queued' | 'running' | 'done' | 'error';

export interface AnalysisProgress {
  /** The analysis this entry is about (bundle + settings). */
  token: string;
  phase: AnalysisPhase;
  /** Whether the raw map is in the view worker. */
  rawReady?: boolean;
  promptsDone?: number;
  promptCount?: number;
  startedAt?: number;
  /** Milliseconds from the start of the analysis to the raw map and to the full result. */
  firstHeatmapMs?: number;
  totalMs?: number;
}

interface AnalysisProgressState {
  byImage: Record<string, AnalysisProgress>;
  /** Updates an image's entry for this token (an entry of another token is replaced). */
  update(imageId: string, token: string, patch: Partial<AnalysisProgress>): void;
  forget(imageIds: readonly string[]): void;
}

export const useAnalysisProgressStore = create<AnalysisProgressState>()((set) => ({
  byImage: {},
  update: (imageId, token, patch) =>
    set((state) => {
      const previous = state.byImage[imageId];
      const base = previous?.token === token ? previous : { token, phase: 'queued' as const };
      return { byImage: { ...state.byImage, [imageId]: { ...base, ...patch, token } } };
    }),
  forget: (imageIds) =>
    set((state) => ({
      byImage: Object.fromEntries(
        Object.entries(state.byImage).filter(([imageId]) => !imageIds.includes(imageId)),
      ),
    })),
}));

/** The image's progress for this analysis token, if any. */
export function useAnalysisProgress(
  imageId: string | undefined,
  token: string | undefined,
): AnalysisProgress | undefined {
  return useAnalysisProgressStore((state) => {
    const progress = imageId === undefined ? undefined : state.byImage[imageId];
    return progress && progress.token === token ? progress : undefined;
  });
}
