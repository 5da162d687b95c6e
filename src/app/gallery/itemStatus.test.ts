import { describe, expect, it } from 'vitest';
import type { GalleryItem } from '../state/galleryStore';
import { itemStatus } from './itemStatus';

const base: GalleryItem = { id: 'a', name: 'a.png', thumbnailUrl: '', wanted: true };
const image = { width: 1, height: 1, display: { width: 1, height: 1 } };

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
