import { describe, expect, it } from 'vitest';
import { displaySize, sampleMasks, sampleRgb, sampleScoreMap } from './displayRaster';

describe('display rasters', () => {
  it('keeps pictures that fit and shrinks the long side to the limit', () => {
    expect(displaySize({ width: 640, height: 480 }, 2048)).toEqual({ width: 640, height: 480 });
    expect(displaySize({ width: 8000, height: 6000 }, 2048)).toEqual({ width: 2048, height: 1536 });
    expect(displaySize({ width: 3, height: 9000 }, 2048)).toEqual({ width: 1, height: 2048 });
  });

  it('takes the pixel under each display pixel centre', () => {
    // 8×4 → 4×2: display pixel (x, y) covers source [2x, 2x+2) × [2y, 2y+2), centre (2x+1, 2y+1).
    const map = { width: 8, height: 4, data: Float32Array.from({ length: 32 }, (_, i) => i) };
    const small = sampleScoreMap(map, { width: 4, height: 2 });
    expect([...small.data]).toEqual([9, 11, 13, 15, 25, 27, 29, 31]);
    const image = { width: 8, height: 4, data: Uint8Array.from({ length: 96 }, (_, i) => i) };
    const rgb = sampleRgb(image, { width: 4, height: 2 });
    expect([...rgb.data.slice(0, 6)]).toEqual([27, 28, 29, 33, 34, 35]);
    expect(sampleScoreMap(map, { width: 8, height: 4 })).toBe(map);
  });

  it('samples masks exactly as it samples maps', () => {
    const width = 37;
    const height = 23;
    const pixels = Uint32Array.from({ length: width * height }, (_, i) => i).filter(
      (i) => (i % width) * (i % width) + Math.floor(i / width) * 3 < 400,
    );
    const display = { width: 10, height: 6 };
    const [sampled] = sampleMasks([{ width, height, pixels }], display);
    const asMap = new Float32Array(width * height);
    for (const pixel of pixels) asMap[pixel] = 1;
    const expected = sampleScoreMap({ width, height, data: asMap }, display);
    const fromMask = new Float32Array(display.width * display.height);
    for (const pixel of sampled?.pixels ?? []) fromMask[pixel] = 1;
    expect([...fromMask]).toEqual([...expected.data]);
    expect(sampled?.pixels.length).toBeGreaterThan(0);
  });
});
