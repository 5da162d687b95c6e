/**
 * Which onnxruntime-web build the worker imports. `jsep` (the default import) runs WebGPU through
 * the JavaScript execution provider; `native` (`onnxruntime-web/webgpu`) through the newer native
 * WebGPU EP. Chosen at build time with FLOWCLAS_ORT_ENGINE; bench/webgpuEngines.ts compares them.
 */
import type { AliasOptions } from 'vite';

export type OrtWebEngine = 'jsep' | 'native';

export function ortEngineAlias(engine = process.env.FLOWCLAS_ORT_ENGINE): AliasOptions {
  if (engine === undefined || engine === 'jsep') return [];
  if (engine !== 'native') {
    throw new Error(`FLOWCLAS_ORT_ENGINE must be "jsep" or "native", not "${engine}"`);
  }
  return [{ find: /^onnxruntime-web$/, replacement: 'onnxruntime-web/webgpu' }];
}
