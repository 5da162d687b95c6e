import { describe, expect, it } from 'vitest';
import { compareCanaryOutputs } from './canary';

const f32 = (...values: number[]) => Float32Array.from(values);

describe('compareCanaryOutputs', () => {
  const wasm = { flow: { likelihood: f32(0.1, 0.2) }, decoder: { masks: f32(-30, 12, 5) } };

  it('accepts float-level disagreement, scaled by the output magnitude', () => {
    const webgpu = {
      flow: { likelihood: f32(0.1004, 0.2) },
      decoder: { masks: f32(-30.02, 12, 5) },
    };
    const verdict = compareCanaryOutputs(wasm, webgpu);
    expect(verdict.agrees).toBe(true);
    expect(verdict.differences.map((d) => [d.model, d.output])).toEqual([
      ['flow', 'likelihood'],
      ['decoder', 'masks'],
    ]);
  });

  it('rejects a wrong output and says which one, by how much', () => {
    const webgpu = { flow: { likelihood: f32(0.1, 0.2) }, decoder: { masks: f32(-30, 109, 5) } };
    const verdict = compareCanaryOutputs(wasm, webgpu);
    expect(verdict.agrees).toBe(false);
    expect(verdict.reason).toMatch(/decoder output "masks" differs from WebAssembly by 97\.0/);
  });

  it('rejects a missing output', () => {
    const verdict = compareCanaryOutputs(wasm, { flow: { likelihood: f32(0.1, 0.2) } });
    expect(verdict.agrees).toBe(false);
  });
});
