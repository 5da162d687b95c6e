/**
 * The images of this session and the selection. Pixels and ground truth live in the view worker
 * under the item's id; the page keeps their sizes.
 */
import { create } from 'zustand';
import type { RasterSize } from '../../core/render';
import type { DecodedImage } from '../../worker/viewProtocol';

export interface GalleryItem {
  id: string;
  name: string;
  /** Object or sample URL for the thumbnail. */
  thumbnailUrl: string;
  /** Set once the view worker has decoded the file. */
  image?: DecodedImage;
  /** Why the file could not be used as an image. */
  imageError?: string;
  /** Set once ground truth of the image's size is attached in the view worker. */
  groundTruth?: RasterSize;
  groundTruthName?: string;
  /** Why the ground truth was not attached (wrong size, bad labels, unreadable). */
  groundTruthError?: string;
  /** Analysed as soon as possible; samples wait until selected (or "Analyse all"). */
  wanted: boolean;
  /** Size and date of the file, to tell the same file added twice from a namesake. */
  fileKey?: string;
  /** A bundled sample's note: what it shows. */
  note?: string;
}

interface GalleryState {
  items: GalleryItem[];
  selectedId: string | null;
  /** Messages about input that never made it into the gallery (text files, stray masks). */
  inputMessages: string[];
  /** Adds images; `select` shows the first of them (files the user just added). */
  add(items: GalleryItem[], select?: boolean): void;
  update(id: string, patch: Partial<GalleryItem>): void;
  /** Takes images out; a removed selection passes to the next image (else the previous one). */
  remove(ids: readonly string[]): void;
  select(id: string): void;
  /** Asks for every image's analysis (the samples not opened yet included). */
  wantAll(): void;
  selectNeighbour(step: number): string | null;
  setInputMessages(messages: string[]): void;
  dismissInputMessages(): void;
}

/** Selecting an image also asks for its analysis (samples wait until they are selected). */
const selection = (items: GalleryItem[], id: string) => ({
  selectedId: id,
  items: items.map((item) => (item.id === id && !item.wanted ? { ...item, wanted: true } : item)),
});

export const useGalleryStore = create<GalleryState>()((set, get) => ({
  items: [],
  selectedId: null,
  inputMessages: [],
  add: (items, select = false) =>
    set((state) => ({
      items: [...state.items, ...items],
      selectedId: (select ? items[0]?.id : undefined) ?? state.selectedId ?? items[0]?.id ?? null,
    })),
  update: (id, patch) =>
    set((state) => ({
      items: state.items.map((item) => (item.id === id ? { ...item, ...patch } : item)),
    })),
  remove: (ids) =>
    set((state) => {
      const removed = new Set(ids);
      const kept = (item: GalleryItem) => !removed.has(item.id);
      const items = state.items.filter(kept);
      if (state.selectedId === null || !removed.has(state.selectedId)) return { items };
      const index = state.items.findIndex((item) => item.id === state.selectedId);
      const successor =
        state.items.slice(index + 1).find(kept) ?? state.items.slice(0, index).findLast(kept);
      return successor ? selection(items, successor.id) : { items, selectedId: null };
    }),
  select: (id) => set((state) => selection(state.items, id)),
  wantAll: () =>
    set((state) => ({
      items: state.items.map((item) => (item.wanted ? item : { ...item, wanted: true })),
    })),
  selectNeighbour: (step) => {
    const { items, selectedId } = get();
    if (items.length === 0) return null;
    const index = items.findIndex((item) => item.id === selectedId);
    const next = items[Math.min(items.length - 1, Math.max(0, index + step))];
    if (next) get().select(next.id);
    return next?.id ?? null;
  },
  setInputMessages: (inputMessages) => set({ inputMessages }),
  dismissInputMessages: () => set({ inputMessages: [] }),
}));

export const useSelectedItem = () =>
  useGalleryStore((state) => state.items.find((item) => item.id === state.selectedId) ?? null);

/** The item once its file has been read (decoded or failed); undefined when it left the gallery. */
export function whenRead(id: string): Promise<GalleryItem | undefined> {
  const settled = () => {
    const item = useGalleryStore.getState().items.find((candidate) => candidate.id === id);
    return !item || item.image || item.imageError ? { item } : null;
  };
  const now = settled();
  if (now) return Promise.resolve(now.item);
  return new Promise((resolve) => {
    const unsubscribe = useGalleryStore.subscribe(() => {
      const later = settled();
      if (!later) return;
      unsubscribe();
      resolve(later.item);
    });
  });
}
