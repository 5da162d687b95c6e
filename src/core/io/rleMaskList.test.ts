import { describe, expect, it } from 'vitest';
import type { AutomaticMask } from '../sam2';
import { decodeRleMaskList, encodeAutomaticMasks } from './rleMaskList';

describe('decodeRleMaskList', () => {
  it('reads bare and wrapped RLE masks in list order', () => {
    // 2×3 image, column-major runs: first mask = pixel (x=0,y=1); second = the whole last column.
    const text = JSON.stringify([
      { size: [2, 3], counts: [1, 1, 4] },
      { segmentation: { size: [2, 3], counts: [4, 2] }, predicted_iou: 0.9 },
    ]);
    const masks = decodeRleMaskList(text, 'm.json');
    expect(masks.map((mask) => Array.from(mask.pixels))).toEqual([[3], [2, 5]]);
    expect(masks[0]).toMatchObject({ width: 3, height: 2 });
  });

  it('names the file and the place of a malformed entry', () => {
    expect(() => decodeRleMaskList('[{"size": [2, 2]}]', 'm.json')).toThrow(
      /^m\.json: expected a JSON list of COCO RLE masks .* problem at \[0\]/,
    );
    expect(() => decodeRleMaskList('{', 'm.json')).toThrow(/m\.json: not valid JSON/);
  });

  it('rejects counts that do not add up to the mask size', () => {
    expect(() => decodeRleMaskList('[{"size": [2, 2], "counts": [1, 1]}]', 'm.json')).toThrow(
      /m\.json: mask 0: /,
    );
  });
});

/**
 * The box of a COCO uncompressed RLE, straight from its runs: the runs go down the columns
 * (column-major), alternating unset and set, so each set run names its column and rows.
 */
function boxFromRuns(size: [number, number], counts: number[]): number[] {
  const [height] = size;
  const columns: number[] = [];
  const rows: number[] = [];
  let at = 0;
  counts.forEach((run, index) => {
    if (index % 2 === 1)
      for (let i = at; i < at + run; i++) {
        columns.push(Math.floor(i / height));
        rows.push(i % height);
      }
    at += run;
  });
  if (columns.length === 0) return [0, 0, 0, 0];
  const left = Math.min(...columns);
  const top = Math.min(...rows);
  return [left, top, Math.max(...columns) - left + 1, Math.max(...rows) - top + 1];
}

describe('encodeAutomaticMasks', () => {
  // 4 high × 5 wide. First mask: (x=1, y=0), (x=3, y=0), (x=2, y=1).
  const width = 5;
  const first: AutomaticMask = {
    mask: { width, height: 4, pixels: Uint32Array.from([1, 3, 7]) },
    area: 3,
    predictedIou: 0.91,
    stabilityScore: 0.96,
    // The generator's inclusive form, which a COCO reader would misread.
    bbox: [1, 0, 3, 1],
    promptIndex: 3,
  };
  const empty: AutomaticMask = {
    mask: { width, height: 4, pixels: new Uint32Array(0) },
    area: 0,
    predictedIou: 0.9,
    stabilityScore: 0,
    bbox: [0, 0, 0, 0],
    promptIndex: 5,
  };

  it('writes COCO records whose bbox is [x, y, width, height] of the segmentation', () => {
    const records = JSON.parse(encodeAutomaticMasks([first, empty])) as {
      segmentation: { size: [number, number]; counts: number[] };
      bbox: number[];
      area: number;
    }[];
    // Worked by hand: columns 1..3 (3 wide), rows 0..1 (2 high).
    expect(records.map((record) => record.bbox)).toEqual([
      [1, 0, 3, 2],
      [0, 0, 0, 0],
    ]);
    for (const record of records)
      expect(record.bbox).toEqual(
        boxFromRuns(record.segmentation.size, record.segmentation.counts),
      );
    expect(records[0]).toMatchObject({
      area: 3,
      predicted_iou: 0.91,
      stability_score: 0.96,
      point_index: 3,
    });
  });

  it('reads back what it writes', () => {
    const text = encodeAutomaticMasks([first, empty]);
    expect(decodeRleMaskList(text, 'masks.json')).toEqual([first.mask, empty.mask]);
  });
});
