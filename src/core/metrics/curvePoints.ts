/**
 * The points of a threshold curve, visited in descending threshold order with cumulative counts
 * (pixel positive iff score ≥ threshold), for either exact or binned thresholds. Metrics consume
 * the points as they stream past, so no curve is ever stored.
 */

/** Receives one curve point per threshold, highest threshold first. */
export interface CurvePointSink {
  addPoint(truePositives: number, falsePositives: number): void;
}

/** Exact mode: every distinct score is a threshold. Inputs sorted ascending (sortScores). */
export function visitExactCurve(
  anomalyScores: Float32Array,
  inlierScores: Float32Array,
  sinks: readonly CurvePointSink[],
): void {
  let nextAnomaly = anomalyScores.length - 1;
  let nextInlier = inlierScores.length - 1;
  let truePositives = 0;
  let falsePositives = 0;
  while (nextAnomaly >= 0 || nextInlier >= 0) {
    const threshold = Math.max(
      nextAnomaly >= 0 ? (anomalyScores[nextAnomaly] as number) : -Infinity,
      nextInlier >= 0 ? (inlierScores[nextInlier] as number) : -Infinity,
    );
    // === groups −0 with +0: they are one threshold, as numpy's diff-based grouping has it.
    while (nextAnomaly >= 0 && anomalyScores[nextAnomaly] === threshold) {
      truePositives++;
      nextAnomaly--;
    }
    while (nextInlier >= 0 && inlierScores[nextInlier] === threshold) {
      falsePositives++;
      nextInlier--;
    }
    for (const sink of sinks) sink.addPoint(truePositives, falsePositives);
  }
}

/**
 * Binned mode: threshold i of N counts the pixels whose highest passed threshold is ≥ i;
 * `anomalyCounts[i]` / `inlierCounts[i]` hold the pixels whose highest passed threshold is i.
 */
export function visitBinnedCurve(
  anomalyCounts: Float64Array,
  inlierCounts: Float64Array,
  sinks: readonly CurvePointSink[],
): void {
  let truePositives = 0;
  let falsePositives = 0;
  for (let i = anomalyCounts.length - 1; i >= 0; i--) {
    truePositives += anomalyCounts[i] as number;
    falsePositives += inlierCounts[i] as number;
    for (const sink of sinks) sink.addPoint(truePositives, falsePositives);
  }
}
