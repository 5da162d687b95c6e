/** Byte progress of the bundle being loaded, file by file. */
import { create } from 'zustand';
import type { BundleLoadEvent } from '../../core/bundle/loadBundle';

export interface FileProgress {
  loadedBytes: number;
  totalBytes: number;
  ready: boolean;
  fromCache: boolean;
}

interface BundleProgressState {
  /** The manifest these files belong to. */
  manifestUrl: string | null;
  files: Record<string, FileProgress>;
  cacheMessage: string | null;
  startedAt: number | null;
  finishedAt: number | null;
  start(manifestUrl: string): void;
  apply(event: BundleLoadEvent): void;
  finish(): void;
}

export const useBundleProgressStore = create<BundleProgressState>()((set) => ({
  manifestUrl: null,
  files: {},
  cacheMessage: null,
  startedAt: null,
  finishedAt: null,
  start: (manifestUrl) =>
    set({
      manifestUrl,
      files: {},
      cacheMessage: null,
      startedAt: performance.now(),
      finishedAt: null,
    }),
  finish: () => set({ finishedAt: performance.now() }),
  apply: (event) =>
    set((state) => {
      switch (event.kind) {
        case 'manifest':
          return {};
        case 'plan': {
          // A WebGPU → WebAssembly fallback may plan other weights: keep what was loaded.
          const files = { ...state.files };
          for (const { file, bytes } of event.files) {
            files[file] ??= { loadedBytes: 0, totalBytes: bytes, ready: false, fromCache: false };
          }
          return { files };
        }
        case 'progress':
          return {
            files: {
              ...state.files,
              [event.file]: {
                loadedBytes: event.loadedBytes,
                totalBytes: event.totalBytes,
                ready: false,
                fromCache: false,
              },
            },
          };
        case 'file-ready':
          return {
            files: {
              ...state.files,
              [event.file]: {
                loadedBytes: event.bytes,
                totalBytes: event.bytes,
                ready: true,
                fromCache: event.fromCache,
              },
            },
          };
        case 'cache-unavailable':
          return { cacheMessage: event.message };
      }
    }),
}));
