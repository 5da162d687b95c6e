/** Test helper (Node): the factory's golden outputs for a bundle and image, read from disk. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeNpy } from '../io/npy';
import { rgb8FromPng } from '../io/pngImage';
import { decodeRleMaskList } from '../io/rleMaskList';
import type { Rgb8Image } from '../image';
import type { PixelMask } from '../types';

export interface GoldenArray {
  data: Float32Array;
  shape: number[];
}

export interface GoldenMask {
  mask: PixelMask;
  predictedIou: number;
  stabilityScore: number;
  bbox: number[];
}

export interface Goldens {
  image: Rgb8Image;
  array(name: string): GoldenArray;
  masks(): GoldenMask[];
}

export function readGoldens(folder: string): Goldens {
  const path = (name: string) => join(folder, name);
  return {
    image: rgb8FromPng(new Uint8Array(readFileSync(path('image.png'))), path('image.png')),
    array(name) {
      const file = path(`${name}.npy`);
      if (!existsSync(file)) throw new Error(`golden ${file} is missing`);
      const array = decodeNpy(new Uint8Array(readFileSync(file)), file);
      return {
        data: Float32Array.from(array.data as unknown as ArrayLike<number>),
        shape: array.shape,
      };
    },
    masks() {
      const text = readFileSync(path('masks.json'), 'utf8');
      const records = JSON.parse(text) as {
        predicted_iou: number;
        stability_score: number;
        bbox: number[];
      }[];
      return decodeRleMaskList(text, path('masks.json')).map((mask, index) => ({
        mask,
        predictedIou: records[index]?.predicted_iou ?? Number.NaN,
        stabilityScore: records[index]?.stability_score ?? Number.NaN,
        bbox: records[index]?.bbox ?? [],
      }));
    },
  };
}

/** Intersection over union of two masks of the same size (1 for two empty masks). */
export function maskIou(a: PixelMask, b: PixelMask): number {
  let intersection = 0;
  let i = 0;
  let j = 0;
  while (i < a.pixels.length && j < b.pixels.length) {
    const pa = a.pixels[i] as number;
    const pb = b.pixels[j] as number;
    if (pa === pb) {
      intersection++;
      i++;
      j++;
    } else if (pa < pb) i++;
    else j++;
  }
  const union = a.pixels.length + b.pixels.length - intersection;
  return union === 0 ? 1 : intersection / union;
}
