/** The image pixel under the pointer, shared by all aligned views. */
import { create } from 'zustand';

export interface HoverPixel {
  x: number;
  y: number;
}

interface HoverState {
  pixel: HoverPixel | null;
  setPixel(pixel: HoverPixel | null): void;
}

export const useHoverStore = create<HoverState>()((set) => ({
  pixel: null,
  setPixel: (pixel) => set({ pixel }),
}));
