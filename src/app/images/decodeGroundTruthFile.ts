/**
 * Ground truth is decoded from its bytes (fast-png / npy), never through a canvas: colour
 * management would change label values.
 */
import { decodeNpy, labelMapFromNpy } from '../../core/io/npy';
import { assertValidLabels, labelMapFromPng } from '../../core/io/png';
import type { LabelMap } from '../../core/types';
import { extensionOf } from './imageFileKinds';

export async function decodeGroundTruthFile(file: Blob, name: string): Promise<LabelMap> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  const labels =
    extensionOf(name) === 'npy'
      ? labelMapFromNpy(decodeNpy(bytes, name), name)
      : labelMapFromPng(bytes, name);
  assertValidLabels(labels, name);
  return labels;
}
