/**
 * The images a `score` run works on: files as given, folders walked recursively, all of them in
 * one sorted order so that every run (and every shard of a run) sees the same list.
 */
import { readdirSync, statSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { isGroundTruthPath } from '../../core/groundTruth';
import { IMAGE_EXTENSIONS } from '../../node/decodeImage';
import { CliError } from '../failures';

/** Ground-truth files (`x_gt.png`, `masks/x.png`: core/groundTruth) are not images to score. */
const isImageFile = (path: string) =>
  IMAGE_EXTENSIONS.has(extname(path).toLowerCase()) && !isGroundTruthPath(path);

/** Image files under `folder` and its subfolders (hidden entries skipped). */
function walk(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true })
    .filter((entry) => !entry.name.startsWith('.'))
    .flatMap((entry) => {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) return walk(path);
      return entry.isFile() && isImageFile(path) ? [path] : [];
    });
}

const isFolder = (path: string) => {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
};

/**
 * Absolute paths of the images, sorted by code point and without duplicates. A file argument is
 * kept whatever its name (a bad one fails on its own, visibly); a folder without any image is an
 * error, since scoring nothing and succeeding would hide a wrong path.
 */
export function collectImages(paths: readonly string[]): string[] {
  const images = new Set<string>();
  for (const path of paths) {
    if (!isFolder(path)) {
      images.add(resolve(path));
      continue;
    }
    const found = walk(path);
    if (found.length === 0) {
      throw new CliError(
        `${path}: no images in this folder or its subfolders ` +
          `(looked for ${[...IMAGE_EXTENSIONS].join(', ')}; *_gt files are ground truth).`,
      );
    }
    for (const image of found) images.add(resolve(image));
  }
  return [...images].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

export interface Shard {
  /** 1-based index of this shard. */
  index: number;
  count: number;
}

/** Parses "K/N" (1 ≤ K ≤ N). */
export function parseShard(value: string): Shard | undefined {
  const match = /^(\d+)\/(\d+)$/.exec(value.trim());
  if (!match) return undefined;
  const [index, count] = [Number(match[1]), Number(match[2])];
  return index >= 1 && index <= count ? { index, count } : undefined;
}

/**
 * Positions (in the sorted list) of the images shard K of N owns: every N-th image from K − 1,
 * so shards get near-equal counts and a mix of every folder.
 */
export function shardPositions(total: number, shard: Shard | undefined): number[] {
  const positions: number[] = [];
  const [first, step] = shard ? [shard.index - 1, shard.count] : [0, 1];
  for (let position = first; position < total; position += step) positions.push(position);
  return positions;
}
