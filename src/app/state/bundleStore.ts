/** Which bundle the user asked for, and which one the worker has open right now. */
import { create } from 'zustand';
import type { OpenedBundle } from '../../worker/protocol';

export interface BundleRequest {
  manifestUrl: string;
  allowWebGpu: boolean;
  /** Each "load" is a new attempt, so asking again for the same URL opens it again. */
  attempt: number;
}

export interface ActiveBundle extends OpenedBundle {
  /** Identifies this opening; analyses are keyed by it. */
  token: string;
}

interface BundleState {
  request: BundleRequest | null;
  active: ActiveBundle | null;
  allowWebGpu: boolean;
  requestBundle(manifestUrl: string): void;
  setAllowWebGpu(allowWebGpu: boolean): void;
  setActive(opened: OpenedBundle, attempt: number): void;
}

let attempts = 0;

export const useBundleStore = create<BundleState>()((set, get) => ({
  request: null,
  active: null,
  allowWebGpu: true,
  requestBundle: (manifestUrl) =>
    set({ request: { manifestUrl, allowWebGpu: get().allowWebGpu, attempt: ++attempts } }),
  setAllowWebGpu: (allowWebGpu) => {
    set({ allowWebGpu });
    const { request } = get();
    if (request) get().requestBundle(request.manifestUrl);
  },
  setActive: (opened, attempt) =>
    set({ active: { ...opened, token: `${opened.manifestUrl}#${attempt}` } }),
}));
