import { encode } from 'fast-png';
import { describe, expect, it } from 'vitest';
import { ImageDecodeError, rgb8FromPng } from './pngImage';

const rgbOf = (png: Uint8Array) => Array.from(rgb8FromPng(png, 'x.png').data);

describe('rgb8FromPng', () => {
  it('keeps RGB as is', () => {
    const png = encode({
      width: 2,
      height: 1,
      data: new Uint8Array([1, 2, 3, 250, 251, 252]),
      channels: 3,
    });
    expect(rgbOf(png)).toEqual([1, 2, 3, 250, 251, 252]);
  });

  it('expands grey and composites alpha over black', () => {
    const greyAlpha = encode({
      width: 2,
      height: 1,
      data: new Uint8Array([200, 255, 200, 0]),
      channels: 2,
    });
    expect(rgbOf(greyAlpha)).toEqual([200, 200, 200, 0, 0, 0]);
    const rgba = encode({
      width: 1,
      height: 1,
      data: new Uint8Array([100, 50, 255, 128]),
      channels: 4,
    });
    expect(rgbOf(rgba)).toEqual([50, 25, 128]);
  });

  it('reduces 16-bit samples to 8 bits', () => {
    const png = encode({
      width: 1,
      height: 1,
      data: new Uint16Array([65535, 0, 32896]),
      channels: 3,
      depth: 16,
    });
    expect(rgbOf(png)).toEqual([255, 0, 128]);
  });

  it('expands palettes and bit-packed grey', () => {
    const palette = encode({
      width: 2,
      height: 1,
      data: new Uint8Array([1, 0]),
      channels: 1,
      depth: 8,
      palette: [
        [10, 20, 30],
        [40, 50, 60],
      ],
    });
    expect(rgbOf(palette)).toEqual([40, 50, 60, 10, 20, 30]);
    // 1-bit grey, 3 pixels packed into one byte: 0, 1, 1.
    const oneBit = encode({
      width: 3,
      height: 1,
      data: new Uint8Array([0b01100000]),
      channels: 1,
      depth: 1,
    });
    expect(rgbOf(oneBit)).toEqual([0, 0, 0, 255, 255, 255, 255, 255, 255]);
  });

  it('reports bytes that are not a PNG', () => {
    expect(() => rgb8FromPng(new TextEncoder().encode('GIF89a...'), 'cat.gif')).toThrow(
      ImageDecodeError,
    );
    expect(() => rgb8FromPng(new Uint8Array(0), 'empty.png')).toThrow(
      /empty\.png could not be read as an image/,
    );
  });
});
