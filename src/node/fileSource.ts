/** Bundle files for Node: local paths and file: URLs from disk, http(s) URLs through fetch. */
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { BundleFetchError } from '../core/bundle/bundleErrors';
import {
  createFetchSource,
  type BundleFileSource,
  type DownloadProgress,
} from '../core/bundle/fileSource';

/** A bundle folder, manifest path or URL, as the URL of its manifest. */
export function manifestUrlFor(location: string): string {
  if (/^(https?|file):\/\//.test(location)) {
    return location.endsWith('.json') ? location : `${location.replace(/\/?$/, '/')}manifest.json`;
  }
  const path = resolve(location);
  return pathToFileURL(path.endsWith('.json') ? path : `${path}/manifest.json`).href;
}

function localReadError(url: string, error: unknown): BundleFetchError {
  const code = (error as NodeJS.ErrnoException).code;
  return new BundleFetchError(
    fileURLToPath(url),
    code === 'ENOENT' ? 'file not found' : String(code ?? error),
  );
}

async function readLocal(url: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(fileURLToPath(url)));
  } catch (error) {
    throw localReadError(url, error);
  }
}

/** Reads a file in chunks into one buffer of its size, reporting each chunk (model files are GBs). */
async function readLocalStreamed(
  url: string,
  expectedBytes: number,
  onProgress?: (progress: DownloadProgress) => void,
  signal?: AbortSignal,
): Promise<Uint8Array> {
  const path = fileURLToPath(url);
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch (error) {
    throw localReadError(url, error);
  }
  const bytes = new Uint8Array(size);
  let loaded = 0;
  try {
    for await (const chunk of createReadStream(path, { highWaterMark: 8 << 20, signal })) {
      const piece = chunk as Buffer;
      const copied = Math.min(piece.length, size - loaded);
      bytes.set(piece.subarray(0, copied), loaded);
      loaded += copied;
      onProgress?.({ loadedBytes: loaded, totalBytes: expectedBytes, chunk: piece });
    }
  } catch (error) {
    if (signal?.aborted) throw error;
    throw localReadError(url, error);
  }
  return bytes.subarray(0, loaded);
}

export function createNodeFileSource(): BundleFileSource {
  const remote = createFetchSource();
  return {
    async readText(url) {
      if (!url.startsWith('file:')) return remote.readText(url);
      return new TextDecoder().decode(await readLocal(url));
    },
    async readBytes(url, expectedBytes, onProgress, signal) {
      if (!url.startsWith('file:')) return remote.readBytes(url, expectedBytes, onProgress, signal);
      return readLocalStreamed(url, expectedBytes, onProgress, signal);
    },
  };
}
