/** `npm run bench`: every benchmark, one after the other, printed as tables. */
import type { BenchRow } from './benchKit';

const benchmarks: [string, () => Promise<{ main: () => Promise<BenchRow[]> }>][] = [
  ['Mask smoothing vs the numpy reference', () => import('./smoothing')],
  ['Metrics throughput', () => import('./metrics')],
  [
    'Automatic masks: fast vs exact path on the same decoder outputs',
    () => import('./automaticMasks'),
  ],
  ['Pipeline per stage: onnxruntime-node, browser WASM, PyTorch', () => import('./pipeline')],
  ['CLI at dataset scale: one process vs two shards', () => import('./cliThroughput')],
  ['Real-size models: load, memory and time per weight variant', () => import('./realSize')],
  ['WebGPU engines: JSEP vs native, self-check and speed', () => import('./webgpuEngines')],
  ['One 8000×6000 photo in the app: memory and bytes crossing threads', () => import('./bigPhoto')],
];

for (const [title, load] of benchmarks) {
  console.log(`\n## ${title}`);
  const rows = await (await load()).main();
  for (const row of rows) console.log(`${row.name.padEnd(48)} ${row.value}`);
}
