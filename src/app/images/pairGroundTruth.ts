/**
 * Pairs dropped images with their ground truth by name, with the rule the CLI uses too
 * (core/groundTruth: `x.png` + `x_gt.png`, or `images/x.png` + `masks/x.png`).
 */
import {
  pairByName,
  type ImageWithGroundTruth,
  type PairedFiles,
} from '../../core/groundTruth/pairByName';
import { isImageFile } from './imageFileKinds';

export interface NamedFile {
  /** Path inside the drop ("set/images/x.png") or just the name. */
  path: string;
  file: File;
}

export type { ImageWithGroundTruth, PairedFiles };

/** Images are recognised by type as well as by name, since pasted files often have no name. */
export function pairGroundTruth(files: readonly NamedFile[]): PairedFiles<NamedFile> {
  return pairByName(files, (named) => isImageFile({ name: named.path, type: named.file.type }));
}
