import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { seededNormal, seededRandom } from '../testing/numericTesting';
import { runPythonReference } from '../testing/pythonReference';
import type { LabelMap, ScoreMap } from '../types';
import { createMetricsAccumulator } from './metricsAccumulator';
import {
  bestF1Threshold,
  imageComponents,
  limitsForImage,
  summariseComponents,
  type ComponentThreshold,
} from './componentMetrics';
import { connectedComponents } from './connectedComponents';

const referenceScript = fileURLToPath(new URL('./componentMetrics.reference.py', import.meta.url));

/**
 * Anomalous discs of mixed sizes (some under the ground-truth size limit, two touching so one
 * prediction can span both), an ignored band, and noisy scores higher on the discs.
 */
function randomImage(seed: number): { scores: ScoreMap; labels: LabelMap } {
  const [width, height] = [96, 64];
  const random = seededRandom(seed);
  const noise = seededNormal(seed + 1);
  const labels = new Uint8Array(width * height);
  const discs = Array.from({ length: 6 }, () => [
    random() * width,
    random() * height,
    1 + random() * 9,
  ]);
  discs.push([40, 30, 6], [51, 30, 5]);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const inside = discs.some(
        ([cx, cy, r]) => Math.hypot(x - (cx as number), y - (cy as number)) < (r as number),
      );
      labels[y * width + x] = y >= 58 ? 255 : inside ? 1 : 0;
    }
  }
  const scores = Float32Array.from(labels, (label) => (label === 1 ? 2.2 : 0) + 1.1 * noise());
  return { scores: { width, height, data: scores }, labels: { width, height, data: labels } };
}

describe('connectedComponents', () => {
  it('joins diagonal neighbours (8-connectivity) and numbers components in raster order', () => {
    const mask = Uint8Array.from([1, 0, 0, 1, 0, 1, 0, 1, 0, 0, 0, 0, 1, 1, 0, 1]);
    const { labels, count, sizes } = connectedComponents(mask, 4, 4);
    expect(count).toBe(4);
    expect(Array.from(labels)).toEqual([1, 0, 0, 2, 0, 1, 0, 2, 0, 0, 0, 0, 3, 3, 0, 4]);
    expect(Array.from(sizes)).toEqual([0, 2, 2, 2, 1]);
  });
});

describe('component metrics against an independent scipy implementation', () => {
  const images = [3, 5, 8, 13].map(randomImage);
  const limits = { minPredictedPixels: 12, minGroundTruthPixels: 20 };

  it.each([0.5, 0.8, 0.93])('per-image sIoU and PPV, and the set summary (threshold %s)', (t) => {
    const threshold: ComponentThreshold = { sigmoidThreshold: t, score: Math.log(t / (1 - t)) };
    const reference = runPythonReference(
      referenceScript,
      {
        scores: {
          data: Float32Array.from(images.flatMap((image) => Array.from(image.scores.data))),
          shape: [4, 64, 96],
        },
        labels: {
          data: Uint8Array.from(images.flatMap((image) => Array.from(image.labels.data))),
          shape: [4, 64, 96],
        },
      },
      { sigmoid_threshold: t, min_predicted: 12, min_ground_truth: 20 },
    );
    const perImage = images.map(({ scores, labels }) =>
      imageComponents(scores, labels, threshold, limits),
    );
    perImage.forEach((found, k) => {
      const sorted = (values: number[]) => [...values].sort((a, b) => a - b);
      expect(sorted(found.sIoU)).toEqual(
        Array.from(reference[`siou_${k}`]?.data as Float64Array).map((v) => expect.closeTo(v, 12)),
      );
      expect(sorted(found.ppv)).toEqual(
        Array.from(reference[`ppv_${k}`]?.data as Float64Array).map((v) => expect.closeTo(v, 12)),
      );
    });
    expect(perImage.flatMap((image) => image.sIoU).length).toBeGreaterThan(8);
    expect(perImage.flatMap((image) => image.ppv).length).toBeGreaterThan(4);
    const summary = summariseComponents(perImage, threshold);
    const [sIoU, ppv, meanF1, f1At25, f1At50, f1At75] = Array.from(
      reference.summary?.data as Float64Array,
    );
    expect(summary).toMatchObject({
      sIoU: expect.closeTo(sIoU as number, 12),
      ppv: expect.closeTo(ppv as number, 12),
      meanF1: expect.closeTo(meanF1 as number, 12),
      f1At25: expect.closeTo(f1At25 as number, 12),
      f1At50: expect.closeTo(f1At50 as number, 12),
      f1At75: expect.closeTo(f1At75 as number, 12),
    });
  });

  it('sets the threshold where the pooled pixel F1 is highest', () => {
    const accumulator = createMetricsAccumulator({ mode: 'binned', bins: 200 });
    for (const { scores, labels } of images) accumulator.add(scores, labels);
    const counts = accumulator.binnedCounts();
    if (!counts) throw new Error('binned counts expected');
    const best = bestF1Threshold(counts);
    // Brute force over the same thresholds, straight from the pixels.
    const f1At = (t: number) => {
      let [tp, fp, fn] = [0, 0, 0];
      for (const { scores, labels } of images) {
        labels.data.forEach((label, i) => {
          if (label === 255) return;
          const passes = 1 / (1 + Math.exp(-(scores.data[i] as number))) >= t;
          if (label === 1 && passes) tp++;
          else if (label === 1) fn++;
          else if (passes) fp++;
        });
      }
      return (2 * tp) / (2 * tp + fp + fn);
    };
    const candidates = Array.from({ length: 200 }, (_, i) => i / 199);
    const bestF1 = Math.max(...candidates.map(f1At));
    expect(f1At(best.sigmoidThreshold)).toBeCloseTo(bestF1, 12);
    expect(best.score).toBeCloseTo(
      Math.log(best.sigmoidThreshold / (1 - best.sigmoidThreshold)),
      12,
    );
  });

  it('a perfect prediction scores 1 everywhere; no prediction scores sIoU 0 and F1 0', () => {
    const { labels } = randomImage(21);
    const perfect: ScoreMap = {
      ...labels,
      data: Float32Array.from(labels.data, (l) => (l === 1 ? 5 : -5)),
    };
    const threshold = { sigmoidThreshold: 0.5, score: 0 };
    const found = summariseComponents(
      [
        imageComponents(perfect, labels, threshold, {
          minPredictedPixels: 1,
          minGroundTruthPixels: 1,
        }),
      ],
      threshold,
    );
    expect(found).toMatchObject({ sIoU: 1, ppv: 1, meanF1: 1 });
    const silent: ScoreMap = { ...labels, data: new Float32Array(labels.data.length).fill(-5) };
    const none = summariseComponents([imageComponents(silent, labels, threshold)], threshold);
    expect(none).toMatchObject({ sIoU: 0, meanF1: 0, predictedComponents: 0 });
    expect(none.ppv).toBeNaN();
  });
});

describe('size limits', () => {
  it('are the benchmark’s at 2048 × 1024 and scale with the image area, never below 1 pixel', () => {
    const limits = { minPredictedPixels: 500, minGroundTruthPixels: 100 };
    expect(limitsForImage(limits, 2048, 1024)).toEqual(limits);
    expect(limitsForImage(limits, 1024, 512)).toEqual({
      minPredictedPixels: 125,
      minGroundTruthPixels: 25,
    });
    expect(limitsForImage(limits, 64, 32)).toEqual({
      minPredictedPixels: 1,
      minGroundTruthPixels: 1,
    });
  });
});
