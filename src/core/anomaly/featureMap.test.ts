import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ShapeMismatchError } from '../errors';
import { randomFloat32 } from '../testing/numericTesting';
import { runPythonReference } from '../testing/pythonReference';
import { backboneOutputToFeatureMap, mapToFeatureMap, tokensToFeatureMap } from './featureMap';

const reference = fileURLToPath(new URL('./anomaly.reference.py', import.meta.url));

describe('tokensToFeatureMap', () => {
  for (const prefixTokens of [1, 5]) {
    it(`drops ${prefixTokens} prefix token(s) and transposes like numpy`, () => {
      const grid = { height: 3, width: 4 };
      const channels = 6;
      const dims = [1, prefixTokens + 12, channels];
      const data = randomFloat32(
        dims.reduce((a, b) => a * b),
        prefixTokens,
      );
      const features = tokensToFeatureMap({ data, dims }, grid, prefixTokens, channels);
      const expected = runPythonReference(
        reference,
        { tokens: { data, shape: dims } },
        { op: 'tokens', prefixTokens, h: 3, w: 4 },
      );
      expect(expected.result?.shape).toEqual([1, channels, 3, 4]);
      expect(features).toMatchObject({ channels, height: 3, width: 4 });
      expect(features.data).toEqual(expected.result?.data);
    });
  }

  it('puts token T + k at row floor(k / w), column k mod w', () => {
    // 2×3 grid, C = 2, one CLS token; channel 0 holds k, channel 1 holds −k.
    const data = new Float32Array([99, 99, 0, 0, 1, -1, 2, -2, 3, -3, 4, -4, 5, -5]);
    const features = tokensToFeatureMap({ data, dims: [1, 7, 2] }, { height: 2, width: 3 }, 1);
    expect(Array.from(features.data)).toEqual([0, 1, 2, 3, 4, 5, 0, -1, -2, -3, -4, -5]);
  });

  it('names expected and actual shapes when the token count is wrong', () => {
    const tokens = { data: new Float32Array(10 * 4), dims: [1, 10, 4] };
    expect(() => tokensToFeatureMap(tokens, { height: 2, width: 4 }, 1)).toThrow(
      ShapeMismatchError,
    );
    expect(() => tokensToFeatureMap(tokens, { height: 2, width: 4 }, 1)).toThrow(
      /\[1, 10, 4\].*\[1, 9, 4\]/,
    );
  });

  it('rejects a channel count that differs from the manifest', () => {
    const tokens = { data: new Float32Array(5 * 4), dims: [1, 5, 4] };
    expect(() => tokensToFeatureMap(tokens, { height: 2, width: 2 }, 1, 8)).toThrow(/\[1, 5, 8\]/);
  });

  it('rejects data whose length disagrees with its dims', () => {
    const tokens = { data: new Float32Array(19), dims: [1, 5, 4] };
    expect(() => tokensToFeatureMap(tokens, { height: 2, width: 2 }, 1)).toThrow(
      ShapeMismatchError,
    );
  });
});

describe('map layout', () => {
  it('passes a [1, C, h, w] map through unchanged', () => {
    const data = randomFloat32(3 * 2 * 5, 3);
    const features = backboneOutputToFeatureMap(
      { data, dims: [1, 3, 2, 5] },
      { height: 2, width: 5 },
      { layout: 'map', channels: 3 },
    );
    expect(features).toEqual({ channels: 3, height: 2, width: 5, data });
  });

  it('rejects a map on another grid', () => {
    const map = { data: new Float32Array(3 * 2 * 5), dims: [1, 3, 2, 5] };
    expect(() => mapToFeatureMap(map, { height: 5, width: 2 })).toThrow(/\[1, 3, 5, 2\]/);
  });

  it('dispatches the tokens layout with its prefix count', () => {
    const data = new Float32Array([7, 1, 2]);
    const features = backboneOutputToFeatureMap(
      { data, dims: [1, 3, 1] },
      { height: 1, width: 1 },
      { layout: 'tokens', prefixTokens: 2 },
    );
    expect(Array.from(features.data)).toEqual([2]);
  });
});
