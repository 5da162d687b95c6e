/** A bundle for Node tools: a folder, manifest path or URL, loaded through the Node file source. */
import {
  chooseWeights,
  fetchManifest,
  loadBundle,
  loadWeights,
  type LoadedBundle,
} from '../core/bundle/loadBundle';
import type { BundleManifest } from '../core/bundle/manifestSchema';
import { createSessionsModelByModel, type BundleSessions } from '../core/runtime/sessions';
import { choosePrecisions, type PrecisionPreference } from '../core/runtime/weightPrecision';
import { createNodeFileSource, manifestUrlFor } from './fileSource';
import { ortNodeApi } from './ortNode';

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

/** A bundle's validated manifest: a folder, manifest path or URL. */
export function readLocalManifest(location: string): Promise<BundleManifest> {
  return fetchManifest(createNodeFileSource(), manifestUrlFor(location));
}

/**
 * A local bundle's sessions on onnxruntime-node, created one model at a time: each model's files
 * are read (and hashed) just before its session and dropped right after, so the bytes outside
 * onnxruntime never exceed one model's.
 */
export async function openLocalBundle(
  location: string,
  options: LocalBundleOptions & { cpuThreads?: number } = {},
): Promise<{
  manifest: BundleManifest;
  weights: LoadedBundle['weights'];
  sessions: BundleSessions;
}> {
  const manifestUrl = manifestUrlFor(location);
  const source = createNodeFileSource();
  const manifest = await fetchManifest(source, manifestUrl);
  const precisions = choosePrecisions(manifest, {
    provider: 'cpu',
    shaderF16: false,
    preference: options.precision ?? 'auto',
  });
  const sessions = await createSessionsModelByModel(
    ortNodeApi,
    manifest,
    'cpu',
    (role) => loadWeights({ manifestUrl, manifest, source, precisions, roles: [role] }),
    options.cpuThreads,
  );
  return { manifest, weights: chooseWeights(manifest, precisions), sessions };
}
