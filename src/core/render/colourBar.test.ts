import { interpolateInferno, interpolateViridis } from 'd3-scale-chromatic';
import { describe, expect, it } from 'vitest';
import { ShapeMismatchError } from '../errors';
import { parseCssColour } from './colormaps';
import {
  colourBarRgba,
  colourBarStrip,
  colourBarTicks,
  stackRows,
  thresholdBarTicks,
} from './colourBar';
import { THRESHOLD_VIEW_COLOURS } from './thresholdView';

const pixelAt = (rgba: Uint8ClampedArray, width: number, x: number, y: number) =>
  Array.from(rgba.subarray((y * width + x) * 4, (y * width + x) * 4 + 4));

describe('colourBarRgba', () => {
  it('shows the colour map at t = x / (width − 1) in every row', () => {
    const rgba = colourBarRgba('viridis', 256, 3);
    for (let x = 0; x < 256; x++) {
      const expected = [...parseCssColour(interpolateViridis(x / 255)), 255];
      for (let y = 0; y < 3; y++) expect(pixelAt(rgba, 256, x, y)).toEqual(expected);
    }
  });

  it('takes the nearest entry on a bar narrower than the map', () => {
    // grey's entry i is (i, i, i); three columns are t = 0, 0.5 (entry 127.5 → 128) and 1.
    const rgba = colourBarRgba('grey', 3, 1);
    expect(Array.from(rgba)).toEqual([0, 0, 0, 255, 128, 128, 128, 255, 255, 255, 255, 255]);
  });
});

describe('colourBarTicks', () => {
  it('labels lo, middle and hi with decimals that tell them apart', () => {
    expect(colourBarTicks([0, 1]).map((tick) => tick.text)).toEqual(['0.00', '0.50', '1.00']);
    expect(colourBarTicks([0.17, 0.69])).toEqual([
      { value: 0.17, at: 0, text: '0.170' },
      { value: 0.43, at: 0.5, text: '0.430' },
      { value: 0.69, at: 1, text: '0.690' },
    ]);
    expect(colourBarTicks([0.1234, 0.1244]).map((tick) => tick.text)).toEqual([
      '0.12340',
      '0.12390',
      '0.12440',
    ]);
    // A constant map's automatic range has no span.
    expect(colourBarTicks([0.5, 0.5]).map((tick) => tick.text)).toEqual([
      '0.500',
      '0.500',
      '0.500',
    ]);
  });

  it('labels the two sides of a threshold', () => {
    expect(thresholdBarTicks(0.6).map((tick) => [tick.text, tick.at])).toEqual([
      ['< 0.60', 0.25],
      ['≥ 0.60', 0.75],
    ]);
  });
});

describe('colourBarStrip', () => {
  it('draws the framed colour map on white with the range numbers at its ends and middle', () => {
    // 268 px wide: 10 px numbers, a 5 px margin and a 1 px frame leave the bar 256 columns.
    const strip = colourBarStrip({ kind: 'colour', colormap: 'inferno', range: [0.2, 0.6] }, 268);
    const { layout, rgba } = strip;
    expect(layout.bar).toEqual({ left: 6, top: 6, width: 256, height: 9 });
    expect(rgba.length).toBe(268 * layout.height * 4);
    expect(pixelAt(rgba, 268, 0, 0)).toEqual([255, 255, 255, 255]);
    expect(pixelAt(rgba, 268, 5, 8)).toEqual([96, 96, 96, 255]);
    // The first entry is #000004 and the last #fcffa4 (matplotlib's inferno).
    expect(pixelAt(rgba, 268, 6, 6)).toEqual([0, 0, 4, 255]);
    expect(pixelAt(rgba, 268, 261, 14)).toEqual([252, 255, 164, 255]);
    for (const x of [40, 128, 200]) {
      expect(pixelAt(rgba, 268, 6 + x, 10)).toEqual([
        ...parseCssColour(interpolateInferno(x / 255)),
        255,
      ]);
    }
    // Below the bar only white, where the numbers go.
    for (let x = 0; x < 268; x++)
      expect(pixelAt(rgba, 268, x, layout.textTop)).toEqual([255, 255, 255, 255]);
    expect(strip.labels).toEqual([
      { text: '0.200', x: 6, align: 'left' },
      { text: '0.400', x: 134, align: 'center' },
      { text: '0.600', x: 262, align: 'right' },
    ]);
  });

  it('shows the threshold view as it looks: translucent black over white, and white', () => {
    const strip = colourBarStrip(
      { kind: 'threshold', threshold: 0.6, colours: THRESHOLD_VIEW_COLOURS },
      268,
    );
    // 160/255 black over white leaves 255 · 95/255 = 95.
    expect(pixelAt(strip.rgba, 268, 10, 10)).toEqual([95, 95, 95, 255]);
    expect(pixelAt(strip.rgba, 268, 250, 10)).toEqual([255, 255, 255, 255]);
    expect(strip.labels.map((label) => [label.text, label.x])).toEqual([
      ['< 0.60', 70],
      ['≥ 0.60', 198],
    ]);
  });

  it('grows with the image, within limits', () => {
    expect(
      colourBarStrip({ kind: 'colour', colormap: 'grey', range: [0, 1] }, 73).layout.fontPx,
    ).toBe(10);
    expect(
      colourBarStrip({ kind: 'colour', colormap: 'grey', range: [0, 1] }, 2000).layout.fontPx,
    ).toBe(50);
  });
});

describe('stackRows', () => {
  it('puts the second raster below the first', () => {
    const top = new Uint8ClampedArray([1, 1, 1, 1, 2, 2, 2, 2]);
    const bottom = new Uint8ClampedArray([3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 6, 6, 6, 6]);
    expect(Array.from(stackRows(top, bottom, 2))).toEqual([...top, ...bottom]);
    expect(() => stackRows(top, new Uint8ClampedArray(12), 2)).toThrow(ShapeMismatchError);
  });
});
