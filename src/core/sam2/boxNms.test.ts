import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../testing/numericTesting';
import { runPythonReference } from '../testing/pythonReference';
import { boxNms } from './boxNms';
import type { InclusiveBox } from './stabilityScan';

const reference = fileURLToPath(new URL('./automaticMasks.reference.py', import.meta.url));

describe('boxNms', () => {
  it('visits by score descending and suppresses IoU > thresh', () => {
    const boxes: InclusiveBox[] = [
      [0, 0, 10, 10],
      [1, 1, 10, 10], // IoU 0.81 with the first
      [20, 20, 30, 30],
    ];
    expect(boxNms(boxes, [0.8, 0.9, 0.85], 0.7)).toEqual([1, 2]);
  });

  it('keeps an IoU of exactly the threshold (areas without +1)', () => {
    // areas 100 and 70, intersection 70: IoU 0.7 only when the +1 is left out
    const boxes: InclusiveBox[] = [
      [0, 0, 10, 10],
      [0, 0, 10, 7],
    ];
    expect(boxNms(boxes, [0.9, 0.8], 0.7)).toEqual([0, 1]);
    expect(boxNms(boxes, [0.9, 0.8], 0.69)).toEqual([0]);
  });

  it('breaks score ties by candidate order', () => {
    const boxes: InclusiveBox[] = [
      [5, 5, 9, 9],
      [0, 0, 4, 4],
      [0, 0, 4, 4],
    ];
    expect(boxNms(boxes, [0.5, 0.9, 0.9], 0.7)).toEqual([1, 0]);
  });

  it('never suppresses with zero-area boxes (zero union)', () => {
    const boxes: InclusiveBox[] = [
      [3, 3, 3, 3],
      [3, 3, 3, 3],
    ];
    expect(boxNms(boxes, [0.9, 0.9], 0.7)).toEqual([0, 1]);
  });

  it('matches the straightforward numpy NMS on random boxes', () => {
    const random = seededRandom(11);
    const boxes: InclusiveBox[] = Array.from({ length: 200 }, () => {
      const x0 = Math.floor(random() * 50);
      const y0 = Math.floor(random() * 50);
      return [x0, y0, x0 + Math.floor(random() * 30), y0 + Math.floor(random() * 30)];
    });
    const scores = Float32Array.from(boxes, () => Math.round(random() * 20) / 20);
    const expected = runPythonReference(
      reference,
      {
        boxes: { data: Int32Array.from(boxes.flat()), shape: [200, 4] },
        scores: { data: scores, shape: [200] },
      },
      { op: 'nms', boxNmsThresh: 0.5 },
    );
    const keep = boxNms(boxes, scores, 0.5);
    expect(keep.length).toBeLessThan(boxes.length); // some were suppressed
    expect(keep).toEqual(Array.from(expected.keep?.data as Int32Array));
  });
});
