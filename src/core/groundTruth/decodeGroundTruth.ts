import { requireValidLabels } from '../checks';
import { refuseEmptyFile } from '../io/emptyFile';
import { decodeNpy, labelMapFromNpy } from '../io/npy';
import { labelMapFromPng } from '../io/png';
import type { LabelMap } from '../types';
import { extensionOf } from './pairByName';

/**
 * A ground-truth file's labels, decoded from its bytes by its extension (`.npy`, else PNG) and
 * checked to hold only 0, 1 and 255. Never through a canvas: colour management would change
 * label values. `name` names the file in errors.
 */
export function labelMapFromGroundTruthFile(bytes: Uint8Array, name: string): LabelMap {
  refuseEmptyFile(bytes.length, name);
  const labels =
    extensionOf(name) === 'npy'
      ? labelMapFromNpy(decodeNpy(bytes, name), name)
      : labelMapFromPng(bytes, name);
  requireValidLabels(labels, name);
  return labels;
}
