/**
 * Writes tiny ONNX models (float32 graphs of standard operators) for browser tests that need a
 * model with a given contract and a given flaw. Only the protobuf fields such graphs use.
 */

/** A tensor of the graph's interface; a string is a symbolic dimension. */
export interface OnnxValue {
  name: string;
  dims: (number | string)[];
}

export interface OnnxNode {
  op: string;
  inputs: string[];
  outputs: string[];
  /** Integer-list attributes, e.g. ReduceMean's `axes`. */
  ints?: Record<string, number[]>;
}

export interface OnnxGraph {
  inputs: OnnxValue[];
  outputs: OnnxValue[];
  /** Constant float32 tensors, all zeros. */
  zeros: OnnxValue[];
  nodes: OnnxNode[];
  opset: number;
}

const WIRE_VARINT = 0;
const WIRE_BYTES = 2;
const FLOAT = 1; // TensorProto.DataType and TypeProto.Tensor elem_type
const ATTRIBUTE_INTS = 7;

function varint(value: number): number[] {
  const bytes: number[] = [];
  let rest = value;
  while (rest >= 0x80) {
    bytes.push((rest % 0x80) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  bytes.push(rest);
  return bytes;
}

/** One message: fields in order, each a varint, a string or a nested message. */
type Field = [number, number | string | Uint8Array];

function message(fields: Field[]): Uint8Array {
  const bytes: number[] = [];
  for (const [number, value] of fields) {
    if (typeof value === 'number') {
      bytes.push(...varint(number * 8 + WIRE_VARINT), ...varint(value));
    } else {
      const payload = typeof value === 'string' ? new TextEncoder().encode(value) : value;
      bytes.push(...varint(number * 8 + WIRE_BYTES), ...varint(payload.length), ...payload);
    }
  }
  return Uint8Array.from(bytes);
}

function valueInfo({ name, dims }: OnnxValue): Uint8Array {
  const shape = message(
    dims.map((dim): Field => [1, message([typeof dim === 'number' ? [1, dim] : [2, dim]])]),
  );
  const tensorType = message([
    [1, FLOAT],
    [2, shape],
  ]);
  return message([
    [1, name],
    [2, message([[1, tensorType]])],
  ]);
}

function zerosTensor({ name, dims }: OnnxValue): Uint8Array {
  const size = dims.reduce<number>((product, dim) => product * Number(dim), 1);
  return message([
    ...dims.map((dim): Field => [1, Number(dim)]),
    [2, FLOAT],
    [8, name],
    [9, new Uint8Array(size * 4)],
  ]);
}

function node({ op, inputs, outputs, ints = {} }: OnnxNode, index: number): Uint8Array {
  const attributes = Object.entries(ints).map(([name, values]): Field => [
    5,
    message([[1, name], ...values.map((value): Field => [8, value]), [20, ATTRIBUTE_INTS]]),
  ]);
  return message([
    ...inputs.map((input): Field => [1, input]),
    ...outputs.map((output): Field => [2, output]),
    [3, `${op.toLowerCase()}_${index}`],
    [4, op],
    ...attributes,
  ]);
}

/** ModelProto bytes, ready for InferenceSession.create or a bundle folder. */
export function onnxModel(graph: OnnxGraph): Uint8Array {
  const graphProto = message([
    ...graph.nodes.map((entry, index): Field => [1, node(entry, index)]),
    [2, 'graph'],
    ...graph.zeros.map((tensor): Field => [5, zerosTensor(tensor)]),
    ...graph.inputs.map((input): Field => [11, valueInfo(input)]),
    ...graph.outputs.map((output): Field => [12, valueInfo(output)]),
  ]);
  return message([
    [1, 8], // IR version 8: opsets up to 18
    [2, 'flowclas-e2e'],
    [7, graphProto],
    [8, message([[2, graph.opset]])],
  ]);
}
