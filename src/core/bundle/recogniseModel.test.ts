import { describe, expect, it } from 'vitest';
import {
  interpretAs,
  nonFloat32Tensors,
  recogniseModel,
  RoleMismatch,
  type ModelInterface,
  type TensorInfo,
} from './recogniseModel';

const t = (name: string, ...shape: (number | string)[]): TensorInfo => ({
  name,
  type: 'float32',
  shape,
});

const samDecoderInputs = [
  t('image_embed', 1, 256, 64, 64),
  t('high_res_feats_0', 1, 32, 256, 256),
  t('high_res_feats_1', 1, 64, 128, 128),
  t('point_coords', 'num_labels', 'num_points', 2),
  t('point_labels', 'num_labels', 'num_points'),
  t('mask_input', 'num_labels', 1, 256, 256),
  t('has_mask_input', 1),
];
const samDecoderOutputs = [
  t('masks', 'num_labels', 3, 256, 256),
  t('iou_predictions', 'num_labels', 3),
];

describe('recogniseModel', () => {
  it('reads a common DINOv2 export (pooled output beside the tokens) as a tokens backbone', () => {
    const model: ModelInterface = {
      inputs: [t('pixel_values', 'batch', 3, 'height', 'width')],
      outputs: [t('pooler_output', 'batch', 768), t('last_hidden_state', 'batch', 'seq', 768)],
    };
    expect(recogniseModel(model)).toEqual({
      role: 'backbone',
      input: 'pixel_values',
      output: 'last_hidden_state',
      layout: 'tokens',
      channels: 768,
    });
  });

  it('reads a fixed-size feature-map backbone and a flow with names of their own', () => {
    expect(
      recogniseModel({ inputs: [t('image', 1, 3, 518, 1036)], outputs: [t('f', 1, 1024, 37, 74)] }),
    ).toEqual({
      role: 'backbone',
      input: 'image',
      output: 'f',
      layout: 'map',
      channels: 1024,
      fixedSize: [518, 1036],
    });
    expect(
      recogniseModel({ inputs: [t('x', 1, 1024, 'h', 'w')], outputs: [t('logp', 1, 1, 'h', 'w')] }),
    ).toEqual({ role: 'flow', input: 'x', output: 'logp', channels: 1024 });
  });

  it('tells SAM 2 encoder outputs apart by their channels when the names differ', () => {
    const encoder = recogniseModel({
      inputs: [t('input', 1, 3, 1024, 1024)],
      outputs: [t('e', 1, 256, 64, 64), t('f0', 1, 32, 256, 256), t('f1', 1, 64, 128, 128)],
    });
    expect(encoder).toEqual({
      role: 'encoder',
      input: 'input',
      outputs: { highResFeats0: 'f0', highResFeats1: 'f1', imageEmbed: 'e' },
      imageSize: 1024,
    });
  });

  it('knows a decoder fixed to one prompt without a run, and leaves a dynamic one to the probe', () => {
    const single = recogniseModel({
      inputs: samDecoderInputs.map((tensor) =>
        tensor.shape[0] === 'num_labels'
          ? { ...tensor, shape: [1, ...tensor.shape.slice(1)] }
          : tensor,
      ),
      outputs: samDecoderOutputs,
    });
    expect(single).toMatchObject({ role: 'decoder', batchedPrompts: false });
    const dynamic = recogniseModel({ inputs: samDecoderInputs, outputs: samDecoderOutputs });
    expect(dynamic).toMatchObject({
      role: 'decoder',
      inputs: { pointCoords: 'point_coords', hasMaskInput: 'has_mask_input' },
      outputs: { masks: 'masks', iouPredictions: 'iou_predictions' },
    });
    expect(dynamic && 'batchedPrompts' in dynamic).toBe(false);
  });

  it('does not take a decoder with an input the pipeline cannot feed, and says why', () => {
    const model = {
      inputs: [...samDecoderInputs, t('orig_im_size', 2)],
      outputs: samDecoderOutputs,
    };
    expect(recogniseModel(model)).toBeUndefined();
    const mismatch = interpretAs('decoder', model);
    expect(mismatch).toBeInstanceOf(RoleMismatch);
    expect((mismatch as RoleMismatch).reason).toMatch(/"orig_im_size", which the pipeline/);
  });

  it('recognises nothing in an unrelated model, and says why a backbone is no flow', () => {
    expect(
      recogniseModel({ inputs: [t('a', 2), t('b', 2)], outputs: [t('c', 2)] }),
    ).toBeUndefined();
    const backbone = { inputs: [t('pixel_values', 1, 3, 'H', 'W')], outputs: [t('y', 1, 'T', 32)] };
    expect((interpretAs('flow', backbone) as RoleMismatch).reason).toBe(
      'a flow maps [1, C, h, w] to [1, 1, h, w]',
    );
  });

  it('names the tensors the pipeline uses that are not float32', () => {
    const model: ModelInterface = {
      inputs: [{ name: 'x', type: 'float16', shape: [1, 3, 'H', 'W'] }],
      outputs: [t('pooled', 1, 384), { name: 'tokens', type: 'float16', shape: [1, 'T', 384] }],
    };
    const recognised = recogniseModel(model);
    expect(recognised).toMatchObject({ role: 'backbone', output: 'tokens' });
    expect(recognised && nonFloat32Tensors(model, recognised)).toEqual([
      'x (float16)',
      'tokens (float16)',
    ]);
  });
});
