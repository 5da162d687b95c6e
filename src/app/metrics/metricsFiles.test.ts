import { describe, expect, it } from 'vitest';
import { createMetricsAccumulator } from '../../core/metrics';
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
