/** Bundle files for Node: local paths and file: URLs from disk, http(s) URLs through fetch. */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { BundleFetchError } from '../core/bundle/bundleErrors';
import { createFetchSource, type BundleFileSource } from '../core/bundle/fileSource';

/** A bundle folder, manifest path or URL, as the URL of its manifest. */
export function manifestUrlFor(location: string): string {
  if (/^(https?|file):\/\//.test(location)) {
    return location.endsWith('.json') ? location : `${location.replace(/\/?$/, '/')}manifest.json`;
  }
  const path = resolve(location);
  return pathToFileURL(path.endsWith('.json') ? path : `${path}/manifest.json`).href;
}

async function readLocal(url: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(fileURLToPath(url)));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new BundleFetchError(
      fileURLToPath(url),
      code === 'ENOENT' ? 'file not found' : String(code),
    );
  }
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
      const bytes = await readLocal(url);
      onProgress?.({ loadedBytes: bytes.length, totalBytes: expectedBytes });
      return bytes;
    },
  };
}
