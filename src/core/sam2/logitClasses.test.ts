import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assembleWat, kernelModuleText, WASM_KERNELS } from '../../../scripts/buildWasm';
import { seededRandom } from '../numeric';
import { LogitClasses } from './logitClasses';
import { LOGIT_CLASSES_WASM } from './logitClassesWasm';

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

describe('the classify kernel', () => {
  it('is the binary that logitClasses.wat assembles to', async () => {
    const kernel = WASM_KERNELS.find((k) => k.constant === 'LOGIT_CLASSES_WASM');
    if (!kernel) throw new Error('logitClasses.wat is not listed in WASM_KERNELS');
    const binary = await assembleWat(resolve(root, kernel.source));
    expect(Array.from(LOGIT_CLASSES_WASM)).toEqual(Array.from(binary));
    expect(readFileSync(resolve(root, kernel.module), 'utf8')).toBe(
      kernelModuleText(kernel, binary),
    );
  });

  it('runs for S a multiple of 4 and leaves other sizes to the TypeScript loop', () => {
    expect(new LogitClasses(256).usesKernel).toBe(true);
    expect(new LogitClasses(4).usesKernel).toBe(true);
    expect(new LogitClasses(6).usesKernel).toBe(false);
    expect(new LogitClasses(256, { kernel: false }).usesKernel).toBe(false);
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
      const kernel = new LogitClasses(size);
      const loop = new LogitClasses(size, { kernel: false });
      expect(kernel.usesKernel).toBe(true);
      for (let plane = 0; plane < 3; plane++) {
        const offset = plane * size * size;
        const active = kernel.classify(planes, offset, lowest, highest);
        expect(loop.classify(planes, offset, lowest, highest)).toBe(active);
        expect(active).toBe(plane > 0); // the first plane is all background
        expect(classesOf(kernel)).toEqual(classesOf(loop));
      }
    });
  }

  it('throws the same error as the TypeScript loop on a NaN or an infinity', () => {
    for (const bad of [Number.NaN, Infinity, -Infinity]) {
      const planes = new Float32Array(2 * 64 * 64).fill(1);
      planes[64 * 64 + 1234] = bad;
      const kernel = new LogitClasses(64);
      expect(kernel.classify(planes, 0, -1, 1)).toBe(true);
      const message = `non-finite mask logit (${bad})`;
      expect(() => kernel.classify(planes, 64 * 64, -1, 1)).toThrow(message);
      expect(() =>
        new LogitClasses(64, { kernel: false }).classify(planes, 64 * 64, -1, 1),
      ).toThrow(message);
    }
  });
});
