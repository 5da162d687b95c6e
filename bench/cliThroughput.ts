/**
 * `flowclas score --no-masks` at benchmark size: synthetic 2048 × 1024 JPEGs with ground truth,
 * one process against two shard processes side by side, and what the run manifest, a --resume
 * check and `metrics merge` cost. FLOWCLAS_BENCH_IMAGES sets the number of images (default 20).
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import sharp from 'sharp';
import { labelMapToPng } from '../src/core/io/png';
import { median, type BenchRow } from './benchKit';

const root = resolve(import.meta.dirname, '..');
const [width, height] = [2048, 1024];

async function writeDataset(folder: string, count: number): Promise<void> {
  const labels = new Uint8Array(width * height);
  for (let y = 600; y < 700; y++) labels.fill(1, y * width + 900, y * width + 1100);
  const groundTruth = labelMapToPng({ width, height, data: labels });
  for (let i = 0; i < count; i++) {
    // Smooth colour plus noise, different per image: realistic JPEG sizes and decode work.
    const noise = Buffer.alloc(width * height * 3);
    for (let p = 0; p < noise.length; p++) noise[p] = ((p * 2654435761 + i * 97) >>> 24) & 0xff;
    const name = `frame_${String(i).padStart(4, '0')}`;
    await sharp(noise, { raw: { width, height, channels: 3 } })
      .blur(3)
      .jpeg({ quality: 90 })
      .toFile(join(folder, `${name}.jpg`));
    await sharp(groundTruth).toFile(join(folder, `${name}_gt.png`));
  }
}

function cli(args: string[]): Promise<number> {
  const started = performance.now();
  return new Promise((done, fail) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', resolve(root, 'src/cli/main.ts'), ...args],
      { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] },
    );
    child.once('error', fail);
    child.once('exit', (code) =>
      code === 0 ? done(performance.now() - started) : fail(new Error(`exit ${code}`)),
    );
  });
}

export async function main(): Promise<BenchRow[]> {
  const count = Number(process.env.FLOWCLAS_BENCH_IMAGES ?? 20);
  const work = mkdtempSync(join(tmpdir(), 'flowclas-cli-bench-'));
  try {
    const images = join(work, 'images');
    await import('node:fs').then((fs) => fs.mkdirSync(images));
    await writeDataset(images, count);
    const common = [
      'score',
      '--bundle',
      'public/models/demo',
      '--no-masks',
      '--thresholds',
      '5000',
    ];
    const single = await cli([...common, '--out', join(work, 'single'), images]);
    const sharded = await Promise.all(
      ['1/2', '2/2'].map((shard, i) =>
        cli([...common, '--shard', shard, '--out', join(work, `shard${i + 1}`), images]),
      ),
    );
    const shardedWall = Math.max(...sharded);
    const resume = await cli([...common, '--resume', '--out', join(work, 'single'), images]);
    const mergedFile = join(work, 'merged.json');
    const merge = await cli([
      'metrics',
      'merge',
      join(work, 'shard1'),
      join(work, 'shard2'),
      '--out',
      mergedFile,
    ]);
    const same =
      readFileSync(mergedFile, 'utf8') === readFileSync(join(work, 'single/metrics.json'), 'utf8');

    // The manifest's own work per image: hash the input, append one line.
    const inputs = readdirSync(images).filter((name) => name.endsWith('.jpg'));
    const manifestMs = inputs.map((name) => {
      const started = performance.now();
      const bytes = readFileSync(join(images, name));
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      appendFileSync(join(work, 'records.jsonl'), `${JSON.stringify({ name, sha256 })}\n`);
      return performance.now() - started;
    });
    const perImage = (ms: number) => `${(ms / count / 1000).toFixed(2)} s/image`;
    return [
      { name: `images (${width}×${height} JPEG, --no-masks)`, value: String(count) },
      { name: '1 process: wall', value: `${(single / 1000).toFixed(1)} s (${perImage(single)})` },
      {
        name: '2 shard processes: wall',
        value: `${(shardedWall / 1000).toFixed(1)} s (${perImage(shardedWall)}, ${(single / shardedWall).toFixed(2)}× faster)`,
      },
      {
        name: 'run manifest per image (hash + append)',
        value: `${median(manifestMs).toFixed(1)} ms`,
      },
      { name: '--resume over the finished run: wall', value: `${(resume / 1000).toFixed(1)} s` },
      { name: 'metrics merge of 2 shards: wall', value: `${(merge / 1000).toFixed(1)} s` },
      { name: 'merge equals the single run', value: same ? 'yes' : 'NO' },
    ];
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const row of await main()) console.log(`${row.name.padEnd(48)} ${row.value}`);
}
