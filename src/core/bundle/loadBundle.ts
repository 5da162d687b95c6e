import { IntegrityError } from './bundleErrors';
import { cacheKey, createMemoryCache, type BundleFileCache } from './fileCache';
import type { BundleFileSource } from './fileSource';
import { referencedFiles, type BundleManifest } from './manifestSchema';
import { parseManifest } from './parseManifest';
import { sha256Hex } from './sha256';

/** A manifest and the verified bytes of every model file it names. */
export interface LoadedBundle {
  manifestUrl: string;
  manifest: BundleManifest;
  files: Map<string, Uint8Array>;
}

export type BundleLoadEvent =
  | { kind: 'manifest'; manifest: BundleManifest }
  | { kind: 'progress'; file: string; loadedBytes: number; totalBytes: number }
  | { kind: 'file-ready'; file: string; bytes: number; fromCache: boolean }
  | { kind: 'cache-unavailable'; message: string };

export interface LoadBundleOptions {
  manifestUrl: string;
  source: BundleFileSource;
  cache?: BundleFileCache;
  onEvent?: (event: BundleLoadEvent) => void;
  signal?: AbortSignal;
}

/** File URLs are relative to the manifest, so a bundle works from any folder or host. */
export function resolveBundleUrl(manifestUrl: string, file: string): string {
  return new URL(file, manifestUrl).href;
}

async function verify(
  file: string,
  bytes: Uint8Array,
  expected: { bytes: number; sha256: string },
) {
  if (bytes.length !== expected.bytes) {
    throw new IntegrityError(file, `expected ${expected.bytes} bytes, got ${bytes.length}`);
  }
  const actual = await sha256Hex(bytes);
  if (actual !== expected.sha256) {
    throw new IntegrityError(file, `expected SHA-256 ${expected.sha256}, got ${actual}`);
  }
}

/**
 * Fetches and validates the manifest, then every model file: from the cache when an entry
 * with the same URL and hash exists, else downloaded with byte progress, verified, and cached.
 * A full cache is not an error: files stay in memory and the caller is told.
 */
export async function loadBundle(options: LoadBundleOptions): Promise<LoadedBundle> {
  const { manifestUrl, source, onEvent, signal } = options;
  let cache = options.cache ?? createMemoryCache();
  const manifest = parseManifest(await source.readText(manifestUrl), manifestUrl);
  onEvent?.({ kind: 'manifest', manifest });

  const files = new Map<string, Uint8Array>();
  for (const [, file] of referencedFiles(manifest)) {
    if (files.has(file)) continue;
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
    const bytes = await source.readBytes(
      url,
      expected.bytes,
      (progress) => onEvent?.({ kind: 'progress', file, ...progress }),
      signal,
    );
    await verify(file, bytes, expected);
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
  return { manifestUrl, manifest, files };
}
