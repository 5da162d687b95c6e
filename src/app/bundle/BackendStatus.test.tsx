import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { BackendReport } from '../../core/runtime/chooseBackend';
import { BackendStatus } from './BackendStatus';

const wasm: BackendReport = {
  provider: 'wasm',
  description: 'WebAssembly, 1 thread',
  precisions: { backbone: 'fp32', flow: 'fp32' },
};

/** The status as a screen reader reads it: its text, tags dropped. */
const textOf = (backend: BackendReport, crossOriginIsolated: boolean) =>
  renderToStaticMarkup(
    <BackendStatus backend={backend} crossOriginIsolated={crossOriginIsolated} />,
  )
    .replace(/<[^>]+>/g, '')
    .replace(/\s+/g, ' ');

describe('BackendStatus', () => {
  it('says why WebAssembly runs one thread on a page that is not cross-origin isolated', () => {
    expect(textOf(wasm, false)).toBe(
      'Models run on WebAssembly, 1 thread. Weights: backbone fp32, flow fp32. One thread ' +
        'because this page is not cross-origin isolated: serve it with ' +
        'Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: ' +
        'require-corp to use several.',
    );
  });

  it('says nothing about threads on an isolated page or on WebGPU', () => {
    const threads = { ...wasm, description: 'WebAssembly, 4 threads' };
    expect(textOf(threads, true)).toBe(
      'Models run on WebAssembly, 4 threads. Weights: backbone fp32, flow fp32.',
    );
    const webGpu: BackendReport = { ...wasm, provider: 'webgpu', description: 'WebGPU (Test)' };
    expect(textOf(webGpu, false)).not.toMatch(/thread|isolated/);
  });
});
