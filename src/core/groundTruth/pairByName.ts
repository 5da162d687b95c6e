/**
 * Which file is an image's ground truth, by name: one rule for the app's dropped files and the
 * CLI's folders (README, "Ground truth"). For an image `F/x.<ext>`, the first that exists of
 *   1. `F/x_gt.png`, `F/x_gt.npy` (beside the image);
 *   2. in a mask folder M: `M/x_gt.png`, `M/x_gt.npy`, `M/x.png`, `M/x.npy`, where the mask
 *      folders are those given explicitly (the CLI's --gt-dir), then any folder named like
 *      MASK_FOLDER_NAMES inside F, then, when F is named `images`, any beside F
 *      (`set/images/x.png` + `set/masks/x.png`).
 * Ground-truth files (PNG or npy named `*_gt`, or inside a mask folder) are never images.
 * Paths use `/`; folder names compare without case, file names exactly.
 */

/** Folder names that hold the masks of the `images/` + `masks/` layout. */
export const MASK_FOLDER_NAMES: readonly string[] = [
  'masks',
  'mask',
  'gt',
  'ground_truth',
  'groundtruth',
  'labels',
];

const GROUND_TRUTH_EXTENSIONS: readonly string[] = ['png', 'npy'];

/** The folder part of a path ('' for a bare name). */
export const folderOf = (path: string): string => path.slice(0, Math.max(0, path.lastIndexOf('/')));

/** The last segment of a path: a file's name, or a folder's. */
export const nameOf = (path: string): string => path.slice(path.lastIndexOf('/') + 1);

/** A file's name without its extension. */
export function stemOf(path: string): string {
  const name = nameOf(path);
  const dot = name.lastIndexOf('.');
  return dot <= 0 ? name : name.slice(0, dot);
}

/** A file's extension, lower case, without the dot ('' for none). */
export function extensionOf(path: string): string {
  const name = nameOf(path);
  const dot = name.lastIndexOf('.');
  return dot <= 0 ? '' : name.slice(dot + 1).toLowerCase();
}

const joinPath = (folder: string, name: string) => (folder ? `${folder}/${name}` : name);
const isMaskFolderName = (name: string) => MASK_FOLDER_NAMES.includes(name.toLowerCase());

/** Whether a file is ground truth by its name: PNG or npy, named `*_gt` or in a mask folder. */
export function isGroundTruthPath(path: string): boolean {
  if (!GROUND_TRUTH_EXTENSIONS.includes(extensionOf(path))) return false;
  return stemOf(path).endsWith('_gt') || isMaskFolderName(nameOf(folderOf(path)));
}

/** The names of the files and folders in a folder ('' for the top of a drop); empty when none. */
export type FolderListing = (folder: string) => ReadonlySet<string>;

/**
 * The ground truth of `imagePath` by the rule above, looked up in `listing`; `maskFolders` are
 * searched first (the CLI's --gt-dir). Undefined when it has none.
 */
export function findGroundTruth(
  imagePath: string,
  listing: FolderListing,
  maskFolders: readonly string[] = [],
): string | undefined {
  const folder = folderOf(imagePath);
  const stem = stemOf(imagePath);
  const maskFoldersIn = (parent: string) =>
    [...listing(parent)].filter(isMaskFolderName).map((name) => joinPath(parent, name));
  const besideImage = [`${stem}_gt.png`, `${stem}_gt.npy`];
  const inMaskFolder = [...besideImage, `${stem}.png`, `${stem}.npy`];
  const searches: [string, string[]][] = [
    ...maskFolders.map((maskFolder): [string, string[]] => [maskFolder, inMaskFolder]),
    [folder, besideImage],
    ...maskFoldersIn(folder).map((maskFolder): [string, string[]] => [maskFolder, inMaskFolder]),
    ...(nameOf(folder).toLowerCase() === 'images'
      ? maskFoldersIn(folderOf(folder)).map((m): [string, string[]] => [m, inMaskFolder])
      : []),
  ];
  for (const [searched, names] of searches) {
    const present = listing(searched);
    for (const name of names) {
      const candidate = joinPath(searched, name);
      // An image never serves as its own ground truth (a --gt-dir that is the image folder).
      if (present.has(name) && candidate !== imagePath) return candidate;
    }
  }
  return undefined;
}

export interface ImageWithGroundTruth<T> {
  image: T;
  groundTruth?: T;
}

export interface PairedFiles<T> {
  /** Images in path order, each with its ground truth when it has one. */
  images: ImageWithGroundTruth<T>[];
  /** Ground truth without its image (kept to report, never analysed). */
  orphanGroundTruth: T[];
  /** Files that are neither (text files, archives, ...). */
  rejected: T[];
}

/** The listing that a set of file paths implies: each folder's files and subfolders. */
export function listingOf(paths: readonly string[]): FolderListing {
  const entries = new Map<string, Set<string>>();
  const add = (folder: string, name: string) => {
    const names = entries.get(folder) ?? new Set<string>();
    names.add(name);
    entries.set(folder, names);
  };
  for (const path of paths) {
    add(folderOf(path), nameOf(path));
    for (let folder = folderOf(path); folder; folder = folderOf(folder)) {
      add(folderOf(folder), nameOf(folder));
    }
  }
  const none = new Set<string>();
  return (folder) => entries.get(folder) ?? none;
}

/**
 * Sorts a list of files (a drop) into images with their ground truth, unused ground truth and
 * files that are neither; `isImage` decides for the files that are not ground truth.
 */
export function pairByName<T extends { path: string }>(
  files: readonly T[],
  isImage: (file: T) => boolean,
): PairedFiles<T> {
  const groundTruthByPath = new Map<string, T>();
  const imageFiles: T[] = [];
  const rejected: T[] = [];
  for (const file of files) {
    if (isGroundTruthPath(file.path)) groundTruthByPath.set(file.path, file);
    else if (isImage(file)) imageFiles.push(file);
    else rejected.push(file);
  }
  const listing = listingOf([...groundTruthByPath.keys()]);
  const used = new Set<T>();
  const images = imageFiles
    .sort((a, b) => a.path.localeCompare(b.path))
    .map((image) => {
      const path = findGroundTruth(image.path, listing);
      const groundTruth = path === undefined ? undefined : groundTruthByPath.get(path);
      if (groundTruth) used.add(groundTruth);
      return groundTruth ? { image, groundTruth } : { image };
    });
  const orphanGroundTruth = [...groundTruthByPath.values()].filter((gt) => !used.has(gt));
  return { images, orphanGroundTruth, rejected };
}
