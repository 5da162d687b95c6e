import { describe, expect, it } from 'vitest';
import { createMetricsAccumulator } from '../../core/metrics';
import { metricsPair } from '../../worker/metricsPair';
import { metricsToCsv, metricsToJson } from './metricsFiles';

const scoreMap = { width: 2, height: 2, data: new Float32Array([0.1, 0.9, 0.2, 0.8]) };
const labels = { width: 2, height: 2, data: new Uint8Array([0, 1, 0, 255]) };

function pair() {
  const raw = createMetricsAccumulator({ mode: 'exact' });
  const refined = createMetricsAccumulator({ mode: 'exact' });
  raw.add(scoreMap, labels, 'a,b.png');
  refined.add(scoreMap, labels, 'a,b.png');
  return { raw: raw.result(), refined: refined.result() };
}

describe('metrics files', () => {
  it('writes the CLI metrics.json layout', () => {
    const json = JSON.parse(metricsToJson('demo', pair()));
    expect(json.bundle).toBe('demo');
    expect(json.raw).toMatchObject({ auprc: 1, auroc: 1, thresholds: 'exact' });
    expect(json.refined.images[0]).toMatchObject({
      image: 'a,b.png',
      positives: 1,
      negatives: 2,
      ignored: 1,
    });
  });

  it('writes one CSV row per image and map, quoting names', () => {
    const lines = metricsToCsv(pair()).trim().split('\n');
    expect(lines[0]).toBe('image,map,auprc,fpr95,auroc,positives,negatives,ignored');
    expect(lines[1]).toBe('"a,b.png",raw,1,0,1,1,2,1');
    expect(lines).toHaveLength(5);
  });
});

describe('component metrics in the app', () => {
  // Two anomalies the raw map finds exactly; the refined map misses the second.
  const width = 64;
  const labelData = new Uint8Array(width * 32);
  for (let y = 4; y < 12; y++) labelData.fill(1, y * width + 4, y * width + 14);
  for (let y = 20; y < 28; y++) labelData.fill(1, y * width + 40, y * width + 52);
  const groundTruth = { width, height: 32, data: labelData };
  const rawMap = { width, height: 32, data: Float32Array.from(labelData, (l) => (l ? 4 : -4)) };
  const refinedMap = {
    ...rawMap,
    data: Float32Array.from(rawMap.data, (v, i) => (i % width >= 32 ? -4 : v)),
  };
  const entries = [
    { image: 'road', scoreMap: rawMap, refinedScoreMap: refinedMap, labels: groundTruth },
  ];

  it('are computed beside the pixel metrics and exported in the CLI layout', () => {
    const metrics = metricsPair(entries, { mode: 'exact' });
    const json = JSON.parse(metricsToJson('demo', metrics));
    expect(json.raw.components).toMatchObject({
      sIoU: 1,
      ppv: 1,
      meanF1: 1,
      groundTruthComponents: 2,
      predictedComponents: 2,
    });
    // One of two components found: sIoU (1 + 0) / 2, F1 = 2·1 / (2·1 + 1 + 0).
    expect(json.refined.components).toMatchObject({ sIoU: 0.5, ppv: 1 });
    expect(json.refined.components.meanF1).toBeCloseTo(2 / 3, 12);
    expect(json.refined.components.images[0]).toMatchObject({ image: 'road', sIoU: 0.5 });
  });
});
