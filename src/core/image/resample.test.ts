import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ShapeMismatchError } from '../errors';
import { runPythonReference } from '../testing/pythonReference';
import { planAxisResampling } from './axisResampling';
import { maxAbsDifference, randomFloat32 } from '../testing/numericTesting';
import { planarView } from './planarImage';
import { resamplePlanar, resampleScoreMap, resampleSeparable } from './resample';

const reference = fileURLToPath(new URL('./resampling.reference.py', import.meta.url));

describe('resamplePlanar matches the numpy reference', () => {
  const cases: [string, [number, number, number], [number, number]][] = [
    ['down on both axes', [3, 13, 17], [5, 7]],
    ['down by a non-integer ratio', [1, 100, 37], [33, 12]],
    ['up on both axes', [2, 5, 6], [17, 23]],
    ['up from a single pixel', [3, 1, 1], [5, 3]],
    ['down to a single pixel', [1, 7, 9], [1, 1]],
    ['rows up, columns down', [3, 10, 40], [25, 9]],
    ['rows down, columns up', [1, 31, 4], [8, 11]],
    ['rows unchanged, columns up', [1, 6, 4], [6, 9]],
  ];
  for (const [name, [channels, height, width], [outHeight, outWidth]] of cases) {
    it(name, () => {
      const data = randomFloat32(channels * height * width, height * 31 + width, 0, 255);
      const resized = resamplePlanar({ channels, height, width, data }, outWidth, outHeight);
      const expected = runPythonReference(
        reference,
        { image: { data, shape: [channels, height, width] } },
        { op: 'resample', outHeight, outWidth },
      );
      expect(expected.result?.shape).toEqual([channels, outHeight, outWidth]);
      expect([resized.channels, resized.height, resized.width]).toEqual([
        channels,
        outHeight,
        outWidth,
      ]);
      expect(maxAbsDifference(resized.data, expected.result?.data as Float32Array)).toBeLessThan(
        1e-4,
      );
    });
  }
});

describe('resampling', () => {
  it('returns an identical copy for equal sizes', () => {
    const data = randomFloat32(2 * 4 * 5, 7);
    const resized = resamplePlanar({ channels: 2, height: 4, width: 5, data }, 5, 4);
    expect(resized.data).toEqual(data);
    expect(resized.data).not.toBe(data);
  });

  it('keeps a constant image constant', () => {
    const data = new Float32Array(9 * 13).fill(0.3);
    const resized = resampleScoreMap({ width: 13, height: 9, data }, 4, 20);
    expect(maxAbsDifference(resized.data, new Float32Array(80).fill(0.3))).toBeLessThan(1e-7);
  });

  it('reads interleaved pixels through strides', () => {
    // 1×2 RGB image, interleaved: pixel 0 = (0, 10, 20), pixel 1 = (100, 110, 120).
    const interleaved = new Uint8Array([0, 10, 20, 100, 110, 120]);
    const resized = resampleSeparable(
      {
        data: interleaved,
        channels: 3,
        height: 1,
        width: 2,
        channelStride: 1,
        rowStride: 6,
        columnStride: 3,
      },
      planAxisResampling(1, 1),
      planAxisResampling(2, 1),
    );
    expect(Array.from(resized.data)).toEqual([50, 60, 70]);
  });

  it('rejects a plan made for another size', () => {
    const image = { channels: 1, height: 3, width: 3, data: new Float32Array(9) };
    expect(() =>
      resampleSeparable(planarView(image), planAxisResampling(4, 2), planAxisResampling(3, 2)),
    ).toThrow(ShapeMismatchError);
  });
});
