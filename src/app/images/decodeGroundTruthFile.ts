import { labelMapFromGroundTruthFile } from '../../core/groundTruth';
import type { LabelMap } from '../../core/types';

/** A dropped or fetched ground-truth file's labels (core's one decoder and label check). */
export async function decodeGroundTruthFile(file: Blob, name: string): Promise<LabelMap> {
  return labelMapFromGroundTruthFile(new Uint8Array(await file.arrayBuffer()), name);
}
