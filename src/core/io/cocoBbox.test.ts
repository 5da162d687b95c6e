import { describe, expect, it } from 'vitest';
import { cocoBboxOf } from './cocoBbox';

/** A mask from rows of '#' (set) and '.' (unset), as one would draw it. */
function drawn(rows: string[]) {
  const width = rows[0]?.length ?? 0;
  const pixels: number[] = [];
  rows.forEach((row, y) => {
    for (let x = 0; x < row.length; x++) if (row[x] === '#') pixels.push(y * width + x);
  });
  return { width, height: rows.length, pixels: Uint32Array.from(pixels) };
}

describe('cocoBboxOf', () => {
  it('gives a single pixel a 1 × 1 box at its place', () => {
    expect(cocoBboxOf(drawn(['.....', '..#..', '.....', '.....']))).toEqual([2, 1, 1, 1]);
  });

  it('spans the extreme pixels of a scattered shape: width and height count pixels', () => {
    // Columns 1..4 (4 wide), rows 0..2 (3 high).
    const mask = drawn(['.#....', '....#.', '..#...', '......']);
    expect(cocoBboxOf(mask)).toEqual([1, 0, 4, 3]);
  });

  it('reaches the right and bottom borders', () => {
    const mask = drawn(['....', '..##', '..##']);
    expect(cocoBboxOf(mask)).toEqual([2, 1, 2, 2]);
  });

  it('gives an empty mask [0, 0, 0, 0], as pycocotools does', () => {
    expect(cocoBboxOf(drawn(['...', '...']))).toEqual([0, 0, 0, 0]);
  });

  it("turns the issue's inclusive [67, 67, 447, 223] on a 448 × 224 image into COCO's form", () => {
    const width = 448;
    const pixels: number[] = [];
    for (let y = 67; y <= 223; y++) for (let x = 67; x <= 447; x++) pixels.push(y * width + x);
    const mask = { width, height: 224, pixels: Uint32Array.from(pixels) };
    expect(cocoBboxOf(mask)).toEqual([67, 67, 381, 157]);
  });
});
