import { beforeEach, describe, expect, it } from 'vitest';
import { useGalleryStore, whenRead, type GalleryItem } from './galleryStore';

const image = { width: 1, height: 1 };
const item = (id: string, wanted = true): GalleryItem => ({
  id,
  name: `${id}.png`,
  thumbnailUrl: '',
  wanted,
});
const ids = () => useGalleryStore.getState().items.map((entry) => entry.id);
const selected = () => useGalleryStore.getState().selectedId;

beforeEach(() => {
  useGalleryStore.setState({ items: [], selectedId: null, inputMessages: [] });
  useGalleryStore.getState().add([item('a'), item('b', false), item('c', false)]);
});

describe('removing images', () => {
  it('keeps the selection when another image goes', () => {
    useGalleryStore.getState().remove(['b']);
    expect(ids()).toEqual(['a', 'c']);
    expect(selected()).toBe('a');
  });

  it('passes a removed selection to the next image and asks for its analysis', () => {
    useGalleryStore.getState().remove(['a']);
    expect(selected()).toBe('b');
    expect(useGalleryStore.getState().items[0]?.wanted).toBe(true);
  });

  it('passes the selection back when the last image goes, and clears it when all go', () => {
    useGalleryStore.getState().select('c');
    useGalleryStore.getState().remove(['c']);
    expect(selected()).toBe('b');
    useGalleryStore.getState().remove(['a', 'b']);
    expect(ids()).toEqual([]);
    expect(selected()).toBeNull();
  });
});

describe('whenRead', () => {
  it('waits until the image is decoded or failed, and gives up on a removed one', async () => {
    const decoded = whenRead('a');
    const failed = whenRead('b');
    const removed = whenRead('c');
    useGalleryStore.getState().update('a', { image });
    useGalleryStore.getState().update('b', { imageError: 'unreadable' });
    useGalleryStore.getState().remove(['c']);
    expect((await decoded)?.image).toBe(image);
    expect((await failed)?.imageError).toBe('unreadable');
    expect(await removed).toBeUndefined();
  });
});
