/** One straight-alpha RGBA colour, each channel 0..255. */
export type Rgba = readonly [number, number, number, number];
