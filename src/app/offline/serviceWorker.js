/* global self, caches, BUILD_ID, APP_FILES */
/**
 * Keeps the app usable offline after the first visit. The build prepends BUILD_ID and
 * APP_FILES (every file of the build except model bundles, relative to this script).
 * Model files are cached by the app itself (by URL and hash); here only their manifests are
 * kept, so a bundle can be reopened without the network. Responses keep their headers, so a page
 * served from this cache stays cross-origin isolated.
 */
const APP_CACHE = `flowclas-app-${BUILD_ID}`;
const MANIFEST_CACHE = 'flowclas-manifests';

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(APP_CACHE)
      // One by one: a file the host does not serve (say, a removed sample) must not keep the
      // rest of the app from working offline.
      .then((cache) => Promise.allSettled(['./', ...APP_FILES].map((file) => cache.add(file))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(
          names
            .filter((name) => name.startsWith('flowclas-app-') && name !== APP_CACHE)
            .map((name) => caches.delete(name)),
        ),
      )
      .then(() => self.clients.claim()),
  );
});

/** Network first, so a new build or bundle is seen at once; the cached copy when offline. */
async function networkFirst(request, cacheName, fallbackUrl) {
  try {
    const response = await fetch(request);
    if (response.ok) {
      const cache = await caches.open(cacheName);
      await cache.put(fallbackUrl ?? request, response.clone());
    }
    return response;
  } catch (error) {
    const cached = await caches.match(fallbackUrl ?? request);
    if (cached) return cached;
    throw error;
  }
}

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  const scope = new URL('./', self.location.href);
  if (url.origin !== scope.origin) return;
  if (request.mode === 'navigate' && url.href.startsWith(scope.href)) {
    event.respondWith(networkFirst(request, APP_CACHE, scope.href));
    return;
  }
  if (url.pathname.endsWith('/manifest.json')) {
    event.respondWith(networkFirst(request, MANIFEST_CACHE));
    return;
  }
  // Hashed build files never change under one name: the cache answers first.
  event.respondWith(caches.match(request).then((cached) => cached ?? fetch(request)));
});
