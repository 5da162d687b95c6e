/** A bundle for Node tools: a folder, manifest path or URL, loaded through the Node file source. */
import { loadBundle, type LoadedBundle } from '../core/bundle/loadBundle';
import { createNodeFileSource, manifestUrlFor } from './fileSource';

export function loadLocalBundle(location: string): Promise<LoadedBundle> {
  return loadBundle({ manifestUrl: manifestUrlFor(location), source: createNodeFileSource() });
}
