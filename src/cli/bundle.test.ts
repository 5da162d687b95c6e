/** `flowclas bundle init` and `flowclas bundle check` on real folders, as a user runs them. */
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import sirv from 'sirv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeImage } from '../core/analysis';
import type { BundleManifest } from '../core/bundle/manifestSchema';
import { parseManifest } from '../core/bundle/parseManifest';
import { maxAbsDifference } from '../core/numeric';
import { createBundleSessions } from '../core/runtime/sessions';
import { readGoldens } from '../core/testing/goldens';
import { loadLocalBundle } from '../node/loadLocalBundle';
import { ortNodeApi } from '../node/ortNode';
import { repositoryRoot, runCli } from './testing/runCli';

const fixtureBundles = resolve(repositoryRoot, 'fixtures/bundles');
const externalDataBundle = resolve(repositoryRoot, 'fixtures/external-data');
const variants = readdirSync(fixtureBundles).sort();

let workDir: string;
beforeAll(() => {
  workDir = mkdtempSync(join(tmpdir(), 'flowclas-bundle-cli-'));
});
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

const readManifest = (folder: string): BundleManifest => {
  const path = join(folder, 'manifest.json');
  return parseManifest(readFileSync(path, 'utf8'), path);
};

/** A copy of a bundle's model files (no manifest, no goldens) in a fresh folder. */
function modelsOnly(source: string, name: string): string {
  const folder = join(workDir, name);
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder);
  for (const file of readdirSync(source)) {
    if (file.includes('.onnx')) copyFileSync(join(source, file), join(folder, file));
  }
  return folder;
}

/** A full copy of a bundle whose manifest `edit` changes (hashes untouched). */
function editedCopy(source: string, name: string, edit: (manifest: BundleManifest) => void) {
  const folder = join(workDir, name);
  rmSync(folder, { recursive: true, force: true });
  cpSync(source, folder, { recursive: true });
  const manifest = readManifest(folder);
  edit(manifest);
  writeFileSync(join(folder, 'manifest.json'), JSON.stringify(manifest, null, 2));
  return folder;
}

/** The flags for what no graph tells: the resize policy and the name. */
function flagsFor(manifest: BundleManifest): string[] {
  const { resize } = manifest.backbone;
  const flags = ['--name', manifest.name];
  if (resize.mode === 'stretch') flags.push('--stretch', `${resize.size[0]}x${resize.size[1]}`);
  else if (resize.maxSide) flags.push('--max-side', String(resize.maxSide));
  return flags;
}

/** Every field `bundle init` writes from the graphs, probe runs and the flags above. */
function inferable(manifest: BundleManifest) {
  const { backbone, flow, segmenter } = manifest;
  return {
    name: manifest.name,
    backbone,
    flow: { ...flow, steps: undefined, parameters: undefined },
    segmenter: segmenter && { ...segmenter, amg: undefined },
    files: manifest.files,
  };
}

async function scoreMapOf(folder: string, goldenFolder: string) {
  const bundle = await loadLocalBundle(folder);
  const sessions = await createBundleSessions(ortNodeApi, bundle, 'cpu');
  try {
    const goldens = readGoldens(goldenFolder);
    const result = await analyzeImage(ortNodeApi, sessions, bundle.manifest, goldens.image, {
      withMasks: false,
    });
    return { actual: result.scoreMap.data, expected: goldens.array('score').data };
  } finally {
    await sessions.release();
  }
}

describe('flowclas bundle init', () => {
  it.each(variants)(
    'rebuilds the %s fixture manifest from its ONNX files, and the bundle scores the golden image',
    async (variant) => {
      const source = join(fixtureBundles, variant);
      const original = readManifest(source);
      const folder = modelsOnly(source, `init-${variant}`);
      const result = await runCli('bundle', 'init', folder, ...flagsFor(original));
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      const written = readManifest(folder);
      expect(inferable(written)).toEqual(inferable(original));
      // Single-prompt decoders get batches of one; everything else SAM 2's defaults.
      expect(written.segmenter?.amg.pointsPerBatch).toBe(
        original.segmenter?.decoder.batchedPrompts ? 64 : 1,
      );
      expect(result.stdout).toMatch(/Wrote .*manifest\.json: 4 models, 4 files/);
      expect(result.stdout).toMatch(/--domain TEXT/);
      if (original.backbone.resize.mode === 'pad' && !original.backbone.resize.maxSide) {
        expect(result.stdout).toMatch(/resize: pad .*\(--max-side N, or --stretch HxW\)/);
      }
      const { actual, expected } = await scoreMapOf(folder, join(source, 'golden'));
      expect(maxAbsDifference(actual, expected)).toBeLessThanOrEqual(1e-4);
    },
    60_000,
  );

  it('lists external-data chunks and fp16 / int8 variants, as the fixture script wrote them', async () => {
    const original = readManifest(externalDataBundle);
    const folder = modelsOnly(externalDataBundle, 'init-external-data');
    const result = await runCli('bundle', 'init', folder, ...flagsFor(original));
    expect(result.code).toBe(0);
    const written = readManifest(folder);
    expect(written.backbone.externalData).toEqual(['backbone.onnx.data.0', 'backbone.onnx.data.1']);
    expect(written.backbone.variants).toEqual({
      fp16: { file: 'backbone.fp16.onnx', externalData: ['backbone.fp16.onnx.data'] },
    });
    expect(written.flow.variants).toEqual({ int8: { file: 'flow.int8.onnx' } });
    expect(inferable(written)).toEqual(inferable(original));
    expect(result.stdout).toMatch(
      /external data of backbone\.onnx: backbone\.onnx\.data\.0, backbone\.onnx\.data\.1\n/,
    );
    expect(result.stdout).toMatch(
      /fp16 variant of backbone\.onnx: backbone\.fp16\.onnx with external data backbone\.fp16\.onnx\.data\n/,
    );
    // Same fp32 weights as tokens-cls, stored externally: the same score map.
    const { actual, expected } = await scoreMapOf(
      folder,
      join(fixtureBundles, 'tokens-cls/golden'),
    );
    expect(maxAbsDifference(actual, expected)).toBeLessThanOrEqual(1e-4);
  }, 60_000);

  it('says which file it could not place and which role is missing, and writes nothing', async () => {
    const folder = modelsOnly(join(fixtureBundles, 'tokens-cls'), 'init-incomplete');
    rmSync(join(folder, 'flow.onnx'));
    copyFileSync(
      resolve(repositoryRoot, 'fixtures/models/vector-sum.onnx'),
      join(folder, 'vector-sum.onnx'),
    );
    const result = await runCli('bundle', 'init', folder);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /vector-sum\.onnx: not recognised as any model \(inputs a \[2\], b \[2\]; outputs c \[2\]\)/,
    );
    expect(result.stdout).toMatch(/name its role with --backbone, --flow, --encoder or --decoder/);
    expect(result.stdout).toMatch(/No flow found .* name it with --flow FILE/);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/no manifest written: No flow found/);
    expect(existsSync(join(folder, 'manifest.json'))).toBe(false);
  }, 60_000);

  it('takes a role from a flag, and refuses a file that cannot play it', async () => {
    const folder = modelsOnly(join(fixtureBundles, 'tokens-cls'), 'init-forced');
    const result = await runCli('bundle', 'init', folder, '--flow', 'backbone.onnx');
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /backbone\.onnx cannot be the flow: a flow maps \[1, C, h, w\] to \[1, 1, h, w\]/,
    );
  }, 60_000);

  it('keeps an existing manifest unless --force is given', async () => {
    const folder = join(workDir, 'init-existing');
    cpSync(join(fixtureBundles, 'decoder-single'), folder, { recursive: true });
    const before = readFileSync(join(folder, 'manifest.json'), 'utf8');
    const refused = await runCli('bundle', 'init', folder);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/manifest\.json already exists; pass --force to overwrite it/);
    expect(readFileSync(join(folder, 'manifest.json'), 'utf8')).toBe(before);
    const forced = await runCli('bundle', 'init', folder, '--force', '--domain', 'roads');
    expect(forced.code).toBe(0);
    expect(readManifest(folder).domain).toBe('roads');
  }, 60_000);
});

describe('flowclas bundle check', () => {
  it.each([...variants.map((variant) => `bundles/${variant}`), 'external-data'])(
    'passes fixtures/%s and lists every model and variant with its probe output',
    async (fixture) => {
      const folder = resolve(repositoryRoot, 'fixtures', fixture);
      const manifest = readManifest(folder);
      const result = await runCli('bundle', 'check', folder);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/is a valid bundle; \d+ files .* match their SHA-256/);
      const rows = result.stdout.trim().split('\n').slice(2);
      const expectedRows = [
        ['backbone', manifest.backbone],
        ['flow', manifest.flow],
        ['segmenter encoder', manifest.segmenter?.encoder],
        ['segmenter decoder', manifest.segmenter?.decoder],
      ].flatMap(([role, entry]) =>
        entry && typeof entry === 'object'
          ? [
              ['fp32', entry.file],
              ...Object.entries(entry.variants ?? {}).map(([p, v]) => [p, v?.file]),
            ].map(([precision, file]) => `${String(role)} ${precision} ${file}`)
          : [],
      );
      expect(
        rows.map((row) =>
          row
            .split(/\s{2,}/)
            .slice(0, 3)
            .join(' '),
        ),
      ).toEqual(expectedRows);
    },
    60_000,
  );

  it('names the model and the tensor when a manifest points a role at the wrong model', async () => {
    const folder = editedCopy(join(fixtureBundles, 'tokens-cls'), 'check-swapped', (manifest) => {
      [manifest.backbone.file, manifest.flow.file] = [manifest.flow.file, manifest.backbone.file];
    });
    const result = await runCli('bundle', 'check', folder);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /The backbone model does not match the bundle manifest: tensor "pixel_values" should be an input, but the model has inputs "features"/,
    );
  }, 60_000);

  it('names a misnamed output tensor', async () => {
    const folder = editedCopy(join(fixtureBundles, 'map'), 'check-misnamed', (manifest) => {
      manifest.flow.output = 'log_likelihood';
    });
    const result = await runCli('bundle', 'check', folder);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/The flow model .* tensor "log_likelihood" should be an output/);
  }, 60_000);

  it('finds in the probe run what the session metadata cannot show: a wrong prefix-token count', async () => {
    const folder = editedCopy(join(fixtureBundles, 'tokens-reg4'), 'check-prefix', (manifest) => {
      manifest.backbone.prefixTokens = 1;
    });
    const result = await runCli('bundle', 'check', folder);
    expect(result.code).toBe(1);
    // The probe image (61×47, padded to 70×56) is 5×4 patches: 20 + 1 tokens expected, 20 + 5 given.
    expect(result.stderr).toMatch(
      /The backbone model .* tensor "last_hidden_state" should be shaped \[1, 21, 32\] for a 70×56 input .* but the model has output \[1, 25, 32\]/,
    );
  }, 60_000);

  it('names the model and the tensor when a single-prompt decoder is declared batched', async () => {
    const folder = editedCopy(join(fixtureBundles, 'decoder-single'), 'check-batch', (manifest) => {
      if (manifest.segmenter) {
        manifest.segmenter.decoder.batchedPrompts = true;
        manifest.segmenter.amg.pointsPerBatch = 4;
      }
    });
    const result = await runCli('bundle', 'check', folder);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /The segmenter decoder model failed on the probe run \(a batch of 4 prompt\(s\)\): .*point_coords/,
    );
  }, 60_000);

  it('names the file whose bytes differ from the manifest', async () => {
    const folder = join(workDir, 'check-corrupt');
    cpSync(externalDataBundle, folder, { recursive: true });
    const chunk = join(folder, 'backbone.onnx.data.1');
    const bytes = readFileSync(chunk);
    bytes[100] = (bytes[100] ?? 0) ^ 0xff;
    writeFileSync(chunk, bytes);
    const result = await runCli('bundle', 'check', folder);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /backbone\.onnx\.data\.1 does not match the manifest \(expected SHA-256 [0-9a-f]{64}, got [0-9a-f]{64}\)/,
    );
  }, 60_000);

  describe('over http', () => {
    let server: Server;
    let origin: string;
    beforeAll(async () => {
      const corrupt = join(workDir, 'served-corrupt');
      cpSync(externalDataBundle, corrupt, { recursive: true });
      writeFileSync(join(corrupt, 'flow.int8.onnx'), 'not the int8 flow');
      const external = sirv(externalDataBundle, { dev: true });
      const corrupted = sirv(corrupt, { dev: true });
      server = createServer((request, response) => {
        const [, folder, ...rest] = (request.url ?? '').split('/');
        request.url = `/${rest.join('/')}`;
        const serve = folder === 'external-data' ? external : corrupted;
        serve(request, response, () => {
          response.statusCode = 404;
          response.end();
        });
      });
      await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
      origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(() => new Promise<void>((done) => server.close(() => done())));

    it('downloads, verifies and probes a bundle from a URL', async () => {
      const result = await runCli('bundle', 'check', `${origin}/external-data/`);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/"fixture-external-data" is a valid bundle; 7 files/);
      expect(result.stdout).toMatch(/flow +int8 +flow\.int8\.onnx/);
    }, 60_000);

    it('names the downloaded file that does not match', async () => {
      const result = await runCli('bundle', 'check', `${origin}/corrupt/manifest.json`);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(
        /flow\.int8\.onnx does not match the manifest \(expected \d+ bytes, got 17\)/,
      );
    }, 60_000);
  });
});
