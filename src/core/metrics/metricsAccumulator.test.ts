import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { InvalidInputError, ShapeMismatchError } from '../errors';
import { seededNormal, seededRandom } from '../testing/numericTesting';
import { runPythonReference } from '../testing/pythonReference';
import type { LabelMap, ScoreMap } from '../types';
import {
  createMetricsAccumulator,
  type MetricsOptions,
  type MetricsReport,
} from './metricsAccumulator';
import type { PixelMetrics } from './pixelMetrics';

const referenceScript = fileURLToPath(
  new URL('./metricsAccumulator.reference.py', import.meta.url),
);

interface LabelledImage {
  scores: ScoreMap;
  labels: LabelMap;
}

/**
 * A random image: an anomalous ellipse scoring higher on average, a ring of ignore pixels around
 * it, and scores rounded to `step` so that many pixels share a score (ties).
 */
function randomImage(width: number, height: number, seed: number, step: number): LabelledImage {
  const random = seededRandom(seed);
  const noise = seededNormal(seed + 1);
  const [cx, cy, r] = [random() * width, random() * height, 3 + random() * 8];
  const scores = new Float32Array(width * height);
  const labels = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const distance = Math.hypot(x - cx, y - cy);
      const label = distance < r ? 1 : distance < r + 1.5 ? 255 : 0;
      const score = (label === 1 ? 1.2 : 0) + noise();
      labels[y * width + x] = label;
      scores[y * width + x] = step > 0 ? Math.round(score / step) * step : score;
    }
  }
  return { scores: { width, height, data: scores }, labels: { width, height, data: labels } };
}

function referenceMetrics(images: readonly LabelledImage[], options: MetricsOptions) {
  const { width, height } = images[0]?.scores ?? { width: 0, height: 0 };
  const stackScores = new Float32Array(images.length * width * height);
  const stackLabels = new Uint8Array(images.length * width * height);
  images.forEach((image, k) => {
    stackScores.set(image.scores.data, k * width * height);
    stackLabels.set(image.labels.data, k * width * height);
  });
  const shape = [images.length, height, width];
  const outputs = runPythonReference(
    referenceScript,
    { scores: { data: stackScores, shape }, labels: { data: stackLabels, shape } },
    { mode: options.mode, bins: options.mode === 'binned' ? (options.bins ?? 5000) : 0 },
  );
  const rows = (data: Float64Array) =>
    Array.from({ length: data.length / 6 }, (_, k) => Array.from(data.subarray(6 * k, 6 * k + 6)));
  return {
    perImage: rows(outputs.per_image?.data as Float64Array),
    pooled: rows(outputs.pooled?.data as Float64Array)[0] as number[],
  };
}

function expectMetricsClose(ours: PixelMetrics, reference: readonly number[], what: string) {
  const [auprc, fpr95, auroc, positives, negatives, ignored] = reference as number[];
  expect([ours.positives, ours.negatives, ours.ignored], `${what}: counts`).toEqual([
    positives,
    negatives,
    ignored,
  ]);
  for (const [name, value, expected] of [
    ['auprc', ours.auprc, auprc],
    ['fpr95', ours.fpr95, fpr95],
    ['auroc', ours.auroc, auroc],
  ] as const) {
    if (Number.isNaN(expected)) expect(value, `${what}: ${name}`).toBeNaN();
    else expect(value, `${what}: ${name}`).toBeCloseTo(expected as number, 12);
  }
}

function evaluate(images: readonly LabelledImage[], options: MetricsOptions): MetricsReport {
  const accumulator = createMetricsAccumulator(options);
  for (const image of images) accumulator.add(image.scores, image.labels);
  return accumulator.result();
}

describe('metrics against the numpy reference', () => {
  const images = [
    randomImage(50, 40, 1, 0.05),
    randomImage(50, 40, 2, 0.25),
    randomImage(50, 40, 3, 0),
    randomImage(50, 40, 4, 0.5),
  ];
  // An image without anomalies: undefined on its own, but it still counts in the pooled values.
  const inlierOnly = randomImage(50, 40, 5, 0.05);
  inlierOnly.labels.data.fill(0);
  images.push(inlierOnly);

  it.each<MetricsOptions>([
    { mode: 'exact' },
    { mode: 'binned' },
    { mode: 'binned', bins: 7 },
    { mode: 'binned', bins: 2 },
  ])('matches per image and pooled ($mode, $bins thresholds)', (options) => {
    const report = evaluate(images, options);
    const reference = referenceMetrics(images, options);
    report.perImage.forEach((metrics, k) =>
      expectMetricsClose(metrics, reference.perImage[k] as number[], metrics.image),
    );
    expectMetricsClose(report.pooled, reference.pooled, 'pooled');
    expect(report.perImage[4]?.undefinedReason).toBe('no-anomaly-pixels');
    expect(report.pooled.undefinedReason).toBeUndefined();
  });

  it('pools pixels rather than averaging images', () => {
    const report = evaluate(images.slice(0, 2), { mode: 'exact' });
    const average = ((report.perImage[0]?.auprc ?? 0) + (report.perImage[1]?.auprc ?? 0)) / 2;
    expect(Math.abs(report.pooled.auprc - average)).toBeGreaterThan(1e-6);
  });
});

describe('binned metrics converge to exact ones', () => {
  it('gets closer to the exact values as thresholds are added', () => {
    const images = [randomImage(60, 50, 11, 0), randomImage(60, 50, 12, 0)];
    const exact = evaluate(images, { mode: 'exact' }).pooled;
    const gaps = [50, 500, 5000, 200_000].map((bins) => {
      const binned = evaluate(images, { mode: 'binned', bins }).pooled;
      return Math.max(
        Math.abs(binned.auprc - exact.auprc),
        Math.abs(binned.auroc - exact.auroc),
        Math.abs(binned.fpr95 - exact.fpr95),
      );
    });
    expect(gaps[3]).toBeLessThan(2e-3);
    expect(gaps[3]).toBeLessThan(gaps[0] as number);
    expect(gaps[2]).toBeLessThan(gaps[0] as number);
  });
});

describe('metrics, hand-derived cases', () => {
  const image = (scores: number[], labels: number[]): LabelledImage => ({
    scores: { width: scores.length, height: 1, data: Float32Array.from(scores) },
    labels: { width: labels.length, height: 1, data: Uint8Array.from(labels) },
  });

  it('computes the trapezoidal AUPRC, FPR95 and AUROC of a four-pixel image', () => {
    // Thresholds 0.9 → (TP 1, FP 0), 0.8 → (1, 1), 0.7 → (2, 1) full recall, 0.1 → (2, 2).
    // PR points sorted by recall: (0, 1), (½, ½), (½, 1), (1, ⅔) → ½·¾ + ½·⅚ = 19/24.
    // ROC from (0, 0): (0, ½), (½, ½), (½, 1), (1, 1) → ¾. TPR ≥ 0.95 first at FPR ½.
    const { pooled } = evaluate([image([0.9, 0.8, 0.7, 0.1], [1, 0, 1, 0])], { mode: 'exact' });
    expect(pooled.auprc).toBeCloseTo(19 / 24, 15);
    expect(pooled.auroc).toBeCloseTo(0.75, 15);
    expect(pooled.fpr95).toBe(0.5);
  });

  it('treats tied scores as one threshold', () => {
    // One threshold (0.5): TP 1, FP 1 → PR (0, 1), (1, ½) → ¾; ROC (0,0)→(1,1) → ½.
    const { pooled } = evaluate([image([0.5, 0.5], [1, 0])], { mode: 'exact' });
    expect(pooled.auprc).toBeCloseTo(0.75, 15);
    expect(pooled.auroc).toBeCloseTo(0.5, 15);
    expect(pooled.fpr95).toBe(1);
  });

  it('scores a perfect separation as AUPRC 1, AUROC 1, FPR95 0, in both modes', () => {
    const perfect = image([3, 2, -2, -3, 0], [1, 1, 0, 0, 255]);
    for (const options of [{ mode: 'exact' }, { mode: 'binned' }] as const) {
      const { pooled } = evaluate([perfect], options);
      expect([pooled.auprc, pooled.auroc, pooled.fpr95]).toEqual([1, 1, 0]);
      expect([pooled.positives, pooled.negatives, pooled.ignored]).toEqual([2, 2, 1]);
    }
  });

  it('treats −0 and +0 as the same threshold', () => {
    const { pooled } = evaluate([image([-0, 0], [1, 0])], { mode: 'exact' });
    expect(pooled.auroc).toBeCloseTo(0.5, 15);
  });

  it('reports undefined metrics with a reason instead of failing', () => {
    const cases = [
      [image([0.1, 0.2], [255, 255]), 'no-labelled-pixels'],
      [image([0.1, 0.2], [0, 0]), 'no-anomaly-pixels'],
      [image([0.1, 0.2], [1, 255]), 'no-inlier-pixels'],
    ] as const;
    for (const [labelled, reason] of cases) {
      for (const options of [{ mode: 'exact' }, { mode: 'binned' }] as const) {
        const { pooled, perImage } = evaluate([labelled], options);
        expect(pooled.undefinedReason).toBe(reason);
        expect(perImage[0]?.undefinedReason).toBe(reason);
        expect([pooled.auprc, pooled.fpr95, pooled.auroc].every(Number.isNaN)).toBe(true);
      }
    }
    const empty = createMetricsAccumulator({ mode: 'exact' }).result();
    expect(empty.perImage).toEqual([]);
    expect(empty.pooled.undefinedReason).toBe('no-labelled-pixels');
  });
});

describe('metrics input checks', () => {
  const good = {
    scores: { width: 2, height: 1, data: Float32Array.from([0.1, 0.2]) },
    labels: { width: 2, height: 1, data: Uint8Array.from([0, 1]) },
  };

  it('rejects a score map and ground truth of different sizes, naming the image', () => {
    const accumulator = createMetricsAccumulator({ mode: 'exact' });
    accumulator.add(good.scores, good.labels);
    const tall = { width: 1, height: 2, data: Uint8Array.from([0, 1]) };
    expect(() => accumulator.add(good.scores, tall)).toThrow(ShapeMismatchError);
    expect(() => accumulator.add(good.scores, tall, 'b.png')).toThrow(
      /^b\.png: the score map is 2×1/,
    );
    expect(() => accumulator.add(good.scores, tall)).toThrow(/^image 2:/);
  });

  it.each([Number.NaN, Infinity, -Infinity])('rejects a %s score', (bad) => {
    const scores = { ...good.scores, data: Float32Array.from([0.1, bad]) };
    for (const mode of ['exact', 'binned'] as const) {
      const accumulator = createMetricsAccumulator({ mode });
      expect(() => accumulator.add(scores, good.labels, 'a.png')).toThrow(InvalidInputError);
      expect(() => accumulator.add(scores, good.labels, 'a.png')).toThrow(/a\.png.*x=1, y=0/);
    }
  });

  it('rejects labels other than 0, 1 and 255', () => {
    const labels = { ...good.labels, data: Uint8Array.from([0, 2]) };
    expect(() => createMetricsAccumulator({ mode: 'exact' }).add(good.scores, labels)).toThrow(
      /label 2 at x=1, y=0/,
    );
  });

  it('rejects a bad number of binned thresholds', () => {
    for (const bins of [1, 0, 2.5, Number.NaN]) {
      expect(() => createMetricsAccumulator({ mode: 'binned', bins })).toThrow(InvalidInputError);
    }
  });

  it('does not count an image it rejected', () => {
    const accumulator = createMetricsAccumulator({ mode: 'binned' });
    accumulator.add(good.scores, good.labels);
    const scores = { ...good.scores, data: Float32Array.from([0.1, Number.NaN]) };
    expect(() => accumulator.add(scores, good.labels)).toThrow();
    const report = accumulator.result();
    expect(report.perImage).toHaveLength(1);
    expect(report.pooled.positives).toBe(1);
  });
});
