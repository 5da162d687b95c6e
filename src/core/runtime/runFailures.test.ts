import { describe, expect, it } from 'vitest';
import type { InferenceSession } from './ort';
import { ModelRunError, readableOrtMessage, reportRunFailures } from './runFailures';

describe('reportRunFailures', () => {
  it('names the model and its file when onnxruntime fails on an input', async () => {
    const session = {
      run: () => Promise.reject(new Error('Non-zero status code returned while running Add node')),
    } as unknown as InferenceSession;
    const running = reportRunFailures(session, 'flow', 'flow.onnx').run({});
    await expect(running).rejects.toBeInstanceOf(ModelRunError);
    await expect(running).rejects.toMatchObject({
      code: 'model-run',
      message:
        'The flow model (flow.onnx) failed to run: Non-zero status code returned while running Add node',
    });
  });

  it("keeps onnxruntime's reason and drops its wrapper and C++ source location", () => {
    expect(
      readableOrtMessage(
        'failed to call OrtRun(). ERROR_CODE: 1, ERROR_MESSAGE: /build/onnxruntime/core/providers/' +
          'cpu/math/element_wise_ops.h:563 void onnxruntime::BroadcastIterator::Init(ptrdiff_t, ' +
          'ptrdiff_t) axis == 1 || axis == largest was false. Attempting to broadcast an axis by a ' +
          'dimension other than 1. 3 by 4\n',
      ),
    ).toBe(
      'axis == 1 || axis == largest was false. Attempting to broadcast an axis by a dimension ' +
        'other than 1. 3 by 4',
    );
    expect(readableOrtMessage('out of memory')).toBe('out of memory');
  });
});
