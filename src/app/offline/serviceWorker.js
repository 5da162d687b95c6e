/* global self, caches, BUILD_ID, APP_FILES, BUNDLE_MANIFESTS */
/**
 * Keeps the app usable offline after the first visit. The build prepends BUILD_ID, APP_FILES
 * (every file of the build except model bundles, relative to this script) and BUNDLE_MANIFESTS
 * (the manifests of the bundles the build ships, such as the demo's).
 * Model files are cached by the app itself (by URL and hash); here only their manifests are
 * kept, so a bundle can be reopened without the network. Responses keep their headers, so a page
 * served from this cache stays cross-origin isolated.
 */
const APP_CACHE = `flowclas-app-${BUILD_ID}`;
const MANIFEST_CACHE = 'flowclas-manifests';

/**
 * Stores these files one by one: a file the host does not serve (say, a removed sample) must not
 * keep the rest of the app from working offline.
 */
async function precache(cacheName, files) {
  const cache = await caches.open(cacheName);
  await Promise.allSettled(files.map((file) => cache.add(file)));
}

self.addEventListener('install', (event) => {
  event.waitUntil(
    Promise.all([
      precache(APP_CACHE, ['./', ...APP_FILES]),
      // The first visit fetched these before this worker controlled the page.
      precache(MANIFEST_CACHE, BUNDLE_MANIFESTS),
    ]).then(() => self.skipWaiting()),
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

/**
 * The cached copy of a same-origin file, looked up by URL alone. Servers may answer with
 * `Vary: Origin` (vite preview does), and the page asks for its script and stylesheet with
 * `crossorigin`, so those requests carry headers the precache requests did not: a lookup that
 * honoured Vary would miss, and the app would open offline as a blank page. The app's own files
 * do not differ by origin or any other request header.
 */
async function cachedCopy(cacheName, url) {
  const cache = await caches.open(cacheName);
  return cache.match(url, { ignoreVary: true });
}

/** Network first, so a new build or bundle is seen at once; the cached copy when offline. */
async function networkFirst(request, cacheName, url = request.url) {
  let response;
  try {
    response = await fetch(request);
  } catch (error) {
    const cached = await cachedCopy(cacheName, url);
    if (cached) return cached;
    throw error;
  }
  if (response.ok) {
    // A response the cache refuses (say, one with `Vary: *`) still reaches the page.
    const copy = response.clone();
    await caches
      .open(cacheName)
      .then((cache) => cache.put(url, copy))
      .catch(() => undefined);
  }
  return response;
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
  event.respondWith(cachedCopy(APP_CACHE, request.url).then((cached) => cached ?? fetch(request)));
});
