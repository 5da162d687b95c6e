import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { InvalidInputError, ShapeMismatchError } from '../errors';
import { seededRandom } from '../testing/numericTesting';
import { runPythonReference } from '../testing/pythonReference';
import {
  AutomaticMaskGenerator,
  type AmgPath,
  type AmgFilterSettings,
} from './automaticMaskGenerator';

const reference = fileURLToPath(new URL('./automaticMasks.reference.py', import.meta.url));

/**
 * Decoder-like outputs: each low-res logit plane is a blob (a soft disc with a random centre,
 * radius and edge sharpness, clamped to ±32 like SAM) plus noise, so stability scores spread
 * over the interesting range and many candidates overlap.
 */
function syntheticDecoderOutputs(prompts: number, lowResSize: number, seed: number) {
  const random = seededRandom(seed);
  const K = 3;
  const logits = new Float32Array(prompts * K * lowResSize * lowResSize);
  const iou = new Float32Array(prompts * K);
  for (let plane = 0; plane < prompts * K; plane++) {
    const cx = random() * lowResSize;
    const cy = random() * lowResSize;
    const radius = (0.05 + 0.4 * random()) * lowResSize;
    const sharpness = 0.2 + 6 * random();
    const noise = random() * 0.5;
    for (let y = 0; y < lowResSize; y++) {
      for (let x = 0; x < lowResSize; x++) {
        const edge = radius - Math.hypot(x - cx, y - cy);
        const value = sharpness * edge + noise * (random() - 0.5);
        logits[(plane * lowResSize + y) * lowResSize + x] = Math.max(-32, Math.min(32, value));
      }
    }
    iou[plane] = 0.4 + 0.6 * random();
  }
  return { logits, iou };
}

function denseMask(pixels: Uint32Array, size: number): Uint8Array {
  const dense = new Uint8Array(size);
  for (const pixel of pixels) dense[pixel] = 1;
  return dense;
}

describe.each<AmgPath>(['exact', 'fast'])('the %s path matches the numpy reference', (path) => {
  const cases: [string, number, number, number, number, Partial<AmgFilterSettings>][] = [
    ['upsampled landscape, 3 batches', 48, 29, 32, 12, { stabilityScoreThresh: 0.7 }],
    ['downsampled rows, upsampled columns', 70, 20, 32, 8, { predIouThresh: 0.5 }],
    ['SAM-sized logits, single-mask', 90, 61, 256, 4, { multimask: false, predIouThresh: 0.5 }],
    ['lenient thresholds', 33, 47, 32, 10, { stabilityScoreThresh: 0, boxNmsThresh: 0.5 }],
    ['low-res rows spanning two bitset words', 45, 70, 40, 10, { stabilityScoreThresh: 0.6 }],
    [
      'every candidate, mostly mixed cells',
      50,
      37,
      16,
      6,
      { stabilityScoreThresh: 0, predIouThresh: 0, boxNmsThresh: 1 },
    ],
  ];
  for (const [name, width, height, lowResSize, prompts, overrides] of cases) {
    it(name, () => {
      const { logits, iou } = syntheticDecoderOutputs(prompts, lowResSize, width * height);
      const generator = new AutomaticMaskGenerator({ width, height }, overrides, {
        lowResSize,
        path,
      });
      const batchSize = 4;
      const plane = 3 * lowResSize * lowResSize;
      for (let start = 0; start < prompts; start += batchSize) {
        const end = Math.min(prompts, start + batchSize);
        generator.addBatch(logits.slice(start * plane, end * plane), iou.slice(3 * start, 3 * end));
      }
      const masks = generator.finish();
      const expected = runPythonReference(
        reference,
        {
          logits: { data: logits, shape: [prompts, 3, lowResSize, lowResSize] },
          iou: { data: iou, shape: [prompts, 3] },
        },
        { op: 'amg', path, width, height, ...generator.settings },
      );
      const candidates = Array.from(expected.candidates?.data as Int32Array);
      expect(candidates.length).toBeGreaterThan(1);
      expect(masks.map((m) => m.promptIndex)).toEqual(candidates.map((c) => Math.floor(c / 3)));
      expect(masks.map((m) => m.predictedIou)).toEqual(candidates.map((c) => iou[c]));
      const stability = expected.stability?.data as Float64Array;
      const boxes = Array.from(expected.boxes?.data as Int32Array);
      const expectedMasks = expected.masks?.data as Uint8Array;
      masks.forEach((mask, i) => {
        expect(mask.stabilityScore).toBeCloseTo(stability[i] ?? NaN, 12);
        expect(mask.bbox).toEqual(boxes.slice(4 * i, 4 * i + 4));
        const size = width * height;
        expect(denseMask(mask.mask.pixels, size)).toEqual(
          expectedMasks.subarray(i * size, (i + 1) * size),
        );
        expect(mask.area).toBe(mask.mask.pixels.length);
      });
    });
  }
});

/** A K = 3 batch built from per-candidate constant-or-custom planes. */
function batchOf(planes: ((x: number, y: number) => number)[], ious: number[], size: number) {
  const logits = new Float32Array(planes.length * size * size);
  planes.forEach((plane, p) => {
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) logits[(p * size + y) * size + x] = plane(x, y);
    }
  });
  return { logits, iou: new Float32Array(ious) };
}

const off = () => -32;
const square =
  (x0: number, y0: number, x1: number, y1: number) =>
  (x: number, y: number): number =>
    x >= x0 && x <= x1 && y >= y0 && y <= y1 ? 32 : -32;

describe('AutomaticMaskGenerator hand cases', () => {
  const size = 8;
  const options = { lowResSize: size };

  it('keeps IoU > thresh only (in float32: 0.8f is not > 0.8), in NMS keep order', () => {
    const generator = new AutomaticMaskGenerator({ width: 8, height: 8 }, {}, options);
    const { logits, iou } = batchOf(
      [square(0, 0, 3, 3), square(5, 5, 7, 7), square(0, 4, 2, 7)],
      [0.8, 0.85, 0.95],
      size,
    );
    generator.addBatch(logits, iou);
    const masks = generator.finish();
    expect(masks.map((m) => m.bbox)).toEqual([
      [0, 4, 2, 7],
      [5, 5, 7, 7],
    ]);
    expect(masks.map((m) => m.stabilityScore)).toEqual([1, 1]);
    expect(Array.from(masks[1]?.mask.pixels ?? [])).toEqual([45, 46, 47, 53, 54, 55, 61, 62, 63]);
  });

  it('breaks predicted-IoU ties by candidate order', () => {
    const generator = new AutomaticMaskGenerator({ width: 8, height: 8 }, {}, options);
    const first = batchOf([square(1, 1, 4, 4), off, off], [0.9, 0, 0], size);
    const second = batchOf([off, square(1, 1, 4, 5), square(6, 6, 7, 7)], [0, 0.9, 0.9], size);
    generator.addBatch(first.logits, first.iou);
    generator.addBatch(second.logits, second.iou);
    const masks = generator.finish();
    expect(masks.map((m) => [m.promptIndex, m.bbox])).toEqual([
      [0, [1, 1, 4, 4]],
      [1, [6, 6, 7, 7]],
    ]);
    expect(generator.promptCount).toBe(2);
  });

  it('finds the box of a mask that touches the right and bottom border', () => {
    const generator = new AutomaticMaskGenerator({ width: 16, height: 24 }, {}, options);
    const { logits, iou } = batchOf([square(5, 4, 7, 7), off, off], [0.9, 0, 0], size);
    generator.addBatch(logits, iou);
    const [mask] = generator.finish();
    // Column 10 reads low-res 4.75 (logit +16), column 9 reads 4.25 (−16); row 12 reads
    // 3.67 (+10.7), row 11 reads 3.33 (−10.7). Only the corner (10, 12) blends to exactly 0:
    // above −1 but not above 0, so it counts in the stability denominator and not in the mask.
    expect(mask?.bbox).toEqual([10, 12, 15, 23]);
    expect(mask?.stabilityScore).toBe(71 / 72);
    expect(mask?.area).toBe(71);
    expect(mask?.mask.pixels[0]).toBe(12 * 16 + 11);
    expect(mask?.mask.pixels.at(-1)).toBe(16 * 24 - 1);
  });

  it('takes stability from the low-res cells on the fast path, with the same mask and box', () => {
    const batch = batchOf([square(5, 4, 7, 7), off, off], [0.9, 0, 0], size);
    const run = (path: AmgPath, stabilityScoreThresh: number) => {
      const generator = new AutomaticMaskGenerator(
        { width: 16, height: 24 },
        { stabilityScoreThresh },
        { ...options, path },
      );
      generator.addBatch(batch.logits, batch.iou);
      return generator.finish();
    };
    const [exact] = run('exact', 0.95);
    const [fast] = run('fast', 0.95);
    // 12 low-res cells at +32, none between −1 and +1: 12/12. Upsampled, one blends to 0: 71/72.
    expect(exact?.stabilityScore).toBe(71 / 72);
    expect(fast?.stabilityScore).toBe(1);
    expect(fast?.bbox).toEqual(exact?.bbox);
    expect(fast?.mask.pixels).toEqual(exact?.mask.pixels);
    // Between the two scores, only the fast path keeps the candidate.
    expect(run('exact', 0.99)).toHaveLength(0);
    expect(run('fast', 0.99)).toHaveLength(1);
  });

  it('gives the exact result on the fast path when the image is the low-res size', () => {
    const lowResSize = 24;
    const { logits, iou } = syntheticDecoderOutputs(12, lowResSize, 5);
    const run = (path: AmgPath) => {
      const generator = new AutomaticMaskGenerator(
        { width: lowResSize, height: lowResSize },
        { predIouThresh: 0.5, stabilityScoreThresh: 0.6 },
        { lowResSize, path },
      );
      generator.addBatch(logits, iou);
      return { masks: generator.finish(), candidates: generator.candidateCount };
    };
    const exact = run('exact');
    expect(exact.candidates).toBeGreaterThan(3);
    expect(run('fast')).toEqual(exact);
  });

  it('drops an empty denominator but keeps an empty mask when stability may be 0', () => {
    const generator = new AutomaticMaskGenerator(
      { width: 8, height: 8 },
      { stabilityScoreThresh: 0, predIouThresh: 0 },
      options,
    );
    const { logits, iou } = batchOf([() => -1, () => -0.5, () => 0], [0.9, 0.9, 0.9], size);
    generator.addBatch(logits, iou);
    const masks = generator.finish();
    expect(masks).toHaveLength(2); // NMS cannot suppress zero-area boxes
    for (const mask of masks) {
      expect(mask).toMatchObject({ area: 0, stabilityScore: 0, bbox: [0, 0, 0, 0] });
      expect(mask.mask.pixels).toHaveLength(0);
    }
  });

  it('handles a 1×1 image', () => {
    const generator = new AutomaticMaskGenerator({ width: 1, height: 1 }, {}, options);
    const { logits, iou } = batchOf(
      [square(0, 0, 7, 7), off, square(0, 0, 3, 7)],
      [0.9, 0.9, 0.95],
      size,
    );
    generator.addBatch(logits, iou);
    const masks = generator.finish();
    // The third averages to exactly 0 (not > 0): no stable pixel; the first is the whole pixel.
    expect(masks).toHaveLength(1);
    expect(masks[0]).toMatchObject({ bbox: [0, 0, 0, 0], area: 1, stabilityScore: 1 });
    expect(Array.from(masks[0]?.mask.pixels ?? [])).toEqual([0]);
  });

  it.each<AmgPath>(['exact', 'fast'])(
    'rejects non-finite decoder outputs and wrong shapes (%s)',
    (path) => {
      const generator = new AutomaticMaskGenerator(
        { width: 8, height: 8 },
        {},
        { ...options, path },
      );
      const { logits, iou } = batchOf([square(0, 0, 3, 3), off, off], [0.9, 0, 0], size);
      logits[5] = NaN;
      expect(() => generator.addBatch(logits, iou)).toThrow(/non-finite mask logit \(NaN\)/);
      // Also in a candidate the stability filter would drop.
      logits.set(batchOf([off, off, off], [0.9, 0, 0], size).logits);
      logits[6] = -Infinity;
      expect(() => generator.addBatch(logits, iou)).toThrow(/non-finite mask logit \(-Infinity\)/);
      expect(() => generator.addBatch(logits, new Float32Array([NaN, 0, 0]))).toThrow(
        InvalidInputError,
      );
      expect(() => generator.addBatch(logits.subarray(1), iou)).toThrow(ShapeMismatchError);
      expect(() => generator.addBatch(logits, new Float32Array(4))).toThrow(ShapeMismatchError);
    },
  );
});
