import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BundleFetchError, IntegrityError, ManifestIsHtmlError } from './bundleErrors';
import { createMemoryCache, type BundleFileCache } from './fileCache';
import { createFetchSource } from './fileSource';
import { loadBundle, resolveBundleUrl, type BundleLoadEvent } from './loadBundle';
import { ManifestError } from './parseManifest';
import { sha256Hex } from './sha256';
import { validManifest } from './testdata/validManifest';

/** A tiny static host with a request log, so tests can see what went over the network. */
const served = new Map<string, Uint8Array>();
const requests: string[] = [];
let server: Server;
let origin: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    requests.push(request.url ?? '');
    const body = served.get(request.url ?? '');
    if (!body) {
      response.statusCode = 404;
      response.statusMessage = 'Not Found';
      response.end();
      return;
    }
    response.setHeader('Content-Length', body.length);
    response.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const fileBytes = (seed: number, length: number) =>
  Uint8Array.from({ length }, (_, i) => (i * 31 + seed) % 251);

async function publishBundle(
  folder: string,
  options: { corrupt?: string; withVariants?: boolean } = {},
) {
  const manifest = validManifest();
  delete manifest.segmenter;
  manifest.files = {};
  const contents: Record<string, Uint8Array> = {
    'backbone.onnx': fileBytes(1, 70_000),
    'flow.onnx': fileBytes(2, 5_000),
  };
  if (options.withVariants) {
    Object.assign(manifest.backbone, {
      externalData: ['backbone.onnx.data.0', 'backbone.onnx.data.1'],
      variants: { int8: { file: 'backbone.int8.onnx', externalData: ['backbone.int8.onnx.data'] } },
    });
    Object.assign(contents, {
      'backbone.onnx.data.0': fileBytes(3, 300_000),
      'backbone.onnx.data.1': fileBytes(4, 200_000),
      'backbone.int8.onnx': fileBytes(5, 60_000),
      'backbone.int8.onnx.data': fileBytes(6, 120_000),
    });
  }
  for (const [name, bytes] of Object.entries(contents)) {
    manifest.files[name] = { bytes: bytes.length, sha256: await sha256Hex(bytes) };
    const published = name === options.corrupt ? bytes.map((b) => b ^ 1) : bytes;
    served.set(`/${folder}/${name}`, published);
  }
  served.set(`/${folder}/manifest.json`, new TextEncoder().encode(JSON.stringify(manifest)));
  return { manifestUrl: `${origin}/${folder}/manifest.json`, contents };
}

beforeEach(() => {
  requests.length = 0;
});

describe('loadBundle', () => {
  it('resolves files relative to the manifest', () => {
    expect(resolveBundleUrl('https://h.org/app/models/demo/manifest.json', 'flow.onnx')).toBe(
      'https://h.org/app/models/demo/flow.onnx',
    );
  });

  it('downloads and verifies every file with byte progress, then serves them from the cache', async () => {
    const { manifestUrl, contents } = await publishBundle('ok');
    const cache = createMemoryCache();
    const events: BundleLoadEvent[] = [];
    const bundle = await loadBundle({
      manifestUrl,
      source: createFetchSource(),
      cache,
      onEvent: (event) => events.push(event),
    });
    expect(bundle.files.get('backbone.onnx')).toEqual(contents['backbone.onnx']);
    expect(bundle.files.get('flow.onnx')).toEqual(contents['flow.onnx']);
    const backboneProgress = events.filter(
      (event) => event.kind === 'progress' && event.file === 'backbone.onnx',
    );
    expect(backboneProgress.at(-1)).toMatchObject({ loadedBytes: 70_000, totalBytes: 70_000 });
    expect(requests).toEqual(['/ok/manifest.json', '/ok/backbone.onnx', '/ok/flow.onnx']);

    requests.length = 0;
    const again: BundleLoadEvent[] = [];
    await loadBundle({
      manifestUrl,
      source: createFetchSource(),
      cache,
      onEvent: (event) => again.push(event),
    });
    expect(requests).toEqual(['/ok/manifest.json']);
    expect(again.filter((event) => event.kind === 'file-ready')).toEqual([
      { kind: 'file-ready', file: 'backbone.onnx', bytes: 70_000, fromCache: true },
      { kind: 'file-ready', file: 'flow.onnx', bytes: 5_000, fromCache: true },
    ]);
  });

  it('rejects a file whose hash differs from the manifest', async () => {
    const { manifestUrl } = await publishBundle('corrupt', { corrupt: 'flow.onnx' });
    const loading = loadBundle({ manifestUrl, source: createFetchSource() });
    await expect(loading).rejects.toBeInstanceOf(IntegrityError);
    await expect(loading).rejects.toThrow(
      /flow\.onnx does not match the manifest \(expected SHA-256/,
    );
  });

  it('reports a missing file with its URL and the HTTP status', async () => {
    const { manifestUrl } = await publishBundle('missing');
    served.delete('/missing/flow.onnx');
    await expect(loadBundle({ manifestUrl, source: createFetchSource() })).rejects.toThrow(
      new BundleFetchError(`${origin}/missing/flow.onnx`, 'HTTP 404 Not Found'),
    );
  });

  it('reports a missing manifest and an invalid one', async () => {
    await expect(
      loadBundle({ manifestUrl: `${origin}/nowhere/manifest.json`, source: createFetchSource() }),
    ).rejects.toBeInstanceOf(BundleFetchError);
    served.set('/broken/manifest.json', new TextEncoder().encode('{"format": "other"}'));
    await expect(
      loadBundle({ manifestUrl: `${origin}/broken/manifest.json`, source: createFetchSource() }),
    ).rejects.toBeInstanceOf(ManifestError);
  });

  it('says when a manifest URL is answered by an HTML page, and fetches nothing else', async () => {
    // What a static host with a single-page-app fallback sends for a path it does not have.
    const fallbackPage = '\n<!doctype html>\n<html><head><title>App</title></head></html>\n';
    served.set('/typo/manifest.json', new TextEncoder().encode(fallbackPage));
    const manifestUrl = `${origin}/typo/manifest.json`;
    const loading = loadBundle({ manifestUrl, source: createFetchSource() });
    await expect(loading).rejects.toBeInstanceOf(ManifestIsHtmlError);
    await expect(loading).rejects.toThrow(
      `${manifestUrl} returned an HTML page, not a manifest: is the URL right? It should be ` +
        "the address of a bundle's manifest.json.",
    );
    expect(requests).toEqual(['/typo/manifest.json']);
  });

  it('keeps working in memory when the cache is full', async () => {
    const { manifestUrl } = await publishBundle('full');
    const fullCache: BundleFileCache = {
      kind: 'cache-storage',
      get: async () => undefined,
      put: async () => {
        throw new DOMException('quota exceeded', 'QuotaExceededError');
      },
    };
    const events: BundleLoadEvent[] = [];
    const bundle = await loadBundle({
      manifestUrl,
      source: createFetchSource(),
      cache: fullCache,
      onEvent: (event) => events.push(event),
    });
    expect(bundle.files.size).toBe(2);
    expect(events.filter((event) => event.kind === 'cache-unavailable')).toHaveLength(1);
  });

  it('fetches only the chosen precision of each model, external data included', async () => {
    const { manifestUrl, contents } = await publishBundle('variants', { withVariants: true });
    const events: BundleLoadEvent[] = [];
    const int8 = await loadBundle({
      manifestUrl,
      source: createFetchSource(),
      choosePrecisions: () => ({ backbone: 'int8', flow: 'int8' }),
      onEvent: (event) => events.push(event),
    });
    expect(int8.weights.backbone).toEqual({
      precision: 'int8',
      file: 'backbone.int8.onnx',
      externalData: ['backbone.int8.onnx.data'],
    });
    // The flow ships no int8 variant: its fp32 weights are used.
    expect(int8.weights.flow?.precision).toBe('fp32');
    expect(requests).toEqual([
      '/variants/manifest.json',
      '/variants/backbone.int8.onnx',
      '/variants/backbone.int8.onnx.data',
      '/variants/flow.onnx',
    ]);
    expect(events.find((event) => event.kind === 'plan')).toEqual({
      kind: 'plan',
      files: [
        { file: 'backbone.int8.onnx', bytes: 60_000 },
        { file: 'backbone.int8.onnx.data', bytes: 120_000 },
        { file: 'flow.onnx', bytes: 5_000 },
      ],
    });
    expect(int8.files.get('backbone.int8.onnx.data')).toEqual(contents['backbone.int8.onnx.data']);

    requests.length = 0;
    const fp32 = await loadBundle({ manifestUrl, source: createFetchSource() });
    expect(fp32.weights.backbone?.externalData).toEqual([
      'backbone.onnx.data.0',
      'backbone.onnx.data.1',
    ]);
    expect(fp32.files.get('backbone.onnx.data.1')).toEqual(contents['backbone.onnx.data.1']);
    expect(requests).not.toContain('/variants/backbone.int8.onnx');
  });

  it('names the external-data chunk whose hash differs', async () => {
    const { manifestUrl } = await publishBundle('bad-chunk', {
      withVariants: true,
      corrupt: 'backbone.onnx.data.1',
    });
    await expect(loadBundle({ manifestUrl, source: createFetchSource() })).rejects.toThrow(
      /backbone\.onnx\.data\.1 does not match the manifest/,
    );
  });

  it('stops between files when cancelled', async () => {
    const { manifestUrl } = await publishBundle('cancelled', { withVariants: true });
    const controller = new AbortController();
    const loading = loadBundle({
      manifestUrl,
      source: createFetchSource(),
      signal: controller.signal,
      onEvent: (event) => {
        if (event.kind === 'file-ready') controller.abort(new Error('cancelled by the user'));
      },
    });
    await expect(loading).rejects.toThrow('cancelled by the user');
    expect(requests).toEqual(['/cancelled/manifest.json', '/cancelled/backbone.onnx']);
  });
});
