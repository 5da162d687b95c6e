import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../errors';
import { buildPointGrid } from './pointGrid';
import { decoderPromptFeeds, emptyMaskFeeds, planPromptBatches } from './promptBatches';

describe('buildPointGrid', () => {
  it('places (i + 0.5)/n · W, (j + 0.5)/n · H, x fastest, and maps each axis to 1024', () => {
    const grid = buildPointGrid(2, 100, 50);
    expect(grid.count).toBe(4);
    expect(Array.from(grid.imagePoints)).toEqual([25, 12.5, 75, 12.5, 25, 37.5, 75, 37.5]);
    expect(Array.from(grid.modelPoints)).toEqual([256, 256, 768, 256, 256, 768, 768, 768]);
  });

  it('uses separate x and y scales for a portrait image', () => {
    const grid = buildPointGrid(32, 480, 640);
    const k = 2 * (31 * 32 + 0); // last row, first column
    expect(grid.imagePoints[k]).toBeCloseTo((0.5 / 32) * 480, 12);
    expect(grid.imagePoints[k + 1]).toBeCloseTo((31.5 / 32) * 640, 12);
    expect(grid.modelPoints[k]).toBeCloseTo(16, 4);
    expect(grid.modelPoints[k + 1]).toBeCloseTo(1008, 4);
  });

  it('rejects a non-positive grid', () => {
    expect(() => buildPointGrid(0, 10, 10)).toThrow(InvalidInputError);
  });
});

describe('planPromptBatches', () => {
  it('cuts the grid into batches in grid order, the last one shorter', () => {
    expect(planPromptBatches(10, 4)).toEqual([
      { start: 0, count: 4 },
      { start: 4, count: 4 },
      { start: 8, count: 2 },
    ]);
    expect(planPromptBatches(1024, 64)).toHaveLength(16);
  });

  it('runs one prompt at a time when the decoder cannot batch', () => {
    const batches = planPromptBatches(5, 64, false);
    expect(batches).toEqual([0, 1, 2, 3, 4].map((start) => ({ start, count: 1 })));
  });
});

describe('decoderPromptFeeds', () => {
  it('builds plain typed-array feeds with their dims', () => {
    const grid = buildPointGrid(2, 100, 50);
    const feeds = { ...decoderPromptFeeds(grid, { start: 1, count: 3 }), ...emptyMaskFeeds(3, 4) };
    expect(feeds.pointCoords.dims).toEqual([3, 1, 2]);
    expect(Array.from(feeds.pointCoords.data)).toEqual([768, 256, 256, 768, 768, 768]);
    expect(feeds.pointLabels).toEqual({ data: new Float32Array([1, 1, 1]), dims: [3, 1] });
    expect(feeds.maskInput.dims).toEqual([3, 1, 4, 4]);
    expect(feeds.maskInput.data).toEqual(new Float32Array(48));
    expect(feeds.hasMaskInput).toEqual({ data: new Float32Array([0]), dims: [1] });
  });

  it('rejects a batch outside the grid', () => {
    const grid = buildPointGrid(2, 100, 50);
    expect(() => decoderPromptFeeds(grid, { start: 3, count: 2 })).toThrow(InvalidInputError);
  });
});
