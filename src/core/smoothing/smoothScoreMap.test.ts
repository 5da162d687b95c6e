import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { InvalidInputError, ShapeMismatchError } from '../errors';
import { runPythonReference } from '../testing/pythonReference';
import type { PixelMask, ScoreMap } from '../types';
import { smoothScoreMap, smoothScoreMapInPlace } from './smoothScoreMap';
import {
  denseMaskStack,
  ellipseMask,
  randomMasks,
  randomScoreMap,
  scatteredMask,
} from './testing/randomMasks';
import { seededRandom } from '../testing/numericTesting';

const referenceScript = fileURLToPath(new URL('./smoothScoreMap.reference.py', import.meta.url));

function referenceSmooth(scoreMap: ScoreMap, masks: readonly PixelMask[], bins: number) {
  const { width, height } = scoreMap;
  const outputs = runPythonReference(
    referenceScript,
    {
      scores: { data: scoreMap.data, shape: [height, width] },
      masks: denseMaskStack(masks, width, height),
    },
    { bins },
  );
  return outputs.refined?.data as Float32Array;
}

/** Pixels whose float32 bit patterns differ (at most five, for a readable failure). */
function bitDifferences(actual: Float32Array, expected: Float32Array) {
  const actualBits = new Uint32Array(actual.buffer, actual.byteOffset, actual.length);
  const expectedBits = new Uint32Array(expected.buffer, expected.byteOffset, expected.length);
  const differences: string[] = [];
  for (let i = 0; i < actual.length && differences.length < 5; i++) {
    if (actualBits[i] !== expectedBits[i]) {
      differences.push(`pixel ${i}: ours ${actual[i]}, numpy ${expected[i]}`);
    }
  }
  return differences;
}

function expectMatchesReference(scoreMap: ScoreMap, masks: readonly PixelMask[], bins: number) {
  const refined = smoothScoreMap(scoreMap, masks, bins);
  const expected = referenceSmooth(scoreMap, masks, bins);
  expect(expected).toHaveLength(refined.data.length);
  expect(bitDifferences(refined.data, expected)).toEqual([]);
  return refined;
}

function mapOf(values: readonly number[], width = values.length): ScoreMap {
  return { width, height: values.length / width, data: Float32Array.from(values) };
}

function maskOf(scoreMap: ScoreMap, pixels: readonly number[]): PixelMask {
  return { width: scoreMap.width, height: scoreMap.height, pixels: Uint32Array.from(pixels) };
}

const everyPixel = (scoreMap: ScoreMap) =>
  maskOf(
    scoreMap,
    Array.from({ length: scoreMap.data.length }, (_, i) => i),
  );

describe('smoothScoreMap against the numpy reference', () => {
  it.each([
    { seed: 1, bins: 20 },
    { seed: 2, bins: 1 },
    { seed: 3, bins: 3 },
    { seed: 4, bins: 7 },
    { seed: 5, bins: 64 },
  ])('random map and overlapping masks (seed $seed, $bins bins)', ({ seed, bins }) => {
    const scoreMap = randomScoreMap(96, 64, seed);
    const masks = [
      ...randomMasks(96, 64, 14, seed + 100, { min: 1, max: 3000 }),
      scatteredMask(96, 64, 0.3, seed + 200),
      { width: 96, height: 64, pixels: new Uint32Array(0) },
      ...randomMasks(96, 64, 6, seed + 300, { min: 200, max: 6000 }),
    ];
    expectMatchesReference(scoreMap, masks, bins);
  });

  it('depends on mask order, and matches the reference in either order', () => {
    const scoreMap = randomScoreMap(80, 60, 11);
    const masks = randomMasks(80, 60, 12, 12, { min: 300, max: 2500 });
    const forward = expectMatchesReference(scoreMap, masks, 20);
    const backward = expectMatchesReference(scoreMap, [...masks].reverse(), 20);
    expect(bitDifferences(forward.data, backward.data)).not.toEqual([]);
  });

  it('matches on negative scores', () => {
    const scoreMap = randomScoreMap(64, 48, 21);
    const shifted = { ...scoreMap, data: scoreMap.data.map((score) => 4 * score - 3) };
    expectMatchesReference(shifted, randomMasks(64, 48, 10, 22, { min: 50, max: 2000 }), 20);
  });

  it('matches when values sit exactly on bin edges and bins tie (integer scores)', () => {
    const random = seededRandom(31);
    const scoreMap = mapOf(
      Array.from({ length: 48 * 40 }, () => Math.floor(random() * 21)),
      48,
    );
    const masks = [
      ...randomMasks(48, 40, 12, 32, { min: 2, max: 1200 }),
      scatteredMask(48, 40, 0.5, 33),
    ];
    for (const bins of [20, 10, 4, 3]) expectMatchesReference(scoreMap, masks, bins);
  });

  it('corrects the bin index like numpy where the arithmetic lands one bin off', () => {
    // In float64, (v - min) · 3 / (max - min) truncates to bin 0 for this v, yet v ≥ edge 1;
    // numpy corrects the index against the edges, so v's bin (1) is the fullest and wins.
    const [min, max, v] = [-1.928568720817566, 0.05331587791442871, -1.2679405212402344];
    const scoreMap = mapOf([min, v, max, v]);
    const refined = expectMatchesReference(scoreMap, [everyPixel(scoreMap)], 3);
    expect(Array.from(refined.data)).toEqual([v, v, v, v]);
  });

  it('matches on coarsely quantised scores (many ties, constant regions)', () => {
    const random = seededRandom(41);
    const scoreMap = mapOf(
      Array.from({ length: 64 * 32 }, (_, i) =>
        i % 64 < 20 ? 0.25 : Math.round(random() * 5) / 7,
      ),
      64,
    );
    expectMatchesReference(scoreMap, randomMasks(64, 32, 15, 42, { min: 1, max: 1500 }), 20);
  });

  it('matches float64 means over more than 8192 in-bin values (numpy sums in chunks)', () => {
    const random = seededRandom(51);
    const scoreMap = mapOf(
      Array.from({ length: 200 * 160 }, () => Math.exp(6 * random()) * (random() < 0.5 ? 1 : 3)),
      200,
    );
    expectMatchesReference(scoreMap, [everyPixel(scoreMap)], 3);
  });
});

describe('smoothScoreMap, hand-derived cases', () => {
  const f32 = Math.fround;

  it('breaks a tie between bins towards the lowest bin', () => {
    const scoreMap = mapOf([0, 0.1, 0.9, 1]);
    // bins [0, 0.5) and [0.5, 1] both hold 2; the first wins, m = mean(0, 0.1).
    const refined = smoothScoreMap(scoreMap, [everyPixel(scoreMap)], 2);
    expect(Array.from(refined.data)).toEqual([0, f32(0.1), f32(0.1) / 2, f32(0.1) / 2]);
  });

  it('leaves the maximum out of the mean even when the last bin wins', () => {
    const scoreMap = mapOf([0, 0.9, 1, 1]);
    const refined = smoothScoreMap(scoreMap, [everyPixel(scoreMap)], 2);
    expect(Array.from(refined.data)).toEqual([f32(0.9), f32(0.9), 1, 1]);
  });

  it('changes nothing when the fullest bin holds only the maximum', () => {
    const scoreMap = mapOf([0, 1, 1]);
    expect(Array.from(smoothScoreMap(scoreMap, [everyPixel(scoreMap)], 2).data)).toEqual([0, 1, 1]);
  });

  it('sets out-of-bin values on both sides to the mean of the fullest bin', () => {
    const scoreMap = mapOf([-3, -2.5, -2.4, 5, 3.5, 3.5, 3.5, 3.6, 4]);
    // 3 bins over [-3, 5]: edges -3, -1/3, 7/3, 5 (float64); counts 3, 0, 6 → bin 2 wins,
    // in-bin [7/3, 5) is 3.5 ×3, 3.6, 4 → mean 3.62; -3, -2.5, -2.4 fall below; 5 stays (= hi).
    const refined = smoothScoreMap(scoreMap, [everyPixel(scoreMap)], 3);
    const mean = f32((3 * f32(3.5) + f32(3.6) + 4) / 5);
    expect(Array.from(refined.data)).toEqual([mean, mean, mean, 5, 3.5, 3.5, 3.5, f32(3.6), 4]);
  });

  it('lets later masks see the values earlier masks wrote', () => {
    const scoreMap = mapOf([0, 0.1, 0.9, 1, 1]);
    const first = maskOf(scoreMap, [0, 1, 2, 3]);
    const second = maskOf(scoreMap, [2, 3, 4]);
    const refined = smoothScoreMap(scoreMap, [first, second], 2);
    // After the first mask: [0, 0.1, m, m, 1] with m = f32(0.1)/2. Second mask sees [m, m, 1]:
    // bin [m, (m+1)/2) holds 2 → mean m; the 1 is above hi and becomes m.
    const m = f32(0.1) / 2;
    expect(Array.from(refined.data)).toEqual([0, f32(0.1), m, m, m]);
  });

  it('leaves constant regions, single pixels, single-pixel images and empty masks alone', () => {
    const scoreMap = mapOf([0.3, 0.3, 0.3, 0.7, -1, 2], 3);
    const masks = [maskOf(scoreMap, [0, 1, 2]), maskOf(scoreMap, [4]), maskOf(scoreMap, [])];
    expect(Array.from(smoothScoreMap(scoreMap, masks, 20).data)).toEqual(Array.from(scoreMap.data));
    const onePixel = mapOf([0.42]);
    expect(smoothScoreMap(onePixel, [everyPixel(onePixel)]).data).toEqual(onePixel.data);
    expect(smoothScoreMap(scoreMap, []).data).toEqual(scoreMap.data);
  });

  it('touches only pixels inside masks', () => {
    const scoreMap = randomScoreMap(40, 30, 61);
    const mask = ellipseMask(40, 30, { x: 20, y: 15 }, { x: 8, y: 6 });
    const refined = smoothScoreMap(scoreMap, [mask], 4);
    const inside = new Set(mask.pixels);
    refined.data.forEach((value, pixel) => {
      if (!inside.has(pixel)) expect(value).toBe(scoreMap.data[pixel]);
    });
    expect(bitDifferences(refined.data, scoreMap.data)).not.toEqual([]);
  });
});

describe('smoothScoreMap copy and in-place variants', () => {
  it('returns a new map and leaves the input untouched', () => {
    const scoreMap = randomScoreMap(30, 20, 71);
    const before = scoreMap.data.slice();
    const masks = randomMasks(30, 20, 5, 72, { min: 20, max: 300 });
    const refined = smoothScoreMap(scoreMap, masks);
    expect(refined.data).not.toBe(scoreMap.data);
    expect(scoreMap.data).toEqual(before);
    smoothScoreMapInPlace(scoreMap, masks);
    expect(scoreMap.data).toEqual(refined.data);
  });
});

describe('smoothScoreMap input checks', () => {
  const scoreMap = mapOf([0, 1, 2, 3, 4, 5], 3);

  it.each([Number.NaN, Infinity, -Infinity])('rejects a %s score', (bad) => {
    const data = scoreMap.data.slice();
    data[4] = bad;
    const broken = { ...scoreMap, data };
    expect(() => smoothScoreMapInPlace(broken, [everyPixel(broken)])).toThrow(InvalidInputError);
    expect(() => smoothScoreMap(broken, [])).toThrow(/x=1, y=1/);
  });

  it('rejects a mask of another size, naming it', () => {
    const wrong = { width: 2, height: 3, pixels: Uint32Array.from([0]) };
    expect(() => smoothScoreMap(scoreMap, [everyPixel(scoreMap), wrong])).toThrow(
      ShapeMismatchError,
    );
    expect(() => smoothScoreMap(scoreMap, [everyPixel(scoreMap), wrong])).toThrow(/Mask 1 is 2×3/);
  });

  it('rejects masks whose pixels are unsorted, repeated or outside the image', () => {
    for (const pixels of [
      [2, 1],
      [1, 1],
      [0, 6],
    ]) {
      expect(() => smoothScoreMap(scoreMap, [maskOf(scoreMap, pixels)])).toThrow(InvalidInputError);
    }
  });

  it.each([0, -1, 2.5, Number.NaN])('rejects %s bins', (bins) => {
    expect(() => smoothScoreMap(scoreMap, [], bins)).toThrow(InvalidInputError);
  });

  it('changes nothing when a later mask is invalid', () => {
    const data = Float32Array.from([0, 0.1, 0.9, 1, 1, 1]);
    const target = { width: 3, height: 2, data };
    const bad = { width: 3, height: 2, pixels: Uint32Array.from([7]) };
    expect(() => smoothScoreMapInPlace(target, [everyPixel(target), bad], 2)).toThrow();
    expect(Array.from(target.data)).toEqual(Array.from(Float32Array.from([0, 0.1, 0.9, 1, 1, 1])));
  });
});
