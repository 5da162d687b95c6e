import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assembleWat, kernelModuleText, WASM_KERNELS } from '../../../../scripts/buildWasm';
import { planAxisResampling } from '../../image/axisResampling';
import { seededRandom } from '../../numeric';
import { createLogitPlaneScan, scanThresholds } from '.';
import { ABOVE, BELOW, LogitClasses, MIXED } from './logitClasses';
import { createMaskLogitKernel } from './maskLogitKernel';
import { MASK_LOGIT_KERNEL_WASM } from './maskLogitKernelWasm';

const root = resolve(import.meta.dirname, '../../../..');

/** Every row's classes and activity, read through the public interface. */
function classesOf(classes: LogitClasses): { activeRows: boolean[]; rows: number[][] } {
  const activeRows: boolean[] = [];
  const rows: number[][] = [];
  for (let row = 0; row < classes.size; row++) {
    activeRows.push(classes.anyActive(row, row));
    classes.intersectRows(row, row);
    rows.push(Array.from({ length: classes.size }, (_, column) => classes.classAt(column)));
  }
  return { activeRows, rows };
}

/** Planes whose logits sit on, next to and far from the thresholds, in blobs and speckle. */
function testPlanes(size: number, thresholds: number[], seed: number): Float32Array {
  const random = seededRandom(seed);
  const near = thresholds.flatMap((t) => [
    Math.fround(t),
    Math.fround(t) + 1e-7,
    Math.fround(t) - 1e-7,
    Math.fround(t * (1 + 1e-7)),
  ]);
  const planes = new Float32Array(3 * size * size).fill(-20);
  for (let i = size * size; i < planes.length; i++) {
    const draw = random();
    planes[i] =
      draw < 0.3
        ? (near[Math.floor(random() * near.length)] ?? 0)
        : draw < 0.6
          ? (random() - 0.5) * 4
          : draw < 0.8
            ? 20
            : -20;
  }
  return planes;
}

/** The kernel for S × S planes and a 1 × 1 image; it must be able to run here. */
function kernelFor(size: number) {
  return createMaskLogitKernel(size, planAxisResampling(size, 1), planAxisResampling(size, 1));
}

/** A LogitClasses on the kernel, which must be able to run here (else the tests compare nothing). */
function kernelClasses(size: number): LogitClasses {
  const kernel = kernelFor(size);
  if (!kernel) throw new Error(`the kernel cannot run for S = ${size} here`);
  return new LogitClasses(size, kernel);
}

/** The classes by their definition, logit by logit in float64. */
function definedClasses(
  planes: Float32Array,
  offset: number,
  size: number,
  lowest: number,
  highest: number,
): { activeRows: boolean[]; rows: number[][] } {
  const rows = Array.from({ length: size }, (_, row) =>
    Array.from({ length: size }, (_, column) => {
      const value = planes[offset + row * size + column] as number;
      return value > highest ? ABOVE : value < lowest ? BELOW : MIXED;
    }),
  );
  return { activeRows: rows.map((row) => row.some((c) => c !== BELOW)), rows };
}

describe('the mask-logit kernel', () => {
  it('is the binary that maskLogitKernel.wat assembles to', async () => {
    const kernel = WASM_KERNELS.find((k) => k.constant === 'MASK_LOGIT_KERNEL_WASM');
    if (!kernel) throw new Error('maskLogitKernel.wat is not listed in WASM_KERNELS');
    const binary = await assembleWat(resolve(root, kernel.source));
    expect(Array.from(MASK_LOGIT_KERNEL_WASM)).toEqual(Array.from(binary));
    expect(readFileSync(resolve(root, kernel.module), 'utf8')).toBe(
      kernelModuleText(kernel, binary),
    );
  });

  it('runs for S a multiple of 4 and leaves other sizes to the reference scan', () => {
    expect(kernelFor(256)).toBeDefined();
    expect(kernelFor(4)).toBeDefined();
    expect(kernelFor(6)).toBeUndefined();
    expect(createLogitPlaneScan(30, 20, 32).usesKernel).toBe(true);
    expect(createLogitPlaneScan(30, 20, 30).usesKernel).toBe(false);
    expect(createLogitPlaneScan(30, 20, 32, { kernel: false }).usesKernel).toBe(false);
  });

  const cases: [number, number, number][] = [
    [256, -1, 1],
    [40, -1, 1], // a second, partial bitset word
    [36, -0.9, 1.1], // thresholds that are not float32 values
    [8, 0, 0],
    [4, -1e-30, 3.3],
  ];
  for (const [size, lowest, highest] of cases) {
    it(`classifies every logit as defined: S = ${size}, thresholds ${lowest} and ${highest}`, () => {
      const planes = testPlanes(size, [lowest, highest], size);
      const kernel = kernelClasses(size);
      for (let plane = 0; plane < 3; plane++) {
        const offset = plane * size * size;
        const active = kernel.classify(planes, offset, lowest, highest);
        expect(active).toBe(plane > 0); // the first plane is all background
        expect(classesOf(kernel)).toEqual(definedClasses(planes, offset, size, lowest, highest));
      }
    });
  }

  it('throws the same error as the reference scan on a NaN or an infinity', () => {
    for (const bad of [Number.NaN, Infinity, -Infinity]) {
      const planes = new Float32Array(2 * 64 * 64).fill(1);
      planes[64 * 64 + 1234] = bad;
      const kernel = kernelClasses(64);
      expect(kernel.classify(planes, 0, -1, 1)).toBe(true);
      const message = `non-finite mask logit (${bad})`;
      expect(() => kernel.classify(planes, 64 * 64, -1, 1)).toThrow(message);
      for (const scanner of [
        createLogitPlaneScan(80, 80, 64),
        createLogitPlaneScan(80, 80, 64, { kernel: false }),
      ]) {
        const thresholds = scanThresholds(0, 1);
        expect(scanner.lowResStabilityCounts(planes, 0, thresholds).looseCount).toBe(64 * 64);
        expect(() => scanner.lowResStabilityCounts(planes, 64 * 64, thresholds)).toThrow(message);
        expect(scanner.scan(planes, 0, thresholds).area).toBe(80 * 80);
        expect(() => scanner.scan(planes, 64 * 64, thresholds)).toThrow(message);
      }
    }
  });

  // Geometries: both axes upsampled (tap pairs), rows downsampled by area (pairs or three taps),
  // columns downsampled (the kernel's plan-by-plan column pass), both downsampled by more than
  // two, an axis at the low-res size, the SAM 2 size both ways, tall bands, wide groups.
  const scans: [number, number, number][] = [
    [70, 50, 32],
    [45, 20, 32],
    [20, 45, 32],
    [13, 9, 32],
    [32, 50, 32],
    [90, 61, 40],
    [448, 224, 256],
    [224, 336, 256],
    [300, 700, 64], // bands of about 11 output rows per pair of low-res rows
    [901, 60, 32], // groups of about 28 outputs per pair of low-res columns
  ];
  for (const [width, height, size] of scans) {
    it(`scans like the reference scan: ${width}×${height} from ${size}×${size}`, () => {
      const planes = new Float32Array(8 * size * size);
      planes.set(blobPlanes(size, 6, width + height));
      planes.set(thresholdBlockPlanes(size, 2, width * height), 6 * size * size);
      const kernel = createLogitPlaneScan(width, height, size);
      const loop = createLogitPlaneScan(width, height, size, { kernel: false });
      expect(kernel.usesKernel).toBe(true);
      for (let plane = 0; plane < 8; plane++) {
        for (const [maskThreshold, offset] of [
          [0, 1],
          [0.1, 0.7],
          [0, 0],
        ] as const) {
          const offsetAt = plane * size * size;
          const thresholds = scanThresholds(maskThreshold, offset);
          const expected = loop.scan(planes, offsetAt, thresholds);
          const expectedRuns = loop.takeRuns();
          expect(kernel.scan(planes, offsetAt, thresholds)).toEqual(expected);
          expect(kernel.takeRuns()).toEqual(expectedRuns);
          expect(kernel.lowResStabilityCounts(planes, offsetAt, thresholds)).toEqual(
            loop.lowResStabilityCounts(planes, offsetAt, thresholds),
          );
        }
      }
    });
  }
});

/** Soft blobs with noise, so that masks have wide bands of logits between the thresholds. */
function blobPlanes(size: number, count: number, seed: number): Float32Array {
  const random = seededRandom(seed);
  const planes = new Float32Array(count * size * size);
  for (let plane = 0; plane < count; plane++) {
    const cx = random() * size;
    const cy = random() * size;
    const radius = (0.1 + 0.4 * random()) * size;
    const slope = 0.1 + 2 * random();
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const value = slope * (radius - Math.hypot(x - cx, y - cy)) + (random() - 0.5);
        planes[(plane * size + y) * size + x] = value;
      }
    }
  }
  return planes;
}

/**
 * Blocks of 3 × 3 cells that each hold one threshold (−1, 0, 1) or a far value, so that many
 * interpolated outputs land exactly on a threshold, where > and ≥ differ.
 */
function thresholdBlockPlanes(size: number, count: number, seed: number): Float32Array {
  const random = seededRandom(seed);
  const values = [-1, 0, 1, -20, 20];
  const planes = new Float32Array(count * size * size);
  const blocks = Math.ceil(size / 3);
  for (let plane = 0; plane < count; plane++) {
    const blockValues = Array.from(
      { length: blocks * blocks },
      () => values[Math.floor(random() * values.length)] ?? 0,
    );
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const block = Math.floor(y / 3) * blocks + Math.floor(x / 3);
        planes[(plane * size + y) * size + x] = blockValues[block] ?? 0;
      }
    }
  }
  return planes;
}
