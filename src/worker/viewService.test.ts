import { describe, expect, it } from 'vitest';
import { decode } from 'fast-png';
import { createMetricsAccumulator, scoreHistogram } from '../core/metrics';
import { colourBarStrip, scoreMapToRgba } from '../core/render';
import type { AutomaticMask } from '../core/sam2';
import type { LabelMap, ScoreMap } from '../core/types';
import { ImageRecords } from './imageRecords';
import { metricsPair } from './metricsPair';
import { createViewService } from './viewService';
import type { ResultRest } from './viewProtocol';

const width = 6;
const height = 4;
const image = { width, height, data: new Uint8Array(width * height * 3) };
const rawMap = (): ScoreMap => ({
  width,
  height,
  data: Float32Array.from({ length: width * height }, (_, i) => ((i * 7) % 11) / 10),
});
const labels: LabelMap = {
  width,
  height,
  data: Uint8Array.from({ length: width * height }, (_, i) => (i % width >= 4 ? 1 : 0)),
};
/** One mask over the two right columns: smoothing must average its pixels (pipeline.md §6). */
const rightColumns: AutomaticMask = {
  mask: {
    width,
    height,
    pixels: Uint32Array.from({ length: width * height }, (_, i) => i).filter((i) => i % width >= 4),
  },
  area: 8,
  predictedIou: 0.9,
  stabilityScore: 0.97,
  bbox: [4, 0, 5, 3],
  promptIndex: 0,
};
const rest = (masks: AutomaticMask[] | null): ResultRest => ({
  width,
  height,
  masks,
  refinedScoreMap: null,
  bins: 20,
  likelihoodGrid: { kind: 'likelihood', width: 1, height: 1, data: new Float32Array(1) },
});

function setUp(masks: AutomaticMask[] | null = [rightColumns]) {
  const records = new ImageRecords();
  const service = createViewService(records);
  records.putImage('a', image);
  records.putPendingLabels('gt', labels);
  service.attachGroundTruth('a', 'gt');
  const ref = { imageId: 'a', token: 't1' };
  records.putRawMap(ref, rawMap());
  records.putResult(ref, rest(masks));
  return { records, service, ref };
}

const refined = (bins: number) => ({ kind: 'refined', smoothing: true, bins }) as const;

describe('the view worker', () => {
  it('reads scores, smooths on demand, and keeps one map for a bin count', () => {
    const { records, service, ref } = setUp();
    const raw = rawMap();
    const scores = service.scoresAt(ref, refined(20), 5, 2);
    expect(scores.raw).toBeCloseTo(raw.data[2 * width + 5] ?? NaN, 6);
    // The mask's scores are 0.6 0.2 0.4 0 0.2 0.9 0 0.7: of 20 equal bins over [0, 0.9] the first
    // fullest holds the two zeros, so Algorithm 1 writes their mean, 0, over the other six.
    expect([...rightColumns.mask.pixels].map((i) => raw.data[i])).toEqual(
      [0.6, 0.2, 0.4, 0, 0.2, 0.9, 0, 0.7].map(Math.fround),
    );
    expect(service.scoresAt(ref, refined(20), 5, 2).refined).toBe(0);
    expect(service.scoresAt(ref, refined(20), 4, 0).refined).toBe(0);
    expect(service.scoresAt(ref, refined(20), 0, 0).refined).toBe(raw.data[0]);
    expect(records.scoreMap(ref, refined(3))).toBe(records.scoreMap(ref, refined(3)));
    expect(service.scoresAt(ref, refined(20), 99, 0)).toEqual({
      raw: undefined,
      refined: undefined,
    });
  });

  it('treats the refined map as the raw one with smoothing off or without masks', () => {
    const { records, ref } = setUp(null);
    expect(records.scoreMap(ref, refined(20))).toBe(records.scoreMap(ref, { kind: 'raw' }));
    const smoothing = setUp();
    const off = { kind: 'refined', smoothing: false, bins: 20 } as const;
    expect(smoothing.records.scoreMap(smoothing.ref, off)).toBe(
      smoothing.records.scoreMap(smoothing.ref, { kind: 'raw' }),
    );
  });

  it('histograms and measures its own maps, against the core computed directly', () => {
    const { service, ref, records } = setUp();
    const histograms = service.histograms(ref, refined(20), 10, [0, 1]);
    expect(histograms?.raw).toEqual(scoreHistogram(rawMap(), { bins: 10, range: [0, 1], labels }));
    const metrics = service.metrics('t1', [{ imageId: 'a', name: 'a.png' }], refined(20), {
      mode: 'exact',
    });
    const direct = createMetricsAccumulator({ mode: 'exact' });
    direct.add(records.scoreMap(ref, refined(20)) as ScoreMap, labels, 'a.png');
    expect(metrics?.refined.pooled).toEqual(direct.result().pooled);
    expect(metrics?.raw.perImage.map((entry) => entry.image)).toEqual(['a.png']);
  });

  it('has no metrics once no labelled image is left, and none of another token', () => {
    const { service } = setUp();
    const images = [{ imageId: 'a', name: 'a.png' }];
    expect(service.metrics('t0', images, refined(20), { mode: 'exact' })).toBeNull();
    service.attachGroundTruth('a', null);
    expect(service.metrics('t1', images, refined(20), { mode: 'exact' })).toBeNull();
  });

  it('drops the results of other tokens and everything of forgotten images', () => {
    const { service, records, ref } = setUp();
    records.putRawMap({ imageId: 'a', token: 't2' }, rawMap());
    expect(records.scoreMap(ref, { kind: 'raw' })).toBeUndefined();
    service.keepOnlyToken('t3');
    expect(records.scoreMap({ imageId: 'a', token: 't2' }, { kind: 'raw' })).toBeUndefined();
    expect(service.scoreExtent({ imageId: 'a', token: 't2' }, refined(20))).toBeNull();
    service.forgetImages(['a']);
    expect(records.record('a')).toBeUndefined();
    expect(() => records.image('a')).toThrow(/not in the gallery/);
  });

  it('saves a heatmap view with its colour bar below it when asked', () => {
    const { service, ref } = setUp();
    const colouring = { colormap: 'inferno', range: [0, 1] } as const;
    const choice = {
      kind: 'scores',
      map: { kind: 'raw' },
      style: { kind: 'colour', colouring },
    } as const;
    const plain = decode(service.viewPng(ref, choice, 1));
    const barred = decode(service.viewPng(ref, choice, 1, true));
    const strip = colourBarStrip({ kind: 'colour', ...colouring }, width);
    expect([plain.width, plain.height]).toEqual([width, height]);
    expect([barred.width, barred.height]).toEqual([width, height + strip.layout.height]);
    // The view itself is unchanged (an opaque heatmap at opacity 1 hides the photo)...
    const heatmap = scoreMapToRgba(rawMap(), colouring);
    expect(Array.from(barred.data.subarray(0, width * height * 4))).toEqual(Array.from(heatmap));
    expect(Array.from(plain.data)).toEqual(Array.from(heatmap));
    // ...and the strip follows it row for row (no canvas in Node: the bar without its numbers).
    expect(Array.from(barred.data.subarray(width * height * 4))).toEqual(Array.from(strip.rgba));
    // The photo alone has no bar to show.
    expect(decode(service.viewPng(ref, { kind: 'image' }, 1, true)).height).toBe(height);
  });

  it('finds the extent of the raw and refined maps for the automatic range', () => {
    const { service, ref } = setUp();
    const values = [...rawMap().data];
    expect(service.scoreExtent(ref, refined(20))).toEqual([
      Math.min(...values),
      Math.fround(Math.max(...values)),
    ]);
  });
});

describe('streaming metrics', () => {
  it('measures each image once as the set grows, with the numbers of measuring the set at once', () => {
    const { records, service } = setUp();
    records.putImage('b', image);
    records.putPendingLabels('gt-b', { ...labels, data: labels.data.map((label) => 1 - label) });
    service.attachGroundTruth('b', 'gt-b');
    const refB = { imageId: 'b', token: 't1' };
    records.putRawMap(refB, { ...rawMap(), data: rawMap().data.map((value) => 1 - value) });
    records.putResult(refB, rest([rightColumns]));
    const a = { imageId: 'a', name: 'a.png' };
    const b = { imageId: 'b', name: 'b.png' };
    const options = { mode: 'exact' } as const;
    const one = service.metrics('t1', [a], refined(20), options);
    const two = service.metrics('t1', [a, b], refined(20), options);
    const entries = [a, b].map(({ imageId, name }) => ({
      image: name,
      scoreMap: records.scoreMap({ imageId, token: 't1' }, { kind: 'raw' }) as ScoreMap,
      refinedScoreMap: records.scoreMap({ imageId, token: 't1' }, refined(20)) as ScoreMap,
      labels: records.record(imageId)?.labels as LabelMap,
    }));
    expect(two).toEqual(metricsPair(entries, options));
    expect(one?.raw.perImage).toEqual(two?.raw.perImage.slice(0, 1));
    // Another order is another set: measured again, same per-image numbers.
    const reordered = service.metrics('t1', [b, a], refined(20), options);
    expect(reordered?.raw.pooled).toEqual(two?.raw.pooled);
    expect(reordered?.raw.perImage.map((entry) => entry.image)).toEqual(['b.png', 'a.png']);
  });

  it('with smoothing off reports the raw numbers as refined', () => {
    const { service } = setUp();
    const off = { kind: 'refined', smoothing: false, bins: 20 } as const;
    const metrics = service.metrics('t1', [{ imageId: 'a', name: 'a.png' }], off, {
      mode: 'exact',
    });
    expect(metrics?.refined).toEqual(metrics?.raw);
    expect(metrics?.components?.refined).toEqual(metrics?.components?.raw);
  });
});
