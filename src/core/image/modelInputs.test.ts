import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ShapeMismatchError } from '../errors';
import { runPythonReference } from '../testing/pythonReference';
import { planBackboneInput, type ResizePolicy } from './backboneInputPlan';
import { backboneInputTensor, segmenterInputTensor } from './modelInputs';
import { IMAGENET_NORMALISATION } from './modelTensor';
import { maxAbsDifference, randomUint8 } from '../testing/numericTesting';

const reference = fileURLToPath(new URL('./resampling.reference.py', import.meta.url));

function rgbImage(width: number, height: number, seed: number) {
  return { width, height, data: randomUint8(width * height * 3, seed) };
}

describe('backboneInputTensor matches the numpy reference', () => {
  const normalisation = { mean: [0.5, 0.4, 0.3], std: [0.2, 0.25, 0.3] };
  const cases: [string, number, number, ResizePolicy][] = [
    ['pad only', 31, 23, { mode: 'pad' }],
    ['pad, already a multiple', 28, 14, { mode: 'pad' }],
    ['maxSide shrinks, then pad', 61, 45, { mode: 'pad', maxSide: 40 }],
    ['maxSide larger than the image', 20, 9, { mode: 'pad', maxSide: 40 }],
    ['stretch, rows up and columns down', 50, 10, { mode: 'stretch', size: [28, 42] }],
    ['a single pixel', 1, 1, { mode: 'pad' }],
  ];
  for (const [name, width, height, policy] of cases) {
    it(name, () => {
      const image = rgbImage(width, height, width * 7 + height);
      const plan = planBackboneInput(width, height, policy, 14);
      const tensor = backboneInputTensor(image, plan, normalisation);
      const expected = runPythonReference(
        reference,
        { rgb: { data: image.data, shape: [height, width, 3] } },
        { op: 'backbone', policy, patchSize: 14, ...normalisation },
      );
      expect(tensor.dims).toEqual(expected.result?.shape);
      expect(tensor.dims).toEqual([1, 3, plan.padded.height, plan.padded.width]);
      expect(maxAbsDifference(tensor.data, expected.result?.data as Float32Array)).toBeLessThan(
        1e-5,
      );
    });
  }

  it('fills the padding with normalised black', () => {
    const image = { width: 1, height: 1, data: new Uint8Array([255, 255, 255]) };
    const tensor = backboneInputTensor(image, planBackboneInput(1, 1, { mode: 'pad' }, 14));
    const [mean] = IMAGENET_NORMALISATION.mean;
    const [std] = IMAGENET_NORMALISATION.std;
    expect(tensor.data[0]).toBeCloseTo((0 - (mean ?? 0)) / (std ?? 1), 6);
    // the pixel sits at (6, 6): floor(13 / 2) before
    expect(tensor.data[6 * 14 + 6]).toBeCloseTo((1 - (mean ?? 0)) / (std ?? 1), 6);
  });

  it('rejects an image whose size differs from the plan', () => {
    const plan = planBackboneInput(10, 10, { mode: 'pad' }, 14);
    expect(() => backboneInputTensor(rgbImage(10, 11, 1), plan)).toThrow(ShapeMismatchError);
    expect(() =>
      backboneInputTensor({ width: 10, height: 10, data: new Uint8Array(299) }, plan),
    ).toThrow(ShapeMismatchError);
  });
});

describe('segmenterInputTensor matches the numpy reference', () => {
  const cases: [string, number, number, number][] = [
    // Upscaled axes are resampled columns first, downscaled ones rows first.
    ['portrait, upscaled to 1024', 30, 40, 1024],
    ['landscape, one axis down', 90, 20, 64],
    ['landscape, both axes down', 120, 90, 64],
  ];
  for (const [name, width, height, imageSize] of cases) {
    it(name, () => {
      const image = rgbImage(width, height, width + height);
      const tensor = segmenterInputTensor(image, imageSize);
      const expected = runPythonReference(
        reference,
        { rgb: { data: image.data, shape: [height, width, 3] } },
        { op: 'segmenter', imageSize, ...IMAGENET_NORMALISATION },
      );
      expect(tensor.dims).toEqual([1, 3, imageSize, imageSize]);
      expect(maxAbsDifference(tensor.data, expected.result?.data as Float32Array)).toBeLessThan(
        1e-5,
      );
    });
  }
});
