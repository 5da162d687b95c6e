import type { WeightPrecision } from '../defaults';
import { IntegrityError, ManifestIsHtmlError } from './bundleErrors';
import { cacheKey, createMemoryCache, type BundleFileCache } from './fileCache';
import type { BundleFileSource } from './fileSource';
import { modelRoles, weightFilesOf, type BundleManifest, type ModelRole } from './manifestSchema';
import { parseManifest } from './parseManifest';
import { createStreamingSha256 } from './streamingSha256';

/** The files of the precision chosen for one model. */
export interface ModelWeights {
  precision: WeightPrecision;
  file: string;
  externalData: string[];
}

export type ChosenPrecisions = Partial<Record<ModelRole, WeightPrecision>>;

/** A manifest, the weights chosen for each of its models, and their verified bytes. */
export interface LoadedBundle {
  manifestUrl: string;
  manifest: BundleManifest;
  weights: Partial<Record<ModelRole, ModelWeights>>;
  /**
   * Bytes by file name. Sessions copy what they need, so whoever creates the sessions empties
   * this map afterwards: a model's bytes are then held once, inside onnxruntime.
   */
  files: Map<string, Uint8Array>;
}

/** One file to fetch, with its size from the manifest. */
export interface PlannedFile {
  file: string;
  bytes: number;
}

export type BundleLoadEvent =
  | { kind: 'manifest'; manifest: BundleManifest }
  | { kind: 'plan'; files: PlannedFile[] }
  | { kind: 'progress'; file: string; loadedBytes: number; totalBytes: number }
  | { kind: 'file-ready'; file: string; bytes: number; fromCache: boolean }
  | { kind: 'cache-unavailable'; message: string };

export interface LoadWeightsOptions {
  manifestUrl: string;
  manifest: BundleManifest;
  source: BundleFileSource;
  /** Per model; fp32 where unset or not shipped. */
  precisions?: ChosenPrecisions;
  /** Only these models' files (default: every model of the manifest). */
  roles?: readonly ModelRole[];
  cache?: BundleFileCache;
  onEvent?: (event: BundleLoadEvent) => void;
  signal?: AbortSignal;
}

export interface LoadBundleOptions extends Omit<LoadWeightsOptions, 'manifest'> {
  /** Picks the precisions once the manifest is known (defaults to `precisions`). */
  choosePrecisions?: (manifest: BundleManifest) => ChosenPrecisions;
}

/** File URLs are relative to the manifest, so a bundle works from any folder or host. */
export function resolveBundleUrl(manifestUrl: string, file: string): string {
  return new URL(file, manifestUrl).href;
}

/** JSON never starts with "<"; an HTML page (or any markup) does, after optional whitespace. */
const looksLikeMarkup = (text: string) => /^\uFEFF?\s*</.test(text);

export async function fetchManifest(
  source: BundleFileSource,
  manifestUrl: string,
): Promise<BundleManifest> {
  const text = await source.readText(manifestUrl);
  // Said before parsing: the JSON parser's "Unexpected token '<'" does not tell what happened.
  if (looksLikeMarkup(text)) throw new ManifestIsHtmlError(manifestUrl);
  return parseManifest(text, manifestUrl);
}

/** The files of the chosen precision of every model. */
export function chooseWeights(
  manifest: BundleManifest,
  precisions: ChosenPrecisions = {},
  roles: readonly ModelRole[] = modelRoles(manifest),
): LoadedBundle['weights'] {
  const weights: LoadedBundle['weights'] = {};
  for (const role of roles) {
    weights[role] = weightFilesOf(manifest, role, precisions[role] ?? 'fp32');
  }
  return weights;
}

/** Every file the chosen weights need, once each, with its size. */
export function plannedFiles(
  manifest: BundleManifest,
  weights: LoadedBundle['weights'],
): PlannedFile[] {
  const names = new Set<string>();
  for (const modelWeights of Object.values(weights)) {
    names.add(modelWeights.file);
    for (const file of modelWeights.externalData) names.add(file);
  }
  return [...names].map((file) => ({ file, bytes: manifest.files[file]?.bytes ?? 0 }));
}

/**
 * Fetches the files of the chosen weights: from the cache when an entry with the same URL and
 * hash exists, else streamed with byte progress into one buffer while being hashed, verified,
 * and cached. A full cache is not an error: files stay in memory and the caller is told.
 */
export async function loadWeights(options: LoadWeightsOptions): Promise<LoadedBundle> {
  const { manifestUrl, manifest, source, onEvent, signal } = options;
  let cache = options.cache ?? createMemoryCache();
  const weights = chooseWeights(manifest, options.precisions, options.roles);
  const planned = plannedFiles(manifest, weights);
  onEvent?.({ kind: 'plan', files: planned });

  const files = new Map<string, Uint8Array>();
  for (const { file } of planned) {
    signal?.throwIfAborted();
    const expected = manifest.files[file];
    if (!expected) throw new IntegrityError(file, 'no size and hash in the manifest');
    const url = resolveBundleUrl(manifestUrl, file);
    const key = cacheKey(url, expected.sha256);

    const cached = await cache.get(key);
    if (cached && cached.length === expected.bytes) {
      files.set(file, cached);
      onEvent?.({ kind: 'file-ready', file, bytes: cached.length, fromCache: true });
      continue;
    }
    const hash = await createStreamingSha256();
    // A GB file arrives in tens of thousands of chunks: report about every 0.5 % of it.
    const reportEvery = Math.max(1 << 20, expected.bytes / 200);
    let reported = 0;
    const bytes = await source.readBytes(
      url,
      expected.bytes,
      ({ loadedBytes, totalBytes, chunk }) => {
        hash.update(chunk);
        if (loadedBytes - reported < reportEvery && loadedBytes < totalBytes) return;
        reported = loadedBytes;
        onEvent?.({ kind: 'progress', file, loadedBytes, totalBytes });
      },
      signal,
    );
    if (bytes.length !== expected.bytes) {
      throw new IntegrityError(file, `expected ${expected.bytes} bytes, got ${bytes.length}`);
    }
    const actual = hash.digestHex();
    if (actual !== expected.sha256) {
      throw new IntegrityError(file, `expected SHA-256 ${expected.sha256}, got ${actual}`);
    }
    try {
      await cache.put(key, bytes);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      onEvent?.({
        kind: 'cache-unavailable',
        message: `Models could not be stored for offline use (${reason}); they stay in memory for this visit.`,
      });
      cache = createMemoryCache();
    }
    files.set(file, bytes);
    onEvent?.({ kind: 'file-ready', file, bytes: bytes.length, fromCache: false });
  }
  return { manifestUrl, manifest, weights, files };
}

/** Fetches and validates the manifest, then the files of the chosen weights (fp32 by default). */
export async function loadBundle(options: LoadBundleOptions): Promise<LoadedBundle> {
  const manifest = await fetchManifest(options.source, options.manifestUrl);
  options.onEvent?.({ kind: 'manifest', manifest });
  const precisions = options.choosePrecisions?.(manifest) ?? options.precisions;
  return loadWeights({ ...options, manifest, precisions });
}
