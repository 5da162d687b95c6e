import { describe, expect, it } from 'vitest';
import { findGroundTruth, isGroundTruthPath, listingOf, pairByName } from './pairByName';

/** The ground truth findGroundTruth picks for `image` among `files`. */
const groundTruthOf = (image: string, files: string[], maskFolders: string[] = []) =>
  findGroundTruth(image, listingOf([image, ...files]), maskFolders);

describe('the ground-truth naming rule', () => {
  it('pairs x.png with x_gt.png or x_gt.npy beside it, PNG first, whatever the image type', () => {
    expect(groundTruthOf('d/x.png', ['d/x_gt.png', 'd/x_gt.npy'])).toBe('d/x_gt.png');
    expect(groundTruthOf('d/x.jpg', ['d/x_gt.npy'])).toBe('d/x_gt.npy');
    expect(groundTruthOf('x.webp', ['x_gt.png'])).toBe('x_gt.png');
    // Beside the image only the _gt name counts: x.npy there may be a score map.
    expect(groundTruthOf('d/x.png', ['d/x.npy', 'd/y_gt.png', 'e/x_gt.png'])).toBeUndefined();
  });

  it('pairs images/x.png with masks/x.png (or x_gt, or npy) beside the images folder', () => {
    expect(groundTruthOf('set/images/x.png', ['set/masks/x.png'])).toBe('set/masks/x.png');
    expect(groundTruthOf('set/images/x.jpg', ['set/masks/x_gt.png', 'set/masks/x.png'])).toBe(
      'set/masks/x_gt.png',
    );
    expect(groundTruthOf('set/Images/x.png', ['set/GT/x.npy'])).toBe('set/GT/x.npy');
    expect(groundTruthOf('images/x.png', ['labels/x.png'])).toBe('labels/x.png');
    // Beside a folder not called images, a masks folder belongs to its parent's images.
    expect(groundTruthOf('set/photos/x.png', ['set/masks/x.png'])).toBeUndefined();
  });

  it('finds a mask folder inside the image folder too', () => {
    expect(groundTruthOf('set/x.png', ['set/masks/x.png'])).toBe('set/masks/x.png');
  });

  it('prefers an explicit mask folder, then the _gt file beside the image', () => {
    const files = ['d/x_gt.png', 'd/masks/x.png', 'gt/x.png'];
    expect(groundTruthOf('d/x.png', files, ['gt'])).toBe('gt/x.png');
    expect(groundTruthOf('d/x.png', files)).toBe('d/x_gt.png');
    expect(groundTruthOf('d/x.png', ['d/masks/x.png', 'd/masks/x_gt.npy'])).toBe(
      'd/masks/x_gt.npy',
    );
  });

  it('never takes the image itself, even when the mask folder is its own folder', () => {
    expect(groundTruthOf('/data/x.png', ['/data/x_gt.png'], ['/data'])).toBe('/data/x_gt.png');
    expect(groundTruthOf('/data/x.png', [], ['/data'])).toBeUndefined();
  });

  it('tells ground truth from images by name', () => {
    expect(isGroundTruthPath('a/x_gt.png')).toBe(true);
    expect(isGroundTruthPath('x_gt.npy')).toBe(true);
    expect(isGroundTruthPath('set/masks/x.png')).toBe(true);
    expect(isGroundTruthPath('set/Ground_Truth/x.npy')).toBe(true);
    expect(isGroundTruthPath('set/images/x.png')).toBe(false);
    expect(isGroundTruthPath('masks/x.jpg')).toBe(false); // ground truth is PNG or npy
    expect(isGroundTruthPath('x_gt.jpg')).toBe(false);
    expect(isGroundTruthPath('masks')).toBe(false);
  });
});

describe('pairByName', () => {
  const isImage = (file: { path: string }) => /\.(png|jpe?g|webp)$/i.test(file.path);
  const summary = (paths: string[]) => {
    const paired = pairByName(
      paths.map((path) => ({ path })),
      isImage,
    );
    return {
      images: paired.images.map(({ image, groundTruth }) => [image.path, groundTruth?.path]),
      orphans: paired.orphanGroundTruth.map((file) => file.path),
      rejected: paired.rejected.map((file) => file.path),
    };
  };

  it('sorts a drop into images with their ground truth, orphans and the rest', () => {
    expect(
      summary([
        'set/masks/b.png',
        'set/images/b.png',
        'set/images/a.jpg',
        'set/masks/c_gt.png',
        'z.png',
        'z_gt.npy',
        'notes.txt',
      ]),
    ).toEqual({
      images: [
        ['set/images/a.jpg', undefined],
        ['set/images/b.png', 'set/masks/b.png'],
        ['z.png', 'z_gt.npy'],
      ],
      orphans: ['set/masks/c_gt.png'],
      rejected: ['notes.txt'],
    });
  });

  it('gives two images of one stem the same ground truth', () => {
    expect(summary(['x.png', 'x.webp', 'x_gt.png']).images).toEqual([
      ['x.png', 'x_gt.png'],
      ['x.webp', 'x_gt.png'],
    ]);
  });
});
