/**
 * Pairs images with ground truth by name, the two conventions of anomaly datasets:
 * `x.png` + `x_gt.png` side by side, or `images/x.png` + `masks/x.png` (or `masks/x_gt.png`).
 */
import { canBeGroundTruth, isImageFile, stemOf } from './imageFileKinds';

export interface NamedFile {
  /** Path inside the drop ("set/images/x.png") or just the name. */
  path: string;
  file: File;
}

export interface ImageWithGroundTruth {
  image: NamedFile;
  groundTruth?: NamedFile;
}

export interface PairedFiles {
  images: ImageWithGroundTruth[];
  /** Ground truth without its image (kept to report, never analysed). */
  orphanGroundTruth: NamedFile[];
  /** Files that are neither (text files, archives, ...). */
  rejected: NamedFile[];
}

const folderOf = (path: string): string => path.slice(0, Math.max(0, path.lastIndexOf('/')));
const lastSegment = (folder: string): string => folder.slice(folder.lastIndexOf('/') + 1);
const maskFolderNames = new Set(['masks', 'mask', 'gt', 'ground_truth', 'groundtruth', 'labels']);
const isInMaskFolder = (path: string) =>
  maskFolderNames.has(lastSegment(folderOf(path)).toLowerCase());
const isGtName = (path: string) => stemOf(path).endsWith('_gt');

/** The key an image and its ground truth share: parent of images/ and masks/, plus the stem. */
function pairingKey(path: string): string {
  const folder = folderOf(path);
  const stem = stemOf(path).replace(/_gt$/, '');
  const segment = lastSegment(folder).toLowerCase();
  const parent = segment === 'images' || maskFolderNames.has(segment) ? folderOf(folder) : folder;
  return `${parent}/${stem}`;
}

export function pairGroundTruth(files: readonly NamedFile[]): PairedFiles {
  const groundTruthByKey = new Map<string, NamedFile>();
  const imageFiles: NamedFile[] = [];
  const rejected: NamedFile[] = [];
  for (const named of files) {
    const gtCandidate =
      canBeGroundTruth(named.path) && (isGtName(named.path) || isInMaskFolder(named.path));
    if (gtCandidate) groundTruthByKey.set(pairingKey(named.path), named);
    else if (isImageFile({ name: named.path, type: named.file.type })) imageFiles.push(named);
    else rejected.push(named);
  }
  const used = new Set<NamedFile>();
  const images = imageFiles
    .sort((a, b) => a.path.localeCompare(b.path))
    .map((image) => {
      const groundTruth = groundTruthByKey.get(pairingKey(image.path));
      if (groundTruth) used.add(groundTruth);
      return groundTruth ? { image, groundTruth } : { image };
    });
  const orphanGroundTruth = [...groundTruthByKey.values()].filter((gt) => !used.has(gt));
  return { images, orphanGroundTruth, rejected };
}
