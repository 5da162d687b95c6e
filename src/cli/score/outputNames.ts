/**
 * Where each image's outputs go: its path relative to the images' common folder, without the
 * extension (`OUT/city/frame_0001.score.npy`), so trees that repeat file names never collide.
 */
import { dirname, extname, relative, sep } from 'node:path';

export interface OutputName {
  /** Output path stem relative to the output folder, with "/" separators. */
  key: string;
  /** Set when the plain name collided with another image's and a suffix was added. */
  collision?: string;
}

/** The deepest folder that holds every path. */
function commonFolder(paths: readonly string[]): string {
  const [first, ...rest] = paths.map((path) => dirname(path).split(sep));
  if (!first) return '';
  let depth = first.length;
  for (const parts of rest) {
    let same = 0;
    while (same < Math.min(depth, parts.length) && parts[same] === first[same]) same++;
    depth = same;
  }
  return first.slice(0, depth).join(sep) || sep;
}

const stemKey = (path: string, folder: string) => {
  const relativePath = relative(folder, path).split(sep).join('/');
  return relativePath.slice(0, relativePath.length - extname(relativePath).length);
};

/**
 * Output names for absolute image paths (the whole sorted list, before any sharding, so every
 * shard names an image the same way). Images whose names still collide (`x.png` beside `x.webp`,
 * or names equal but for case, which some file systems merge) all get their extension as a
 * suffix: `x_png`, `x_webp`.
 */
export function outputNames(images: readonly string[]): OutputName[] {
  const folder = commonFolder(images);
  const keys = images.map((image) => stemKey(image, folder));
  const groups = new Map<string, number>();
  for (const key of keys) groups.set(key.toLowerCase(), (groups.get(key.toLowerCase()) ?? 0) + 1);
  const taken = new Set<string>();
  return keys.map((key, index) => {
    if ((groups.get(key.toLowerCase()) ?? 0) < 2) return { key };
    let suffixed = `${key}_${extname(images[index] as string).slice(1)}`;
    // Still equal (x.png beside X.PNG): number the later ones.
    for (let n = 2; taken.has(suffixed.toLowerCase()); n++) {
      suffixed = `${key}_${extname(images[index] as string).slice(1)}_${n}`;
    }
    taken.add(suffixed.toLowerCase());
    return {
      key: suffixed,
      collision: `"${key}" names several images; this one's outputs are "${suffixed}"`,
    };
  });
}
