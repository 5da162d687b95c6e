import { BundleFetchError } from './bundleErrors';

/** Byte progress of one file download, with the bytes that just arrived (for hashing). */
export interface DownloadProgress {
  loadedBytes: number;
  totalBytes: number;
  chunk: Uint8Array;
}

/** How bundle files are read: fetch in the browser, fetch or the file system in Node. */
export interface BundleFileSource {
  readText(url: string): Promise<string>;
  readBytes(
    url: string,
    expectedBytes: number,
    onProgress?: (progress: DownloadProgress) => void,
    signal?: AbortSignal,
  ): Promise<Uint8Array>;
}

async function fetchOk(url: string, signal?: AbortSignal): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url, { signal });
  } catch (error) {
    if (signal?.aborted) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new BundleFetchError(url, `network error (${reason})`);
  }
  if (!response.ok) {
    throw new BundleFetchError(url, `HTTP ${response.status} ${response.statusText}`.trim());
  }
  return response;
}

/** Streams a response into one buffer, sized from the manifest, reporting bytes as they arrive. */
async function readStreamed(
  response: Response,
  expectedBytes: number,
  onProgress?: (progress: DownloadProgress) => void,
): Promise<Uint8Array> {
  const reader = response.body?.getReader();
  if (!reader) {
    const whole = new Uint8Array(await response.arrayBuffer());
    onProgress?.({ loadedBytes: whole.length, totalBytes: expectedBytes, chunk: whole });
    return whole;
  }
  let buffer = new Uint8Array(expectedBytes);
  let loaded = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (loaded + value.length > buffer.length) {
      // Larger than the manifest says: keep reading; the integrity check will report it.
      const grown = new Uint8Array(Math.max(buffer.length * 2, loaded + value.length));
      grown.set(buffer.subarray(0, loaded));
      buffer = grown;
    }
    buffer.set(value, loaded);
    loaded += value.length;
    onProgress?.({ loadedBytes: loaded, totalBytes: expectedBytes, chunk: value });
  }
  return loaded === buffer.length ? buffer : buffer.slice(0, loaded);
}

export function createFetchSource(): BundleFileSource {
  return {
    async readText(url) {
      return (await fetchOk(url)).text();
    },
    async readBytes(url, expectedBytes, onProgress, signal) {
      return readStreamed(await fetchOk(url, signal), expectedBytes, onProgress);
    },
  };
}
