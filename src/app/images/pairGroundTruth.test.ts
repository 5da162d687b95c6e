import { describe, expect, it } from 'vitest';
import { pairGroundTruth, type NamedFile } from './pairGroundTruth';

const named = (path: string, type = ''): NamedFile => ({
  path,
  file: new File([], path.slice(path.lastIndexOf('/') + 1), { type }),
});

const summary = (files: NamedFile[]) => {
  const paired = pairGroundTruth(files);
  return {
    images: paired.images.map(({ image, groundTruth }) => [image.path, groundTruth?.path]),
    orphans: paired.orphanGroundTruth.map((file) => file.path),
    rejected: paired.rejected.map((file) => file.path),
  };
};

describe('pairGroundTruth', () => {
  it('pairs x.png with x_gt.png side by side', () => {
    expect(summary([named('b.png'), named('a_gt.png'), named('a.png')])).toEqual({
      images: [
        ['a.png', 'a_gt.png'],
        ['b.png', undefined],
      ],
      orphans: [],
      rejected: [],
    });
  });

  it('pairs images/ with masks/ by stem, with or without _gt', () => {
    const files = [
      named('set/images/road.png'),
      named('set/masks/road.png'),
      named('set/images/lane.jpg'),
      named('set/masks/lane_gt.png'),
    ];
    expect(summary(files).images).toEqual([
      ['set/images/lane.jpg', 'set/masks/lane_gt.png'],
      ['set/images/road.png', 'set/masks/road.png'],
    ]);
  });

  it('does not pair across folders', () => {
    expect(summary([named('one/x.png'), named('two/x_gt.png')])).toEqual({
      images: [['one/x.png', undefined]],
      orphans: ['two/x_gt.png'],
      rejected: [],
    });
  });

  it('rejects files that are not images and recognises images by type', () => {
    expect(summary([named('notes.txt', 'text/plain'), named('clip', 'image/png')])).toEqual({
      images: [['clip', undefined]],
      orphans: [],
      rejected: ['notes.txt'],
    });
  });
});
