/** Which bundle the user asked for, and which one the worker has open right now. */
import { create } from 'zustand';
import type { PrecisionPreference } from '../../core/runtime/weightPrecision';
import type { OpenedBundle } from '../../worker/protocol';

export interface BundleRequest {
  manifestUrl: string;
  allowWebGpu: boolean;
  precision: PrecisionPreference;
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
  precision: PrecisionPreference;
  requestBundle(manifestUrl: string): void;
  setAllowWebGpu(allowWebGpu: boolean): void;
  /** Re-opens the requested bundle with other weights. */
  setPrecision(precision: PrecisionPreference): void;
  setActive(opened: OpenedBundle, attempt: number): void;
}

let attempts = 0;

/** A backend or precision change re-opens the bundle in use (not a request that failed). */
function reopen() {
  const { active, request, requestBundle } = useBundleStore.getState();
  const manifestUrl = active?.manifestUrl ?? request?.manifestUrl;
  if (manifestUrl) requestBundle(manifestUrl);
}

export const useBundleStore = create<BundleState>()((set, get) => ({
  request: null,
  active: null,
  allowWebGpu: true,
  precision: 'auto',
  requestBundle: (manifestUrl) => {
    const { allowWebGpu, precision } = get();
    set({ request: { manifestUrl, allowWebGpu, precision, attempt: ++attempts } });
  },
  setAllowWebGpu: (allowWebGpu) => {
    set({ allowWebGpu });
    reopen();
  },
  setPrecision: (precision) => {
    set({ precision });
    reopen();
  },
  setActive: (opened, attempt) =>
    set({ active: { ...opened, token: `${opened.manifestUrl}#${attempt}` } }),
}));
