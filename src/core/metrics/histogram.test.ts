import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { InvalidInputError, ShapeMismatchError } from '../errors';
import { seededNormal, seededRandom } from '../testing/numericTesting';
import { runPythonReference } from '../testing/pythonReference';
import type { LabelMap, ScoreMap } from '../types';
import { scoreHistogram } from './histogram';

const referenceScript = fileURLToPath(new URL('./histogram.reference.py', import.meta.url));

function randomLabelledMap(seed: number): { scores: ScoreMap; labels: LabelMap } {
  const random = seededRandom(seed);
  const noise = seededNormal(seed);
  const [width, height] = [40, 30];
  const labels = Uint8Array.from({ length: width * height }, () => {
    const u = random();
    return u < 0.1 ? 1 : u < 0.15 ? 255 : 0;
  });
  // Rounded to 1/8 so that many scores sit exactly on bin edges.
  const scores = Float32Array.from(labels, (label) => Math.round((noise() + label) * 8) / 8);
  return { scores: { width, height, data: scores }, labels: { width, height, data: labels } };
}

describe('scoreHistogram against numpy.histogram', () => {
  it.each([
    { bins: 16, range: 'auto' as const },
    { bins: 7, range: 'auto' as const },
    { bins: 16, range: [-1, 1] as const },
    { bins: 5, range: [0.5, 0.5] as const },
  ])('$bins bins over $range', ({ bins, range }) => {
    const { scores, labels } = randomLabelledMap(bins);
    const ours = scoreHistogram(scores, { bins, range, labels });
    const outputs = runPythonReference(
      referenceScript,
      {
        scores: { data: scores.data, shape: [scores.height, scores.width] },
        labels: { data: labels.data, shape: [labels.height, labels.width] },
      },
      { bins, range: range === 'auto' ? null : range },
    );
    const numpy = (name: string) => Array.from(outputs[name]?.data as Float64Array);
    expect(Array.from(ours.edges)).toEqual(numpy('edges'));
    expect(Array.from(ours.counts)).toEqual(numpy('counts'));
    expect(Array.from(ours.inlierCounts ?? [])).toEqual(numpy('inlier'));
    expect(Array.from(ours.anomalyCounts ?? [])).toEqual(numpy('anomaly'));
    expect([ours.below, ours.above]).toEqual(numpy('outside'));
  });
});

describe('scoreHistogram, hand-derived cases', () => {
  const map = (values: number[]): ScoreMap => ({
    width: values.length,
    height: 1,
    data: Float32Array.from(values),
  });

  it('counts scores outside a fixed range separately instead of clamping them', () => {
    const histogram = scoreHistogram(map([-5, 0, 0.5, 1, 7, 8]), { bins: 2, range: [0, 1] });
    expect(Array.from(histogram.edges)).toEqual([0, 0.5, 1]);
    expect(Array.from(histogram.counts)).toEqual([1, 2]); // the last bin includes 1
    expect([histogram.below, histogram.above]).toEqual([1, 2]);
    expect(histogram.inlierCounts).toBeUndefined();
  });

  it('splits by label and leaves ignored pixels out of the split only', () => {
    const labels = { width: 4, height: 1, data: Uint8Array.from([0, 1, 255, 1]) };
    const histogram = scoreHistogram(map([0, 1, 2, 3]), { bins: 3, range: 'auto', labels });
    expect(Array.from(histogram.counts)).toEqual([1, 1, 2]);
    expect(Array.from(histogram.inlierCounts ?? [])).toEqual([1, 0, 0]);
    expect(Array.from(histogram.anomalyCounts ?? [])).toEqual([0, 1, 1]);
  });

  it('widens a constant map by ±0.5 and uses [0, 1] for an empty one', () => {
    expect(Array.from(scoreHistogram(map([2, 2]), { bins: 2, range: 'auto' }).edges)).toEqual([
      1.5, 2, 2.5,
    ]);
    const empty = scoreHistogram(map([]), { bins: 2, range: 'auto' });
    expect(Array.from(empty.edges)).toEqual([0, 0.5, 1]);
    expect(Array.from(empty.counts)).toEqual([0, 0]);
  });

  it('rejects bad bins, ranges, scores and labels', () => {
    const scores = map([0, 1]);
    expect(() => scoreHistogram(scores, { bins: 0, range: 'auto' })).toThrow(InvalidInputError);
    expect(() => scoreHistogram(scores, { bins: 2, range: [1, 0] })).toThrow(InvalidInputError);
    expect(() => scoreHistogram(scores, { bins: 2, range: [0, Infinity] })).toThrow(
      InvalidInputError,
    );
    expect(() => scoreHistogram(map([0, Number.NaN]), { bins: 2, range: 'auto' })).toThrow(
      /x=1, y=0/,
    );
    const wrongSize = { width: 3, height: 1, data: new Uint8Array(3) };
    expect(() => scoreHistogram(scores, { bins: 2, range: 'auto', labels: wrongSize })).toThrow(
      ShapeMismatchError,
    );
    const badLabel = { width: 2, height: 1, data: Uint8Array.from([0, 7]) };
    expect(() => scoreHistogram(scores, { bins: 2, range: 'auto', labels: badLabel })).toThrow(
      /label 7/,
    );
  });
});
