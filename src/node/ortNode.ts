/** onnxruntime-node as the core's OrtApi (CPU execution provider). */
import * as ortNode from 'onnxruntime-node';
import type { OrtApi } from '../core/runtime/ort';

export const ortNodeApi: OrtApi = ortNode as unknown as OrtApi;
