import { encode } from 'fast-png';
import { describe, expect, it } from 'vitest';
import { labelMapFromPng, labelMapToPng } from './png';

describe('label PNGs', () => {
  it('round-trips a grey label map', () => {
    const labels = { width: 3, height: 1, data: new Uint8Array([0, 1, 255]) };
    expect(labelMapFromPng(labelMapToPng(labels), 'gt.png')).toEqual(labels);
  });

  it('keeps palette indices as labels', () => {
    const png = encode({
      width: 2,
      height: 1,
      data: new Uint8Array([1, 0]),
      channels: 1,
      depth: 8,
      palette: [
        [0, 0, 0],
        [255, 0, 0],
      ],
    });
    expect(Array.from(labelMapFromPng(png, 'p.png').data)).toEqual([1, 0]);
  });

  it('accepts RGB only when the channels agree', () => {
    const grey = encode({ width: 1, height: 1, data: new Uint8Array([1, 1, 1]), channels: 3 });
    expect(Array.from(labelMapFromPng(grey, 'g.png').data)).toEqual([1]);
    const colour = encode({ width: 1, height: 1, data: new Uint8Array([1, 2, 1]), channels: 3 });
    expect(() => labelMapFromPng(colour, 'c.png')).toThrow(/c\.png: .*x=0, y=0 is a colour/);
  });

  it('reports undecodable bytes with the file name', () => {
    expect(() => labelMapFromPng(new Uint8Array([1, 2, 3]), 'bad.png')).toThrow(
      /bad\.png: not a readable PNG/,
    );
  });
});
