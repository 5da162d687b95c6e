import { describe, expect, it } from 'vitest';
import type { GalleryItem } from '../state/galleryStore';
import { itemProblems, itemStatus } from './itemStatus';

const base: GalleryItem = { id: 'a', name: 'a.png', thumbnailUrl: '', wanted: true };
const image = { width: 1, height: 1 };

describe('itemStatus', () => {
  it('follows an image from reading to done', () => {
    expect(itemStatus(base, undefined, true)).toBe('decoding');
    expect(itemStatus({ ...base, image }, undefined, true)).toBe('queued');
    expect(itemStatus({ ...base, image }, 'running', true)).toBe('running');
    expect(itemStatus({ ...base, image }, 'done', true)).toBe('done');
  });

  it('waits for a bundle, and for samples the user has not opened', () => {
    expect(itemStatus({ ...base, image }, undefined, false)).toBe('waiting');
    expect(itemStatus({ ...base, image, wanted: false }, undefined, true)).toBe('waiting');
  });

  it('reports an unreadable image as an error whatever else is known', () => {
    expect(itemStatus({ ...base, imageError: 'bad' }, 'done', true)).toBe('error');
  });
});

describe('itemProblems', () => {
  it('has nothing to say about an image that works', () => {
    expect(itemProblems({ ...base, image }, null)).toEqual([]);
  });

  it('gives the reasons of the image, its ground truth and its analysis, in that order', () => {
    const item = {
      ...base,
      imageError: 'a.png is empty (0 bytes).',
      groundTruthError: 'a_gt.png is 10×10 but a.png is 73×45.',
    };
    expect(itemProblems(item, new Error('The flow model failed to run.'))).toEqual([
      'a.png is empty (0 bytes).',
      'a_gt.png is 10×10 but a.png is 73×45.',
      'The analysis failed: The flow model failed to run.',
    ]);
  });
});
