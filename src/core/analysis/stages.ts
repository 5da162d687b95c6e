/** The stages of one analysis, in the order they run, with the names users see. */
export const ANALYSIS_STAGES = {
  'backbone-input': 'Prepare backbone input',
  backbone: 'Backbone',
  flow: 'Flow',
  'score-map': 'Score map',
  'segmenter-input': 'Prepare SAM 2 input',
  'segmenter-encoder': 'SAM 2 encoder',
  'segmenter-decoder': 'SAM 2 decoder',
  'mask-postprocess': 'Automatic masks',
  smoothing: 'Mask smoothing',
} as const;

export type AnalysisStage = keyof typeof ANALYSIS_STAGES;

/** Milliseconds per stage; decoder and mask post-processing are summed over batches. */
export type StageTimings = Partial<Record<AnalysisStage, number>>;

/** Accumulates wall time per stage; times include waiting for GPU results to be read back. */
export class StageClock {
  readonly timings: StageTimings = {};

  async time<T>(stage: AnalysisStage, work: () => Promise<T> | T): Promise<T> {
    const started = performance.now();
    try {
      return await work();
    } finally {
      this.timings[stage] = (this.timings[stage] ?? 0) + (performance.now() - started);
    }
  }
}
