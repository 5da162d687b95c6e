/**
 * The slice of the onnxruntime API the core uses. onnxruntime-web (browser, worker) and
 * onnxruntime-node (CLI, tests) both provide it, so the core never imports either package.
 */
import type { InferenceSession, Tensor } from 'onnxruntime-common';

export type { InferenceSession, Tensor } from 'onnxruntime-common';

export interface OrtApi {
  InferenceSession: {
    create(model: Uint8Array, options?: InferenceSession.SessionOptions): Promise<InferenceSession>;
  };
  Tensor: new (type: 'float32', data: Float32Array, dims: readonly number[]) => Tensor;
}

/** Execution providers we create sessions for: WebGPU and WASM in browsers, CPU in Node. */
export type ExecutionProvider = 'webgpu' | 'wasm' | 'cpu';
