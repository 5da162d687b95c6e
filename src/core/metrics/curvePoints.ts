/**
 * The points of a threshold curve, visited in descending threshold order with cumulative counts
 * (pixel positive iff score ≥ threshold), for either exact or binned thresholds. Metrics consume
 * the points chunk by chunk as they stream past, so no whole curve is ever stored, and each metric
 * runs a tight loop over a chunk rather than a call per point.
 */

/** Receives curve points, highest threshold first, in chunks. */
export interface CurvePointSink {
  /** Points 0 .. count − 1 of the arrays: cumulative true and false positives. */
  addPoints(truePositives: Float64Array, falsePositives: Float64Array, count: number): void;
}

const CHUNK_POINTS = 4096;

/** Collects points into a chunk and hands full chunks to every sink. */
class PointChunk {
  readonly truePositives = new Float64Array(CHUNK_POINTS);
  readonly falsePositives = new Float64Array(CHUNK_POINTS);
  count = 0;

  constructor(private readonly sinks: readonly CurvePointSink[]) {}

  push(truePositives: number, falsePositives: number): void {
    this.truePositives[this.count] = truePositives;
    this.falsePositives[this.count] = falsePositives;
    if (++this.count === CHUNK_POINTS) this.flush();
  }

  flush(): void {
    for (const sink of this.sinks)
      sink.addPoints(this.truePositives, this.falsePositives, this.count);
    this.count = 0;
  }
}

/**
 * Exact mode: every distinct score is a threshold. Inputs are score keys sorted ascending
 * (scoreKeys), merged from the top, taking every key equal to the current threshold from both
 * sides.
 */
export function visitExactCurve(
  anomalyKeys: Uint32Array,
  inlierKeys: Uint32Array,
  sinks: readonly CurvePointSink[],
): void {
  const chunk = new PointChunk(sinks);
  let nextAnomaly = anomalyKeys.length - 1;
  let nextInlier = inlierKeys.length - 1;
  let truePositives = 0;
  let falsePositives = 0;
  while (nextAnomaly >= 0 || nextInlier >= 0) {
    // Keys are ≥ 0, so −1 stands for an exhausted side.
    const threshold = Math.max(
      nextAnomaly >= 0 ? (anomalyKeys[nextAnomaly] as number) : -1,
      nextInlier >= 0 ? (inlierKeys[nextInlier] as number) : -1,
    );
    while (nextAnomaly >= 0 && anomalyKeys[nextAnomaly] === threshold) {
      truePositives++;
      nextAnomaly--;
    }
    while (nextInlier >= 0 && inlierKeys[nextInlier] === threshold) {
      falsePositives++;
      nextInlier--;
    }
    chunk.push(truePositives, falsePositives);
  }
  chunk.flush();
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
  const chunk = new PointChunk(sinks);
  let truePositives = 0;
  let falsePositives = 0;
  for (let i = anomalyCounts.length - 1; i >= 0; i--) {
    truePositives += anomalyCounts[i] as number;
    falsePositives += inlierCounts[i] as number;
    chunk.push(truePositives, falsePositives);
  }
  chunk.flush();
}
