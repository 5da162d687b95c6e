/**
 * What an ONNX file says that onnxruntime's session metadata does not: the external-data files
 * its weights live in, and which operator produces each graph output. Weights past protobuf's
 * 2 GB limit (or split for hosts that cap file sizes) live beside the `.onnx` file; each such
 * tensor carries `data_location = EXTERNAL` and an `external_data` entry `location`, a path
 * relative to the model file's folder.
 */
import { readFile } from 'node:fs/promises';
import protobuf from 'protobufjs';
import { FlowclasError } from '../core/errors';

/**
 * Only the fields on the way to a tensor's external-data entries, with their numbers from the
 * ONNX IR spec (onnx.proto). Fields left out (weights, node inputs, ...) are skipped by the
 * decoder without being read, so a model with gigabytes of inline weights decodes cheaply.
 */
const onnxSubset = protobuf.Root.fromJSON({
  nested: {
    ModelProto: { fields: { graph: { id: 7, type: 'GraphProto' } } },
    GraphProto: {
      fields: {
        node: { id: 1, rule: 'repeated', type: 'NodeProto' },
        initializer: { id: 5, rule: 'repeated', type: 'TensorProto' },
      },
    },
    NodeProto: {
      fields: {
        output: { id: 2, rule: 'repeated', type: 'string' },
        opType: { id: 4, type: 'string' },
        attribute: { id: 5, rule: 'repeated', type: 'AttributeProto' },
      },
    },
    AttributeProto: {
      fields: {
        t: { id: 5, type: 'TensorProto' },
        g: { id: 6, type: 'GraphProto' },
        tensors: { id: 10, rule: 'repeated', type: 'TensorProto' },
        graphs: { id: 11, rule: 'repeated', type: 'GraphProto' },
      },
    },
    TensorProto: {
      fields: {
        name: { id: 8, type: 'string' },
        externalData: { id: 13, rule: 'repeated', type: 'StringStringEntryProto' },
        dataLocation: { id: 14, type: 'int32' },
      },
    },
    StringStringEntryProto: {
      fields: { key: { id: 1, type: 'string' }, value: { id: 2, type: 'string' } },
    },
  },
});

interface TensorMessage {
  name?: string;
  externalData?: { key?: string; value?: string }[];
  dataLocation?: number;
}
interface AttributeMessage {
  t?: TensorMessage;
  g?: GraphMessage;
  tensors?: TensorMessage[];
  graphs?: GraphMessage[];
}
interface GraphMessage {
  node?: { output?: string[]; opType?: string; attribute?: AttributeMessage[] }[];
  initializer?: TensorMessage[];
}

export interface OnnxGraphFacts {
  /** External-data locations, relative to the model file's folder, in order of first use. */
  externalData: string[];
  /** The operator type that produces each value of the main graph, by value name. */
  producers: Map<string, string>;
}

/** TensorProto.DataLocation.EXTERNAL */
const EXTERNAL = 1;

/** A file that is not an ONNX model (or is truncated). */
export class OnnxReadError extends FlowclasError {
  constructor(file: string, reason: string) {
    super('onnx-read', `${file} could not be read as an ONNX model: ${reason}`);
    this.name = 'OnnxReadError';
  }
}

function* tensorsOf(graph: GraphMessage): Generator<TensorMessage> {
  yield* graph.initializer ?? [];
  // Constant nodes and the subgraphs of If/Loop/Scan may hold external tensors too.
  for (const node of graph.node ?? []) {
    for (const attribute of node.attribute ?? []) {
      if (attribute.t) yield attribute.t;
      yield* attribute.tensors ?? [];
      if (attribute.g) yield* tensorsOf(attribute.g);
      for (const subgraph of attribute.graphs ?? []) yield* tensorsOf(subgraph);
    }
  }
}

/** Facts about the ONNX model in `bytes`; `file` names it in errors. */
export function onnxGraphFacts(bytes: Uint8Array, file: string): OnnxGraphFacts {
  let model: { graph?: GraphMessage };
  try {
    model = onnxSubset.lookupType('ModelProto').decode(bytes) as { graph?: GraphMessage };
  } catch (error) {
    throw new OnnxReadError(file, error instanceof Error ? error.message : String(error));
  }
  const graph = model.graph;
  if (!graph) throw new OnnxReadError(file, 'it has no graph');
  const locations = new Set<string>();
  for (const tensor of tensorsOf(graph)) {
    if (tensor.dataLocation !== EXTERNAL) continue;
    const location = tensor.externalData?.find((entry) => entry.key === 'location')?.value;
    if (!location) {
      throw new OnnxReadError(
        file,
        `tensor "${tensor.name ?? ''}" is external but names no location`,
      );
    }
    locations.add(location);
  }
  const producers = new Map<string, string>();
  for (const node of graph.node ?? []) {
    for (const output of node.output ?? []) producers.set(output, node.opType ?? '');
  }
  return { externalData: [...locations], producers };
}

/** Facts about the ONNX model at `path`. */
export async function readOnnxGraphFacts(path: string): Promise<OnnxGraphFacts> {
  // The Buffer itself (a Uint8Array): wrapping it in a new Uint8Array would copy every byte.
  return onnxGraphFacts(await readFile(path), path);
}
