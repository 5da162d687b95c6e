import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assembleWat, kernelModuleText, WASM_KERNELS } from '../../../scripts/buildWasm';
import { seededRandom } from '../numeric';
import { LogitClasses } from './logitClasses';
import { createMaskLogitKernel } from './maskLogitKernel';
import { MASK_LOGIT_KERNEL_WASM } from './maskLogitKernelWasm';
import { MaskLogitScanner } from './maskLogitScanner';

const root = resolve(import.meta.dirname, '../../..');

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

/** A LogitClasses on the kernel, which must be able to run here (else the tests compare nothing). */
function kernelClasses(size: number): LogitClasses {
  const kernel = createMaskLogitKernel(size, 1, null);
  if (!kernel) throw new Error(`the kernel cannot run for S = ${size} here`);
  return new LogitClasses(size, kernel);
}
const loopClasses = (size: number) => new LogitClasses(size);

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

  it('runs for S a multiple of 4 and leaves other sizes to the TypeScript loops', () => {
    expect(createMaskLogitKernel(256, 10, null)).toBeDefined();
    expect(createMaskLogitKernel(4, 10, null)).toBeDefined();
    expect(createMaskLogitKernel(6, 10, null)).toBeUndefined();
    expect(new MaskLogitScanner(30, 20, 32).usesKernel).toBe(true);
    expect(new MaskLogitScanner(30, 20, 30).usesKernel).toBe(false);
    expect(new MaskLogitScanner(30, 20, 32, { kernel: false }).usesKernel).toBe(false);
  });

  const cases: [number, number, number][] = [
    [256, -1, 1],
    [40, -1, 1], // a second, partial bitset word
    [36, -0.9, 1.1], // thresholds that are not float32 values
    [8, 0, 0],
    [4, -1e-30, 3.3],
  ];
  for (const [size, lowest, highest] of cases) {
    it(`gives the TypeScript loop's classes: S = ${size}, thresholds ${lowest} and ${highest}`, () => {
      const planes = testPlanes(size, [lowest, highest], size);
      const kernel = kernelClasses(size);
      const loop = loopClasses(size);
      for (let plane = 0; plane < 3; plane++) {
        const offset = plane * size * size;
        const active = kernel.classify(planes, offset, lowest, highest);
        expect(loop.classify(planes, offset, lowest, highest)).toBe(active);
        expect(active).toBe(plane > 0); // the first plane is all background
        expect(classesOf(kernel)).toEqual(classesOf(loop));
      }
    });
  }

  it('throws the same error as the TypeScript loops on a NaN or an infinity', () => {
    for (const bad of [Number.NaN, Infinity, -Infinity]) {
      const planes = new Float32Array(2 * 64 * 64).fill(1);
      planes[64 * 64 + 1234] = bad;
      const kernel = kernelClasses(64);
      expect(kernel.classify(planes, 0, -1, 1)).toBe(true);
      const message = `non-finite mask logit (${bad})`;
      expect(() => kernel.classify(planes, 64 * 64, -1, 1)).toThrow(message);
      expect(() => loopClasses(64).classify(planes, 64 * 64, -1, 1)).toThrow(message);
      for (const scanner of [
        new MaskLogitScanner(80, 80, 64),
        new MaskLogitScanner(80, 80, 64, { kernel: false }),
      ]) {
        expect(scanner.lowResStabilityCounts(planes, 0, 0, 1).looseCount).toBe(64 * 64);
        expect(() => scanner.lowResStabilityCounts(planes, 64 * 64, 0, 1)).toThrow(message);
      }
    }
  });

  // Geometries: both axes upsampled (tap pairs: the kernel interpolates), rows downsampled by
  // area (pairs or three taps: the TypeScript loop interpolates), the SAM 2 size, tall bands,
  // wide groups.
  const scans: [number, number, number][] = [
    [70, 50, 32],
    [45, 20, 32],
    [90, 61, 40],
    [448, 224, 256],
    [300, 700, 64], // bands of about 11 output rows per pair of low-res rows
    [901, 60, 32], // groups of about 28 outputs per pair of low-res columns
  ];
  for (const [width, height, size] of scans) {
    it(`scans like the TypeScript loops: ${width}×${height} from ${size}×${size}`, () => {
      const planes = blobPlanes(size, 6, width + height);
      const kernel = new MaskLogitScanner(width, height, size);
      const loop = new MaskLogitScanner(width, height, size, { kernel: false });
      expect(kernel.usesKernel).toBe(true);
      for (let plane = 0; plane < 6; plane++) {
        for (const [maskThreshold, offset] of [
          [0, 1],
          [0.1, 0.7],
          [0, 0],
        ] as const) {
          const offsetAt = plane * size * size;
          const expected = loop.scan(planes, offsetAt, maskThreshold, offset);
          const expectedRuns = loop.takeRuns();
          expect(kernel.scan(planes, offsetAt, maskThreshold, offset)).toEqual(expected);
          expect(kernel.takeRuns()).toEqual(expectedRuns);
          expect(kernel.lowResStabilityCounts(planes, offsetAt, maskThreshold, offset)).toEqual(
            loop.lowResStabilityCounts(planes, offsetAt, maskThreshold, offset),
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
