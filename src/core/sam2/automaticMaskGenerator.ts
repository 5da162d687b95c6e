import { requireFinite } from '../checks';
import { DEFAULT_AMG_SETTINGS, type AmgSettings } from '../defaults';
import { ShapeMismatchError } from '../errors';
import type { ImageSize } from '../image/backboneInputPlan';
import type { PixelMask } from '../types';
import { boxNms } from './boxNms';
import { nonFiniteIouError } from './decoderOutputErrors';
import {
  createLogitPlaneScan,
  scanThresholds,
  type InclusiveBox,
  type LogitPlaneScan,
  type MaskLogitScan,
  type ScanThresholds,
  type StabilityCounts,
} from './stabilityScan';

/**
 * The filters and NMS of the manifest's `segmenter.amg` (docs/bundle-format.md); the prompt grid
 * settings belong to the caller that runs the decoder.
 */
export type AmgFilterSettings = Omit<AmgSettings, 'pointsPerSide' | 'pointsPerBatch'>;

/**
 * Where the stability score is computed. `exact`: on the logits upsampled to H × W, as SAM 2
 * does (pipeline.md §6). `fast`: on the S × S low-resolution logits, so only candidates that pass
 * both filters are upsampled, for their mask and box alone.
 */
export const AMG_PATHS = ['exact', 'fast'] as const;
export type AmgPath = (typeof AMG_PATHS)[number];

/** SAM 2's own semantics, which the parity tests hold us to. */
export const DEFAULT_AMG_PATH: AmgPath = 'exact';

/** An empty denominator gives NaN, which passes no threshold: the candidate is dropped. */
function stabilityScoreOf({ stableCount, looseCount }: StabilityCounts): number {
  return looseCount === 0 ? NaN : stableCount / looseCount;
}

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
 * count(l > t + o)/count(l > t − o) (empty denominator: drop) ≥ thresh, binarise the logits
 * upsampled to H × W at l > t, inclusive box; `finish` runs box NMS over all kept candidates.
 *
 * Candidates that fail the IoU filter are never upsampled (the filter comes first, so this is
 * exact). On the exact path the survivors are upsampled in one pass that yields stability, mask
 * and box together; on the fast path stability comes from the low-res logits (AmgPath).
 */
export class AutomaticMaskGenerator {
  readonly settings: AmgFilterSettings;
  readonly path: AmgPath;
  private readonly scanner: LogitPlaneScan;
  /** The stability filter's thresholds, and those of a scan for the mask alone (offset 0). */
  private readonly stabilityThresholds: ScanThresholds;
  private readonly maskThresholds: ScanThresholds;
  private readonly masksPerPrompt: number;
  private readonly candidates: MaskCandidate[] = [];
  private promptsSeen = 0;
  private upsampled = 0;

  constructor(
    imageSize: ImageSize,
    settings: Partial<AmgFilterSettings> = {},
    options: { lowResSize?: number; masksPerPrompt?: number; path?: AmgPath } = {},
  ) {
    this.settings = { ...DEFAULT_AMG_SETTINGS, ...settings };
    this.path = options.path ?? DEFAULT_AMG_PATH;
    this.masksPerPrompt = options.masksPerPrompt ?? 3;
    this.scanner = createLogitPlaneScan(imageSize.width, imageSize.height, options.lowResSize);
    const { maskThreshold, stabilityScoreOffset } = this.settings;
    this.stabilityThresholds = scanThresholds(maskThreshold, stabilityScoreOffset);
    // Offset 0: the scan only binarises, so only the mask's edges interpolate.
    this.maskThresholds = scanThresholds(maskThreshold, 0);
  }

  /** Prompts consumed so far, i.e. the grid index of the next batch's first prompt. */
  get promptCount(): number {
    return this.promptsSeen;
  }

  /** Candidates kept so far (after the IoU and stability filters, before NMS). */
  get candidateCount(): number {
    return this.candidates.length;
  }

  /** Candidates upsampled to H × W so far: past the IoU filter (exact), past both (fast). */
  get upsampledCount(): number {
    return this.upsampled;
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
    requireFinite(iouPredictions, nonFiniteIouError);
    const { predIouThresh, multimask } = this.settings;
    const outputsUsed = multimask ? K : 1;
    // The IoU predictions are float32, and PyTorch compares a float32 tensor with a Python
    // scalar in float32: 0.8f is not > 0.8 there, so neither is it here.
    const iouThreshold = Math.fround(predIouThresh);
    for (let prompt = 0; prompt < promptCount; prompt++) {
      for (let output = 0; output < outputsUsed; output++) {
        const candidate = prompt * K + output;
        const predictedIou = iouPredictions[candidate] ?? 0;
        if (!(predictedIou > iouThreshold)) continue;
        const stable = this.stableMask(masksLogits, candidate * planeSize);
        if (!stable) continue;
        this.candidates.push({
          runs: this.scanner.takeRuns(),
          area: stable.scan.area,
          predictedIou,
          stabilityScore: stable.stabilityScore,
          bbox: stable.scan.box,
          promptIndex: this.promptsSeen + prompt,
        });
      }
    }
    this.promptsSeen += promptCount;
  }

  /**
   * The stability filter, then the mask and box of a candidate that passes it (the scanner's runs
   * then hold its mask); undefined when it fails.
   */
  private stableMask(
    logits: Float32Array,
    planeOffset: number,
  ): { stabilityScore: number; scan: MaskLogitScan } | undefined {
    const { stabilityScoreThresh } = this.settings;
    if (this.path === 'exact') {
      this.upsampled++;
      const scan = this.scanner.scan(logits, planeOffset, this.stabilityThresholds);
      const stabilityScore = stabilityScoreOf(scan);
      return stabilityScore >= stabilityScoreThresh ? { stabilityScore, scan } : undefined;
    }
    const stabilityScore = stabilityScoreOf(
      this.scanner.lowResStabilityCounts(logits, planeOffset, this.stabilityThresholds),
    );
    if (!(stabilityScore >= stabilityScoreThresh)) return undefined;
    this.upsampled++;
    return { stabilityScore, scan: this.scanner.scan(logits, planeOffset, this.maskThresholds) };
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
