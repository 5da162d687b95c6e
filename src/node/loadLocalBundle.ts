/** A bundle for Node tools: a folder, manifest path or URL, loaded through the Node file source. */
import { loadBundle, type LoadedBundle } from '../core/bundle/loadBundle';
import { choosePrecisions, type PrecisionPreference } from '../core/runtime/weightPrecision';
import { createNodeFileSource, manifestUrlFor } from './fileSource';

export interface LocalBundleOptions {
  /** Weight variant for onnxruntime-node's CPU provider; `auto` and the default mean fp32. */
  precision?: PrecisionPreference;
}

export function loadLocalBundle(
  location: string,
  options: LocalBundleOptions = {},
): Promise<LoadedBundle> {
  return loadBundle({
    manifestUrl: manifestUrlFor(location),
    source: createNodeFileSource(),
    choosePrecisions: (manifest) =>
      choosePrecisions(manifest, {
        provider: 'cpu',
        shaderF16: false,
        preference: options.precision ?? 'auto',
      }),
  });
}
