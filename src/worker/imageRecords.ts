/**
 * The view worker's state: per image its pixels, its ground truth, and the results of one
 * analysis token. Refined maps are smoothed on demand from the raw map and masks and cached per
 * bin count (a few at a time).
 */
import type { Rgb8Image } from '../core/image';
import type { AutomaticMask } from '../core/sam2';
import { smoothScoreMap } from '../core/smoothing';
import type { LabelMap, ScoreMap } from '../core/types';
import { FlowclasError } from '../core/errors';
import type { AnalysisRef, MapChoice, ResultRest } from './viewProtocol';

/** Refined maps kept per image: the bundle's bin count and the last ones asked for. */
const REFINED_CACHE_SIZE = 3;

interface AnalysisRecord {
  token: string;
  rawMap?: ScoreMap;
  masks?: AutomaticMask[] | null;
  /** Refined maps by bin count, oldest first. */
  refined: Map<number, ScoreMap>;
}

export interface ImageRecord {
  image: Rgb8Image;
  labels?: LabelMap;
  analysis?: AnalysisRecord;
}

export class ImageRecords {
  private readonly images = new Map<string, ImageRecord>();
  private readonly pendingLabels = new Map<string, LabelMap>();

  putImage(imageId: string, image: Rgb8Image): void {
    this.images.set(imageId, { image });
  }

  image(imageId: string): Rgb8Image {
    const record = this.images.get(imageId);
    if (!record) throw new FlowclasError('no-image', `Image ${imageId} is not in the gallery.`);
    return record.image;
  }

  record(imageId: string): ImageRecord | undefined {
    return this.images.get(imageId);
  }

  putPendingLabels(labelsId: string, labels: LabelMap): void {
    this.pendingLabels.set(labelsId, labels);
  }

  attachLabels(imageId: string, labelsId: string | null): void {
    const record = this.images.get(imageId);
    if (labelsId === null) {
      if (record) delete record.labels;
      return;
    }
    const labels = this.pendingLabels.get(labelsId);
    this.pendingLabels.delete(labelsId);
    if (record && labels) record.labels = labels;
  }

  dropLabels(labelsId: string): void {
    this.pendingLabels.delete(labelsId);
  }

  forget(imageIds: readonly string[]): void {
    for (const imageId of imageIds) this.images.delete(imageId);
  }

  keepOnlyToken(token: string): void {
    for (const record of this.images.values()) {
      if (record.analysis && record.analysis.token !== token) delete record.analysis;
    }
  }

  /** The record for this analysis; a newer token replaces the results of an older one. */
  private analysisFor(ref: AnalysisRef): AnalysisRecord | undefined {
    const record = this.images.get(ref.imageId);
    if (!record) return undefined;
    if (record.analysis?.token !== ref.token) {
      record.analysis = { token: ref.token, refined: new Map() };
    }
    return record.analysis;
  }

  putRawMap(ref: AnalysisRef, scoreMap: ScoreMap): void {
    const analysis = this.analysisFor(ref);
    if (!analysis) return;
    analysis.rawMap = scoreMap;
    analysis.refined.clear();
  }

  putResult(ref: AnalysisRef, rest: ResultRest): void {
    const analysis = this.analysisFor(ref);
    if (!analysis) return;
    analysis.masks = rest.masks;
    if (rest.refinedScoreMap) this.cacheRefined(analysis, rest.bins, rest.refinedScoreMap);
  }

  private cacheRefined(analysis: AnalysisRecord, bins: number, map: ScoreMap): void {
    analysis.refined.delete(bins);
    analysis.refined.set(bins, map);
    while (analysis.refined.size > REFINED_CACHE_SIZE) {
      const oldest = analysis.refined.keys().next().value;
      if (oldest === undefined) break;
      analysis.refined.delete(oldest);
    }
  }

  /** Results of this analysis, if it is the image's current one. */
  private current(ref: AnalysisRef): AnalysisRecord | undefined {
    const analysis = this.images.get(ref.imageId)?.analysis;
    return analysis?.token === ref.token ? analysis : undefined;
  }

  masks(ref: AnalysisRef): AutomaticMask[] | null | undefined {
    return this.current(ref)?.masks;
  }

  /** Whether the full result (not only the raw map) has arrived. */
  isComplete(ref: AnalysisRef): boolean {
    return this.current(ref)?.masks !== undefined;
  }

  /**
   * The chosen map, or undefined while it cannot exist yet. The refined map is the raw map itself
   * with smoothing off or without masks, so nothing downstream computes it twice.
   */
  scoreMap(ref: AnalysisRef, choice: MapChoice): ScoreMap | undefined {
    const analysis = this.current(ref);
    const raw = analysis?.rawMap;
    if (!analysis || !raw) return undefined;
    if (choice.kind === 'raw') return raw;
    if (analysis.masks === undefined) return undefined;
    if (!choice.smoothing || analysis.masks === null) return raw;
    const cached = analysis.refined.get(choice.bins);
    if (cached) {
      this.cacheRefined(analysis, choice.bins, cached);
      return cached;
    }
    const refined = smoothScoreMap(
      raw,
      analysis.masks.map((automaticMask) => automaticMask.mask),
      choice.bins,
    );
    this.cacheRefined(analysis, choice.bins, refined);
    return refined;
  }
}
