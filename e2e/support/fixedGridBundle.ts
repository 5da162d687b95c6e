/**
 * A bundle whose flow loads and passes every contract check but runs only on one feature-grid
 * size, like a flow exported with a fixed input shape: images of other proportions fail inside
 * onnxruntime, in the middle of their analysis.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { sha256Hex } from '../../src/core/bundle/sha256';
import { onnxModel } from './onnxModel';

const root = resolve(import.meta.dirname, '../..');

/**
 * The tokens-cls fixture with such a flow. Its resize policy turns a 73×45 landscape image into
 * a 4×3 feature grid, the only grid the flow accepts; a portrait image gives 3×4 and fails.
 */
export async function writeFixedGridBundle(dir: string): Promise<void> {
  cpSync(resolve(root, 'fixtures/bundles/tokens-cls'), dir, { recursive: true });
  const manifestPath = join(dir, 'manifest.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  const { input, output, channels } = manifest.flow;
  const flow = onnxModel({
    opset: 13,
    inputs: [{ name: input, dims: [1, channels, 'height', 'width'] }],
    outputs: [{ name: output, dims: [1, 1, 'height', 'width'] }],
    // Adding a [1, 1, 3, 4] constant only broadcasts over a 3×4 (h × w) grid.
    zeros: [{ name: 'fixed_grid', dims: [1, 1, 3, 4] }],
    nodes: [
      { op: 'ReduceMean', inputs: [input], outputs: ['mean'], ints: { axes: [1] } },
      { op: 'Add', inputs: ['mean', 'fixed_grid'], outputs: ['on_grid'] },
      { op: 'Sigmoid', inputs: ['on_grid'], outputs: [output] },
    ],
  });
  writeFileSync(join(dir, manifest.flow.file), flow);
  manifest.name = 'fixed-grid-flow';
  manifest.files[manifest.flow.file] = { bytes: flow.length, sha256: await sha256Hex(flow) };
  writeFileSync(manifestPath, JSON.stringify(manifest));
}
