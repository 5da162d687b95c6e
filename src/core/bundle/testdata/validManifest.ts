import { DEFAULT_AMG_SETTINGS } from '../../defaults';
import type { BundleManifest } from '../manifestSchema';

const hash = (digit: string) => digit.repeat(64);

/** A complete, valid manifest for schema tests (the files themselves do not exist). */
export function validManifest(): BundleManifest {
  return {
    format: 'flowclas-bundle/1',
    name: 'test',
    description: 'schema test bundle',
    domain: 'synthetic road scenes',
    license: 'MIT',
    backbone: {
      file: 'backbone.onnx',
      input: 'pixel_values',
      output: 'last_hidden_state',
      layout: 'tokens',
      prefixTokens: 1,
      patchSize: 14,
      channels: 192,
      resize: { mode: 'pad', maxSide: 448 },
      mean: [0.485, 0.456, 0.406],
      std: [0.229, 0.224, 0.225],
    },
    flow: {
      file: 'flow.onnx',
      input: 'features',
      output: 'likelihood',
      channels: 192,
      outputKind: 'likelihood',
      steps: 8,
    },
    segmenter: {
      kind: 'sam2',
      imageSize: 1024,
      mean: [0.485, 0.456, 0.406],
      std: [0.229, 0.224, 0.225],
      encoder: {
        file: 'sam2_encoder.onnx',
        input: 'image',
        outputs: {
          highResFeats0: 'high_res_feats_0',
          highResFeats1: 'high_res_feats_1',
          imageEmbed: 'image_embed',
        },
      },
      decoder: {
        file: 'sam2_decoder.onnx',
        batchedPrompts: true,
        inputs: {
          imageEmbed: 'image_embed',
          highResFeats0: 'high_res_feats_0',
          highResFeats1: 'high_res_feats_1',
          pointCoords: 'point_coords',
          pointLabels: 'point_labels',
          maskInput: 'mask_input',
          hasMaskInput: 'has_mask_input',
        },
        outputs: { masks: 'masks', iouPredictions: 'iou_predictions' },
      },
      amg: { ...DEFAULT_AMG_SETTINGS },
    },
    smoothing: { bins: 20 },
    display: { colormap: 'inferno', scoreRange: [0, 1] },
    files: {
      'backbone.onnx': { bytes: 10, sha256: hash('a') },
      'flow.onnx': { bytes: 20, sha256: hash('b') },
      'sam2_encoder.onnx': { bytes: 30, sha256: hash('c') },
      'sam2_decoder.onnx': { bytes: 40, sha256: hash('d') },
    },
  };
}
