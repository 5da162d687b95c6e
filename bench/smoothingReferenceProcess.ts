/**
 * Drives bench/reference/smoothing_reference.py as a long-lived process, so the benchmark can
 * alternate numpy runs with ours: both then see the same machine load, which matters on a shared
 * machine where load drifts over seconds.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { dump, parse } from 'npyjs';
import { findPythonWithNumpy } from '../src/core/testing/pythonReference';
import type { PixelMask, ScoreMap } from '../src/core/types';

const referenceScript = fileURLToPath(
  new URL('./reference/smoothing_reference.py', import.meta.url),
);

export interface NumpySmoothingProcess {
  /** Smooths a fresh copy of the scores once; resolves to the seconds numpy's loop took. */
  timeOneRun(): Promise<number>;
  /** Ends the process and returns the refined scores of its last run. */
  finish(): Promise<Float32Array>;
}

/** All masks' pixel indices in one array plus offsets: compact to hand over. */
function concatenateMasks(masks: readonly PixelMask[]) {
  const offsets = new Uint32Array(masks.length + 1);
  masks.forEach((mask, k) => (offsets[k + 1] = (offsets[k] as number) + mask.pixels.length));
  const pixels = new Uint32Array(offsets[masks.length] as number);
  masks.forEach((mask, k) => pixels.set(mask.pixels, offsets[k]));
  return { pixels, offsets };
}

export async function startNumpySmoothing(
  scoreMap: ScoreMap,
  masks: readonly PixelMask[],
  bins: number,
): Promise<NumpySmoothingProcess> {
  const folder = mkdtempSync(join(tmpdir(), 'flowclas-bench-'));
  const save = (name: string, data: Parameters<typeof dump>[0], shape: number[]) =>
    writeFileSync(join(folder, `${name}.npy`), new Uint8Array(dump(data, shape)));
  const { pixels, offsets } = concatenateMasks(masks);
  save('scores', scoreMap.data, [scoreMap.height, scoreMap.width]);
  save('mask_pixels', pixels, [pixels.length]);
  save('mask_offsets', offsets, [offsets.length]);
  writeFileSync(join(folder, 'params.json'), JSON.stringify({ bins }));

  const child = spawn(findPythonWithNumpy(), [referenceScript, folder], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const nextLine = async () => {
    const { value, done } = await lines.next();
    if (done) throw new Error('The numpy reference process ended early; see its error above.');
    return value;
  };
  await nextLine(); // "ready": inputs loaded, boolean masks built

  return {
    async timeOneRun() {
      child.stdin.write('run\n');
      return Number(await nextLine());
    },
    async finish() {
      child.stdin.end('done\n');
      await once(child, 'exit');
      try {
        const bytes = readFileSync(join(folder, 'refined.npy'));
        const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
        return parse(buffer as ArrayBuffer).data as Float32Array;
      } finally {
        rmSync(folder, { recursive: true, force: true });
      }
    },
  };
}
