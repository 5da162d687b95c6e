/**
 * Where downloaded bundle files are kept between visits. Keys contain the file's SHA-256, so a
 * changed model never hits a stale entry.
 */
export interface BundleFileCache {
  readonly kind: 'cache-storage' | 'memory';
  get(key: string): Promise<Uint8Array | undefined>;
  /** Throws when the store is full; callers fall back to memory. */
  put(key: string, bytes: Uint8Array): Promise<void>;
}

export function cacheKey(url: string, sha256: string): string {
  const separator = url.includes('?') ? '&' : '?';
  return `${url}${separator}sha256=${sha256}`;
}

export function createMemoryCache(): BundleFileCache {
  const entries = new Map<string, Uint8Array>();
  return {
    kind: 'memory',
    get: async (key) => entries.get(key),
    put: async (key, bytes) => {
      entries.set(key, bytes);
    },
  };
}

const cacheName = 'flowclas-bundles-v1';

/** Cache Storage (browser and worker); persists across visits, works offline. */
export function createCacheStorageCache(storage: CacheStorage): BundleFileCache {
  const open = () => storage.open(cacheName);
  return {
    kind: 'cache-storage',
    async get(key) {
      const response = await (await open()).match(key);
      return response ? new Uint8Array(await response.arrayBuffer()) : undefined;
    },
    async put(key, bytes) {
      const body = new Blob([bytes as Uint8Array<ArrayBuffer>]);
      await (await open()).put(key, new Response(body));
    },
  };
}
