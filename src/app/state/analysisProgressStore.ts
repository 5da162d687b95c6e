/** What each running analysis has delivered so far (the raw map arrives before the masks). */
import { create } from 'zustand';
import type { ScoreMap } from '../../core/types';

export type AnalysisPhase = 'queued' | 'running' | 'done' | 'error';

export interface AnalysisProgress {
  phase: AnalysisPhase;
  /** The raw map, as soon as it exists. */
  scoreMap?: ScoreMap;
  promptsDone?: number;
  promptCount?: number;
  startedAt?: number;
  /** Milliseconds from the start of the analysis to the raw map and to the full result. */
  firstHeatmapMs?: number;
  totalMs?: number;
}

interface AnalysisProgressState {
  byKey: Record<string, AnalysisProgress>;
  update(key: string, patch: Partial<AnalysisProgress>): void;
  /** Drops every entry whose key matches (entries of removed images). */
  forget(matches: (key: string) => boolean): void;
}

export const useAnalysisProgressStore = create<AnalysisProgressState>()((set) => ({
  byKey: {},
  update: (key, patch) =>
    set((state) => ({
      byKey: { ...state.byKey, [key]: { phase: 'queued', ...state.byKey[key], ...patch } },
    })),
  forget: (matches) =>
    set((state) => ({
      byKey: Object.fromEntries(Object.entries(state.byKey).filter(([key]) => !matches(key))),
    })),
}));
