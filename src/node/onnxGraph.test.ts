import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { onnxGraphFacts, OnnxReadError, readOnnxGraphFacts } from './onnxGraph';

const fixtures = resolve(import.meta.dirname, '../../fixtures');

describe('onnxGraphFacts', () => {
  it('lists external-data files of initializers once each, in order of first use', async () => {
    const facts = await readOnnxGraphFacts(resolve(fixtures, 'external-data/backbone.onnx'));
    expect(facts.externalData).toEqual(['backbone.onnx.data.0', 'backbone.onnx.data.1']);
    const inline = await readOnnxGraphFacts(resolve(fixtures, 'external-data/flow.onnx'));
    expect(inline.externalData).toEqual([]);
  });

  it("finds a Constant node's external value and a tensor inside an If branch", async () => {
    const facts = await readOnnxGraphFacts(resolve(fixtures, 'models/external-constants.onnx'));
    expect(facts.externalData).toEqual(['constant.data', 'branch.data']);
    expect(facts.producers.get('c')).toBe('Add');
    expect(facts.producers.get('factor')).toBe('If');
  });

  it('tells which operator produces a graph output', async () => {
    const facts = await readOnnxGraphFacts(resolve(fixtures, 'bundles/tokens-cls/flow.onnx'));
    expect(facts.producers.get('likelihood')).toBe('Exp');
  });

  it('names a file that is not ONNX', () => {
    const bytes = new TextEncoder().encode('this is text, not an ONNX model');
    expect(() => onnxGraphFacts(bytes, 'notes.onnx')).toThrow(OnnxReadError);
    expect(() => onnxGraphFacts(bytes, 'notes.onnx')).toThrow(
      /notes\.onnx could not be read as an ONNX model/,
    );
  });
});
