import type { InclusiveBox } from './stabilityScan';

/**
 * Greedy box NMS as torchvision's, on SAM's inclusive boxes: areas are (x1 − x0)·(y1 − y0) without
 * +1, a zero union gives IoU 0, IoU > iouThreshold suppresses. Candidates are visited by score
 * descending, ties in candidate order (a stable sort). Returns the kept indices in keep order.
 */
export function boxNms(
  boxes: readonly InclusiveBox[],
  scores: ArrayLike<number>,
  iouThreshold: number,
): number[] {
  const order = boxes.map((_, i) => i);
  order.sort((a, b) => (scores[b] ?? 0) - (scores[a] ?? 0) || a - b);
  const areas = boxes.map(([x0, y0, x1, y1]) => (x1 - x0) * (y1 - y0));
  const suppressed = new Uint8Array(boxes.length);
  const keep: number[] = [];
  for (const i of order) {
    if (suppressed[i]) continue;
    keep.push(i);
    const [ax0, ay0, ax1, ay1] = boxes[i] ?? [0, 0, 0, 0];
    const areaI = areas[i] ?? 0;
    for (const j of order) {
      if (suppressed[j] || j === i) continue;
      const [bx0, by0, bx1, by1] = boxes[j] ?? [0, 0, 0, 0];
      const overlapWidth = Math.max(0, Math.min(ax1, bx1) - Math.max(ax0, bx0));
      const overlapHeight = Math.max(0, Math.min(ay1, by1) - Math.max(ay0, by0));
      const intersection = overlapWidth * overlapHeight;
      const union = areaI + (areas[j] ?? 0) - intersection;
      if (union > 0 && intersection / union > iouThreshold) suppressed[j] = 1;
    }
  }
  return keep;
}
