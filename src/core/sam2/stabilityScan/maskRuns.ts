import type { InclusiveBox } from './logitPlaneScan';

/**
 * One scan's mask as row-major runs [start, end) of pixel indices, with its inclusive box, grown
 * as runs are closed left to right, top to bottom. The storage is reused from scan to scan.
 */
export class MaskRuns {
  private runs = new Uint32Array(1024);
  private count = 0;
  private x0 = 0;
  private x1 = -1;
  private y0 = -1;
  private y1 = -1;

  /** Forgets the last scan's runs. */
  clear(): void {
    this.count = 0;
    this.x0 = Number.MAX_SAFE_INTEGER;
    this.x1 = -1;
    this.y0 = -1;
    this.y1 = -1;
  }

  /** The mask pixels [start, end) of image row y, which starts at pixel index rowStart. */
  add(y: number, rowStart: number, start: number, end: number): void {
    if (2 * this.count + 2 > this.runs.length) {
      const grown = new Uint32Array(this.runs.length * 2);
      grown.set(this.runs);
      this.runs = grown;
    }
    this.runs[2 * this.count] = rowStart + start;
    this.runs[2 * this.count + 1] = rowStart + end;
    this.count++;
    this.x0 = Math.min(this.x0, start);
    this.x1 = Math.max(this.x1, end - 1);
    if (this.y0 < 0) this.y0 = y;
    this.y1 = y;
  }

  /** The number of mask pixels. */
  area(): number {
    let area = 0;
    for (let run = 0; run < this.count; run++) {
      area += (this.runs[2 * run + 1] ?? 0) - (this.runs[2 * run] ?? 0);
    }
    return area;
  }

  /** [0, 0, 0, 0] for an empty mask, as SAM's batched_mask_to_box. */
  box(): InclusiveBox {
    return this.count > 0 ? [this.x0, this.y0, this.x1, this.y1] : [0, 0, 0, 0];
  }

  /** A copy of the runs, flattened. */
  take(): Uint32Array {
    return this.runs.slice(0, 2 * this.count);
  }
}
