/**
 * The bundle format's vocabulary and defaults, declared once. The manifest schema builds its
 * enums from these lists, the app and the CLI offer them, and the model factory's manifest
 * writer holds the same values (tools/flowclas_factory/defaults.py, compared by a test).
 */

/** Backbone output layouts (contracts.md): `tokens` [1, T + h·w, C] or `map` [1, C, h, w]. */
export const BACKBONE_LAYOUTS = ['tokens', 'map'] as const;
export type BackboneLayout = (typeof BACKBONE_LAYOUTS)[number];

/** What the flow emits per position: q = exp(ℓ) (s = 1 − q) or ℓ itself (s = −ℓ). */
export const FLOW_OUTPUT_KINDS = ['likelihood', 'log-likelihood'] as const;
export type FlowOutputKind = (typeof FLOW_OUTPUT_KINDS)[number];

/** How an image is fitted to the backbone input. */
export const RESIZE_MODES = ['pad', 'stretch'] as const;

/** Weight variants a model may ship in; the model's own `file` holds the fp32 weights. */
export const WEIGHT_PRECISIONS = ['fp32', 'fp16', 'int8'] as const;
export type WeightPrecision = (typeof WEIGHT_PRECISIONS)[number];

/** Colour maps for score heatmaps (perceptual maps from d3, plus grey). */
export const COLORMAP_NAMES = ['inferno', 'viridis', 'magma', 'turbo', 'grey'] as const;
export type ColormapName = (typeof COLORMAP_NAMES)[number];

/** Automatic-mask settings of the manifest's `segmenter.amg`. */
export interface AmgSettings {
  /** Prompt grid: pointsPerSide² points over the image. */
  pointsPerSide: number;
  /** Prompts per decoder run (1 when the decoder takes one prompt). */
  pointsPerBatch: number;
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

/** Upstream SAM 2's automatic-mask-generator defaults, also the bundle defaults. */
export const DEFAULT_AMG_SETTINGS: Readonly<AmgSettings> = {
  pointsPerSide: 32,
  pointsPerBatch: 64,
  predIouThresh: 0.8,
  stabilityScoreThresh: 0.95,
  stabilityScoreOffset: 1,
  maskThreshold: 0,
  boxNmsThresh: 0.7,
  multimask: true,
};

/** Points per side a user may choose (AMG sends the square of it to the decoder). */
export const AMG_POINTS_PER_SIDE_RANGE = { min: 1, max: 64 } as const;

/** Bin count N of mask-based smoothing (pipeline.md §5) and its accepted range. */
export const DEFAULT_SMOOTHING_BINS = 20;
export const SMOOTHING_BINS_RANGE = { min: 1, max: 1000 } as const;

/** Sigmoid thresholds of the binned metrics (pipeline.md §7). */
export const DEFAULT_BINNED_THRESHOLDS = 5000;

/**
 * Views are drawn at most this many pixels on their long side: a screen shows no more, and a
 * 48 MP photo would otherwise take 192 MB per canvas. Exports and numbers stay at full size.
 */
export const MAX_DISPLAY_SIDE = 2048;

export const DEFAULT_DISPLAY = {
  colormap: 'inferno' as ColormapName,
  scoreRange: [0, 1] as readonly [number, number],
};

/** ImageNet statistics: what DINOv2 and SAM 2 normalise with. */
export const IMAGENET_MEAN = [0.485, 0.456, 0.406] as const;
export const IMAGENET_STD = [0.229, 0.224, 0.225] as const;

/** DINOv2's patch size and SAM 2's square input side. */
export const DINOV2_PATCH_SIZE = 14;
export const SAM2_IMAGE_SIZE = 1024;

/** The largest file a static host commonly serves: external data is split into chunks below it. */
export const EXTERNAL_DATA_CHUNK_BYTES = 100 * 1024 * 1024;
