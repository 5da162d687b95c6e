import { ShapeMismatchError } from '../errors';
import type { ImageSize } from '../image/backboneInputPlan';
import type { PixelMask } from '../types';
import { boxNms } from './boxNms';
import { nonFiniteIouError } from './decoderOutputErrors';
import { MaskLogitScanner, type InclusiveBox } from './maskLogitScanner';

/** AMG post-processing settings (docs/bundle-format.md `segmenter.amg`). */
export interface AmgSettings {
  /** Keep candidates with predicted IoU > this (compared in float32, as PyTorch does). */
  predIouThresh: number;
  /** Keep candidates with stability ≥ this. */
  stabilityScoreThresh: number;
  stabilityScoreOffset: number;
  /** Mask pixels are logits > this. */
  maskThreshold: number;
  /** Box IoU > this suppresses. */
  boxNmsThresh: number;
  /** All mask outputs per prompt are candidates; otherwise only the first. */
  multimask: boolean;
}

/** Upstream SAM 2 defaults, also the bundle defaults. */
export const DEFAULT_AMG_SETTINGS: AmgSettings = {
  predIouThresh: 0.8,
  stabilityScoreThresh: 0.95,
  stabilityScoreOffset: 1,
  maskThreshold: 0,
  boxNmsThresh: 0.7,
  multimask: true,
};

/** One automatic mask in processing order (predicted IoU descending). */
export interface AutomaticMask {
  mask: PixelMask;
  area: number;
  predictedIou: number;
  stabilityScore: number;
  /** Inclusive [x0, y0, x1, y1]. */
  bbox: InclusiveBox;
  /** Index of the grid prompt that produced it. */
  promptIndex: number;
}

interface MaskCandidate {
  runs: Uint32Array;
  area: number;
  predictedIou: number;
  stabilityScore: number;
  bbox: InclusiveBox;
  promptIndex: number;
}

/**
 * SAM 2 automatic-mask post-processing, single crop (pipeline.md §6), fed one decoder batch at a
 * time so the runtime can stream batches. Per batch, in order: predicted IoU > thresh, stability
 * count(l > t + o)/count(l > t − o) on the logits upsampled to H × W (empty denominator: drop)
 * ≥ thresh, binarise at l > t, inclusive box; `finish` runs box NMS over all kept candidates.
 *
 * Candidates that fail the IoU filter are never upsampled (the filter comes first, so this is
 * exact), and survivors are upsampled in one pass that yields stability, mask and box together.
 */
export class AutomaticMaskGenerator {
  readonly settings: AmgSettings;
  private readonly scanner: MaskLogitScanner;
  private readonly masksPerPrompt: number;
  private readonly candidates: MaskCandidate[] = [];
  private promptsSeen = 0;

  constructor(
    imageSize: ImageSize,
    settings: Partial<AmgSettings> = {},
    options: { lowResSize?: number; masksPerPrompt?: number } = {},
  ) {
    this.settings = { ...DEFAULT_AMG_SETTINGS, ...settings };
    this.masksPerPrompt = options.masksPerPrompt ?? 3;
    this.scanner = new MaskLogitScanner(imageSize.width, imageSize.height, options.lowResSize);
  }

  /** Prompts consumed so far, i.e. the grid index of the next batch's first prompt. */
  get promptCount(): number {
    return this.promptsSeen;
  }

  /** Candidates kept so far (after the IoU and stability filters, before NMS). */
  get candidateCount(): number {
    return this.candidates.length;
  }

  /**
   * One decoder batch: masksLogits [N, K, S, S] low-resolution logits and iouPredictions [N, K],
   * K = masksPerPrompt, prompts in grid order. Candidates are visited prompt-major, then output.
   */
  addBatch(masksLogits: Float32Array, iouPredictions: Float32Array): void {
    const K = this.masksPerPrompt;
    const planeSize = this.scanner.lowResSize * this.scanner.lowResSize;
    const promptCount = iouPredictions.length / K;
    if (!Number.isInteger(promptCount) || masksLogits.length !== promptCount * K * planeSize) {
      throw new ShapeMismatchError(
        `The SAM 2 decoder returned ${iouPredictions.length} IoU predictions and ` +
          `${masksLogits.length} mask logits; ${K} masks of ${this.scanner.lowResSize}×` +
          `${this.scanner.lowResSize} per prompt need [N, ${K}] and [N, ${K}, ` +
          `${this.scanner.lowResSize}, ${this.scanner.lowResSize}].`,
      );
    }
    const badIou = iouPredictions.findIndex((v) => !Number.isFinite(v));
    if (badIou >= 0) throw nonFiniteIouError(iouPredictions[badIou] ?? NaN);
    const { predIouThresh, stabilityScoreThresh, stabilityScoreOffset, maskThreshold, multimask } =
      this.settings;
    const outputsUsed = multimask ? K : 1;
    // The IoU predictions are float32, and PyTorch compares a float32 tensor with a Python
    // scalar in float32: 0.8f is not > 0.8 there, so neither is it here.
    const iouThreshold = Math.fround(predIouThresh);
    for (let prompt = 0; prompt < promptCount; prompt++) {
      for (let output = 0; output < outputsUsed; output++) {
        const candidate = prompt * K + output;
        const predictedIou = iouPredictions[candidate] ?? 0;
        if (!(predictedIou > iouThreshold)) continue;
        const scan = this.scanner.scan(
          masksLogits,
          candidate * planeSize,
          maskThreshold,
          stabilityScoreOffset,
        );
        if (scan.looseCount === 0) continue;
        const stabilityScore = scan.stableCount / scan.looseCount;
        if (!(stabilityScore >= stabilityScoreThresh)) continue;
        this.candidates.push({
          runs: this.scanner.takeRuns(),
          area: scan.area,
          predictedIou,
          stabilityScore,
          bbox: scan.box,
          promptIndex: this.promptsSeen + prompt,
        });
      }
    }
    this.promptsSeen += promptCount;
  }

  /** Box NMS over every kept candidate; masks in keep order (predicted IoU descending). */
  finish(): AutomaticMask[] {
    const keep = boxNms(
      this.candidates.map((c) => c.bbox),
      this.candidates.map((c) => c.predictedIou),
      this.settings.boxNmsThresh,
    );
    const { width, height } = this.scanner;
    return keep.map((index) => {
      const { runs, area, predictedIou, stabilityScore, bbox, promptIndex } =
        this.candidates[index] ?? unreachable();
      return {
        mask: { width, height, pixels: expandRuns(runs, area) },
        area,
        predictedIou,
        stabilityScore,
        bbox: [...bbox],
        promptIndex,
      };
    });
  }
}

function expandRuns(runs: Uint32Array, area: number): Uint32Array {
  const pixels = new Uint32Array(area);
  let next = 0;
  for (let run = 0; run < runs.length; run += 2) {
    for (let pixel = runs[run] ?? 0; pixel < (runs[run + 1] ?? 0); pixel++) pixels[next++] = pixel;
  }
  return pixels;
}

function unreachable(): never {
  throw new Error('NMS returned an index outside the candidate list.');
}
