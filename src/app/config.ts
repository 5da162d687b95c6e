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

/**
 * `?maxModelMB=N` tells the app this device takes models of at most N MB: bigger ones are refused
 * before download, as a model that does not fit would be (a low-memory device, or a test of it).
 */
export function maxModelBytesFromAddress(): number | undefined {
  const value = Number(new URLSearchParams(location.search).get('maxModelMB'));
  return Number.isFinite(value) && value > 0 ? value * 1e6 : undefined;
}
