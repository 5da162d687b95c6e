/**
 * Test helper: runs an independent numpy implementation and returns its outputs, so core
 * functions are checked against a second implementation rather than against numbers we typed.
 *
 * The script gets one argument, a folder holding `<name>.npy` for every input (plus
 * `params.json`); it must write `<name>.out.npy` files into the same folder.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dump, parse, type NpyArray, type TypedArray } from 'npyjs';

export interface ReferenceInput {
  data: TypedArray;
  shape: number[];
}

let cachedPython: string | undefined;

/** A python3 that can import numpy (Debian's, or the one on PATH). */
export function findPythonWithNumpy(): string {
  if (cachedPython) return cachedPython;
  for (const candidate of ['/usr/bin/python3', 'python3']) {
    try {
      execFileSync(candidate, ['-c', 'import numpy'], { stdio: 'ignore' });
      cachedPython = candidate;
      return candidate;
    } catch {
      // try the next candidate
    }
  }
  throw new Error('No python3 with numpy found; install python3-numpy to run the reference tests.');
}

export function runPythonReference(
  scriptPath: string,
  inputs: Record<string, ReferenceInput>,
  params: Record<string, unknown> = {},
): Record<string, NpyArray> {
  const workDir = mkdtempSync(join(tmpdir(), 'flowclas-ref-'));
  try {
    for (const [name, input] of Object.entries(inputs)) {
      writeFileSync(join(workDir, `${name}.npy`), new Uint8Array(dump(input.data, input.shape)));
    }
    writeFileSync(join(workDir, 'params.json'), JSON.stringify(params));
    execFileSync(findPythonWithNumpy(), [scriptPath, workDir], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const outputs: Record<string, NpyArray> = {};
    for (const file of readdirSync(workDir)) {
      if (!file.endsWith('.out.npy')) continue;
      const bytes = readFileSync(join(workDir, file));
      const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
      outputs[file.slice(0, -'.out.npy'.length)] = parse(buffer);
    }
    return outputs;
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}
