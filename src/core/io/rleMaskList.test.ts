import { describe, expect, it } from 'vitest';
import { decodeRleMaskList } from './rleMaskList';

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
