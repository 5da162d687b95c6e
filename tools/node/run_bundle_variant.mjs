// Runs a bundle's backbone and flow (one weight variant) with onnxruntime-node on a prepared backbone
// input and reports load time, time per run and peak RSS; writes the likelihood map as likelihood.npy.
// Usage: node tools/node/run_bundle_variant.mjs spec.json
//   spec: { "bundle": "dir", "variant": "fp32" | "fp16" | "int8", "input": "x.npy", "runs": 3, "outDir": "dir",
//           "threads": 2 }
// Used by the factory's variant report (factory variant-report).
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(join(process.cwd(), 'package.json'));
const ort = require('onnxruntime-node');

function readNpyFloat32(path) {
  const buf = readFileSync(path);
  const headerLength = buf.readUInt16LE(8);
  const header = buf.subarray(10, 10 + headerLength).toString('latin1');
  if (!header.includes("'<f4'")) throw new Error(`${path}: expected float32 (<f4)`);
  const shape = /'shape':\s*\(([^)]*)\)/
    .exec(header)[1]
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map(Number);
  const bytes = buf.subarray(10 + headerLength);
  const data = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  return new ort.Tensor('float32', data, shape);
}

function writeNpyFloat32(path, tensor) {
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${tensor.dims.join(', ')}${tensor.dims.length === 1 ? ',' : ''}), }`;
  header += ' '.repeat((64 - ((10 + header.length + 1) % 64)) % 64) + '\n';
  const pre = Buffer.alloc(10);
  pre.write('\x93NUMPY', 0, 'latin1');
  pre.writeUInt8(1, 6);
  pre.writeUInt16LE(header.length, 8);
  const data = Buffer.from(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength);
  writeFileSync(path, Buffer.concat([pre, Buffer.from(header, 'latin1'), data]));
}

/** tokens [1, T + h*w, C] -> map [1, C, h, w] (patches row-major), as pipeline.md section 2. */
function tokensToMap(tokens, prefix, h, w) {
  const c = tokens.dims[2];
  const out = new Float32Array(c * h * w);
  const src = tokens.data;
  for (let k = 0; k < h * w; k++) {
    const row = (prefix + k) * c;
    for (let ch = 0; ch < c; ch++) out[ch * h * w + k] = src[row + ch];
  }
  return new ort.Tensor('float32', out, [1, c, h, w]);
}

let peakRss = process.memoryUsage().rss;
const sampleRss = () => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
};
const rssTimer = setInterval(sampleRss, 20);

const spec = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const manifest = JSON.parse(readFileSync(join(spec.bundle, 'manifest.json'), 'utf8'));
const fileOf = (entry) =>
  spec.variant === 'fp32' ? entry.file : (entry.variants?.[spec.variant]?.file ?? null);
const options = { intraOpNumThreads: spec.threads ?? 2, interOpNumThreads: 1 };
const meta = { variant: spec.variant, loadMs: {}, runMs: { backbone: [], flow: [] } };
const sessions = {};
for (const key of ['backbone', 'flow']) {
  const file = fileOf(manifest[key]);
  if (file === null) throw new Error(`manifest: ${key} has no ${spec.variant} variant`);
  const t0 = performance.now();
  sessions[key] = await ort.InferenceSession.create(join(spec.bundle, file), options);
  meta.loadMs[key] = performance.now() - t0;
  sampleRss();
}
const x = readNpyFloat32(spec.input);
const [, , hh, ww] = x.dims;
const patch = manifest.backbone.patchSize;
const h = hh / patch;
const w = ww / patch;
let likelihood = null;
for (let r = 0; r < (spec.runs ?? 1); r++) {
  let t0 = performance.now();
  const out = (await sessions.backbone.run({ [manifest.backbone.input]: x }))[manifest.backbone.output];
  meta.runMs.backbone.push(performance.now() - t0);
  sampleRss();
  const features =
    manifest.backbone.layout === 'map' ? out : tokensToMap(out, manifest.backbone.prefixTokens, h, w);
  t0 = performance.now();
  likelihood = (await sessions.flow.run({ [manifest.flow.input]: features }))[manifest.flow.output];
  meta.runMs.flow.push(performance.now() - t0);
  sampleRss();
}
clearInterval(rssTimer);
meta.peakRssMB = peakRss / (1 << 20);
mkdirSync(spec.outDir, { recursive: true });
writeNpyFloat32(join(spec.outDir, 'likelihood.npy'), likelihood);
writeFileSync(join(spec.outDir, 'meta.json'), JSON.stringify(meta));
