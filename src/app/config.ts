/** Where the app finds its bundled assets: relative to the page, so any subpath works. */

export const hasDemoBundle =
  typeof __FLOWCLAS_DEMO_BUNDLE__ !== 'undefined' && __FLOWCLAS_DEMO_BUNDLE__ === true;

export const demoManifestUrl = () => new URL('models/demo/manifest.json', document.baseURI).href;

export const samplesIndexUrl = () => new URL('samples/index.json', document.baseURI).href;

/** `?manifest=URL` opens that bundle instead of the demo (links to a bundle can be shared). */
export function initialManifestUrl(): string | null {
  const requested = new URLSearchParams(location.search).get('manifest');
  if (requested) return new URL(requested, document.baseURI).href;
  return hasDemoBundle ? demoManifestUrl() : null;
}
