// Runs one ONNX model with onnxruntime-node on .npy inputs and writes .npy outputs.
// Usage: node tools/node/ort_run.mjs spec.json
//   spec: { "model": "m.onnx", "inputs": { "name": "x.npy", ... }, "outDir": "dir" }
// Used by the factory tests to check exports against PyTorch when onnxruntime-node is installed.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(join(process.cwd(), 'package.json'));
const ort = require('onnxruntime-node');

const DTYPES = { '<f4': ['float32', Float32Array], '<i8': ['int64', BigInt64Array], '<i4': ['int32', Int32Array] };

function readNpy(path) {
  const buf = readFileSync(path);
  const hlen = buf.readUInt16LE(8);
  const header = buf.subarray(10, 10 + hlen).toString('latin1');
  const descr = /'descr':\s*'([^']+)'/.exec(header)[1];
  const shape = /'shape':\s*\(([^)]*)\)/.exec(header)[1].split(',').map((s) => s.trim()).filter(Boolean).map(Number);
  const [type, Ctor] = DTYPES[descr];
  const start = 10 + hlen;
  const bytes = buf.subarray(start);
  const data = new Ctor(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  return new ort.Tensor(type, data, shape);
}

function writeNpy(path, tensor) {
  const descr = tensor.type === 'float32' ? '<f4' : tensor.type === 'int64' ? '<i8' : '<i4';
  const shape = tensor.dims.length === 1 ? `(${tensor.dims[0]},)` : `(${tensor.dims.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shape}, }`;
  const total = 10 + header.length + 1;
  header += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const pre = Buffer.alloc(10);
  pre.write('\x93NUMPY', 0, 'latin1');
  pre.writeUInt8(1, 6);
  pre.writeUInt8(0, 7);
  pre.writeUInt16LE(header.length, 8);
  const data = Buffer.from(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength);
  writeFileSync(path, Buffer.concat([pre, Buffer.from(header, 'latin1'), data]));
}

const spec = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const session = await ort.InferenceSession.create(spec.model, { intraOpNumThreads: 2 });
const feeds = {};
for (const [name, path] of Object.entries(spec.inputs)) feeds[name] = readNpy(path);
const t0 = performance.now();
const results = await session.run(feeds);
const ms = performance.now() - t0;
mkdirSync(spec.outDir, { recursive: true });
for (const [name, tensor] of Object.entries(results)) writeNpy(join(spec.outDir, `${name}.npy`), tensor);
writeFileSync(join(spec.outDir, 'meta.json'), JSON.stringify({ ms, inputs: session.inputNames, outputs: session.outputNames }));
