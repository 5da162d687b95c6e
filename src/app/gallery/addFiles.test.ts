import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Rgb8Image } from '../../core/image';
import type { LabelMap } from '../../core/types';
import { useGalleryStore } from '../state/galleryStore';
import { addFiles, attachGroundTruth } from './addFiles';

/** Decodes that finish when the test says so, keyed by file name. */
const pending = new Map<string, (value: Rgb8Image | LabelMap) => void>();
const later = <T>(name: string) =>
  new Promise<T>((resolve) => pending.set(name, resolve as (value: unknown) => void));
const finish = (name: string, value: Rgb8Image | LabelMap) => {
  pending.get(name)?.(value);
  pending.delete(name);
};
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

/** Ground truth the view worker was told to attach (image id → labels id) or drop. */
const attached = new Map<string, string | null>();
const droppedLabels: string[] = [];

vi.mock('../compute/workers', () => ({
  viewWorker: () => ({
    decodeImage: (_id: string, _file: Blob, name: string) =>
      later<Rgb8Image>(name).then(({ width, height }) => ({ width, height })),
    decodeGroundTruth: (_labelsId: string, _file: Blob, name: string) =>
      later<LabelMap>(name).then(({ width, height }) => ({ width, height })),
    attachGroundTruth: (imageId: string, labelsId: string | null) => {
      attached.set(imageId, labelsId);
      return Promise.resolve();
    },
    dropGroundTruth: (labelsId: string) => {
      droppedLabels.push(labelsId);
      return Promise.resolve();
    },
  }),
}));

const pixels = (width: number, height: number): Rgb8Image => ({
  width,
  height,
  data: new Uint8Array(width * height * 3),
});
const labels = (width: number, height: number): LabelMap => ({
  width,
  height,
  data: new Uint8Array(width * height),
});
const file = (name: string) => ({ path: name, file: new File([], name, { type: 'image/png' }) });
const only = () => {
  const [item] = useGalleryStore.getState().items;
  if (!item) throw new Error('no gallery item');
  return item;
};

beforeEach(() => {
  pending.clear();
  attached.clear();
  droppedLabels.length = 0;
  useGalleryStore.setState({ items: [], selectedId: null, inputMessages: [] });
});

describe('ground truth dropped onto an image that is still being read', () => {
  it('is attached once the image is decoded', async () => {
    addFiles([file('road.png')]);
    const dropped = attachGroundTruth(only().id, new Blob(), 'mask.png');
    finish('mask.png', labels(4, 3));
    await settle();
    expect(only().groundTruth).toBeUndefined();
    finish('road.png', pixels(4, 3));
    await dropped;
    expect(only().groundTruthName).toBe('mask.png');
    expect(only().groundTruth?.width).toBe(4);
    expect(attached.get(only().id)).toMatch(/^labels-/);
  });

  it('wins over the mask paired by name, whichever decodes last', async () => {
    addFiles([file('road.png'), file('road_gt.png')]);
    const dropped = attachGroundTruth(only().id, new Blob(), 'mask.png');
    finish('road.png', pixels(4, 3));
    finish('mask.png', labels(4, 3));
    await dropped;
    finish('road_gt.png', labels(4, 3));
    await settle();
    expect(only().groundTruthName).toBe('mask.png');
    // The paired mask decoded last and was dropped in the worker, not attached over the newer one.
    expect(droppedLabels).toHaveLength(1);
    expect(attached.get(only().id)).not.toBe(droppedLabels[0]);
  });

  it('is still checked against the image size', async () => {
    addFiles([file('road.png')]);
    const dropped = attachGroundTruth(only().id, new Blob(), 'mask.png');
    finish('mask.png', labels(2, 2));
    finish('road.png', pixels(4, 3));
    await dropped;
    expect(only().groundTruth).toBeUndefined();
    expect(only().groundTruthError).toMatch(/^mask\.png is 2×2 but road\.png is 4×3/);
    expect(attached.size).toBe(0);
    expect(droppedLabels).toHaveLength(1);
  });
});

describe('files added later', () => {
  const names = () => useGalleryStore.getState().items.map((item) => item.name);

  it('pairs ground truth dropped on its own with its image already in the gallery', async () => {
    addFiles([file('road.png')]);
    finish('road.png', pixels(4, 3));
    await settle();
    addFiles([file('road_gt.png')]);
    finish('road_gt.png', labels(4, 3));
    await settle();
    await settle();
    expect(only().groundTruthName).toBe('road_gt.png');
    expect(useGalleryStore.getState().inputMessages).toEqual([]);
  });

  it('says so for ground truth whose image is not there', () => {
    addFiles([file('road.png')]);
    addFiles([file('other_gt.png')]);
    expect(useGalleryStore.getState().inputMessages).toEqual([
      'other_gt.png looks like ground truth but no image of that name is in the gallery; add the image, or drop the mask onto its image.',
    ]);
  });

  it('leaves out the same file added twice, and numbers a different file of the same name', () => {
    const road = new File([new Uint8Array(4)], 'road.png', { type: 'image/png', lastModified: 1 });
    addFiles([{ path: 'road.png', file: road }]);
    addFiles([{ path: 'road.png', file: road }]);
    expect(names()).toEqual(['road.png']);
    expect(useGalleryStore.getState().inputMessages).toEqual([
      'road.png is already in the gallery.',
    ]);
    const namesake = new File([new Uint8Array(9)], 'road.png', {
      type: 'image/png',
      lastModified: 2,
    });
    addFiles([{ path: 'road.png', file: namesake }]);
    addFiles([
      { path: 'road.png', file: new File([], 'road.png', { lastModified: 3, type: 'image/png' }) },
    ]);
    expect(names()).toEqual(['road.png', 'road (2).png', 'road (3).png']);
  });
});
