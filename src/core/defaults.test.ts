import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  BACKBONE_LAYOUTS,
  DEFAULT_AMG_SETTINGS,
  DEFAULT_DISPLAY,
  DEFAULT_SMOOTHING_BINS,
  DINOV2_PATCH_SIZE,
  EXTERNAL_DATA_CHUNK_BYTES,
  FLOW_OUTPUT_KINDS,
  IMAGENET_MEAN,
  IMAGENET_STD,
  SAM2_IMAGE_SIZE,
  WEIGHT_PRECISIONS,
} from './defaults';
import { findPythonWithNumpy } from './testing/pythonReference';

describe('bundle defaults', () => {
  it('are the values the model factory writes into manifests', () => {
    const printed = execFileSync(findPythonWithNumpy(), ['-m', 'flowclas_factory.defaults'], {
      cwd: join(import.meta.dirname, '../../tools'),
      encoding: 'utf8',
    });
    expect(JSON.parse(printed)).toEqual({
      amg: DEFAULT_AMG_SETTINGS,
      smoothingBins: DEFAULT_SMOOTHING_BINS,
      display: DEFAULT_DISPLAY,
      mean: IMAGENET_MEAN,
      std: IMAGENET_STD,
      patchSize: DINOV2_PATCH_SIZE,
      sam2ImageSize: SAM2_IMAGE_SIZE,
      backboneLayouts: BACKBONE_LAYOUTS,
      flowOutputKinds: FLOW_OUTPUT_KINDS,
      weightPrecisions: WEIGHT_PRECISIONS,
      externalDataChunkBytes: EXTERNAL_DATA_CHUNK_BYTES,
    });
  });
});
