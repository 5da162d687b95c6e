import { dump } from 'npyjs';
import { describe, expect, it } from 'vitest';
import { FlowclasError } from '../errors';
import {
  decodeNpy,
  labelMapFromNpy,
  maskStackFromNpy,
  scoreMapFromNpy,
  scoreMapToNpy,
} from './npy';

const npyBytes = (...args: Parameters<typeof dump>) => new Uint8Array(dump(...args));

describe('npy score maps', () => {
  it('round-trips a float32 [H, W] map', () => {
    const original = { width: 3, height: 2, data: new Float32Array([0.5, -1, 2, 3, 4, 1e-7]) };
    const decoded = scoreMapFromNpy(decodeNpy(scoreMapToNpy(original), 's.npy'), 's.npy');
    expect(decoded).toEqual(original);
  });

  it('accepts float64 and leading unit axes, converting to float32', () => {
    const bytes = npyBytes(new Float64Array([0.1, 0.2, 0.3, 0.4]), [1, 1, 2, 2]);
    const map = scoreMapFromNpy(decodeNpy(bytes, 's.npy'), 's.npy');
    expect(map.width).toBe(2);
    expect(map.height).toBe(2);
    expect(map.data).toEqual(Float32Array.from([0.1, 0.2, 0.3, 0.4]));
  });

  it('names the file and the problem for a wrong dtype or shape', () => {
    const ints = npyBytes(new Int32Array([1, 2]), [2]);
    expect(() => scoreMapFromNpy(decodeNpy(ints, 'a.npy'), 'a.npy')).toThrow(
      /a\.npy: scores must be a float array/,
    );
    const cube = npyBytes(new Float32Array(8), [2, 2, 2]);
    expect(() => scoreMapFromNpy(decodeNpy(cube, 'b.npy'), 'b.npy')).toThrow(
      'b.npy: scores must have shape [H, W], got [2, 2, 2].',
    );
  });

  it('rejects bytes that are not .npy', () => {
    expect(() => decodeNpy(new TextEncoder().encode('hello'), 'c.npy')).toThrow(FlowclasError);
  });
});

describe('npy labels and masks', () => {
  it('reads labels of any small integer dtype', () => {
    const labels = labelMapFromNpy(
      decodeNpy(npyBytes(new Int32Array([0, 1, 255, 0]), [2, 2]), 'g'),
      'g',
    );
    expect(labels).toEqual({ width: 2, height: 2, data: new Uint8Array([0, 1, 255, 0]) });
  });

  it('turns a [K, H, W] stack into pixel-index masks in file order', () => {
    const stack = new Uint8Array([1, 0, 0, 1, /* second */ 0, 0, 0, 0, /* third */ 0, 1, 1, 1]);
    const masks = maskStackFromNpy(decodeNpy(npyBytes(stack, [3, 2, 2]), 'm'), 'm');
    expect(masks.map((mask) => Array.from(mask.pixels))).toEqual([[0, 3], [], [1, 2, 3]]);
    expect(masks.every((mask) => mask.width === 2 && mask.height === 2)).toBe(true);
  });

  it('rejects float masks', () => {
    const floats = npyBytes(new Float32Array(4), [1, 2, 2]);
    expect(() => maskStackFromNpy(decodeNpy(floats, 'm.npy'), 'm.npy')).toThrow(
      /m\.npy: masks must be an integer or bool array/,
    );
  });
});
