import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { runPythonReference } from '../testing/pythonReference';
import { binIndex, countIntoBins, equalWidthBins } from './equalWidthBins';
import { seededRandom } from '../testing/numericTesting';

const referenceScript = fileURLToPath(new URL('./equalWidthBins.reference.py', import.meta.url));

/** The float32 values next to x (one ulp down, x rounded, one ulp up). */
function float32Neighbours(x: number): number[] {
  const cell = new Float32Array([x]);
  const bits = new Uint32Array(cell.buffer);
  const rounded = cell[0] as number;
  const neighbours = [rounded];
  for (const step of [-1, 1]) {
    cell[0] = rounded;
    // Stepping the bit pattern moves one ulp away from zero (+1) or towards it (−1).
    bits[0] = (bits[0] as number) + (rounded >= 0 ? step : -step);
    neighbours.push(cell[0] as number);
  }
  return neighbours;
}

interface BinningCase {
  values: number[];
  bins: number;
}

/** Values crowding every bin edge of a float32 range, where index arithmetic can be a bin off. */
function edgeCrowdingCase(min: number, max: number, bins: number, random: () => number) {
  const [lo, hi] = [Math.fround(min), Math.fround(max)];
  const values = [lo, hi];
  for (const edge of equalWidthBins(lo, hi, bins).edges) {
    for (const value of float32Neighbours(edge)) if (value >= lo && value <= hi) values.push(value);
  }
  for (let i = 0; i < 20; i++) values.push(Math.fround(lo + (hi - lo) * random()));
  return { values, bins };
}

it('bins every value as numpy.histogram does, including values on and next to edges', () => {
  const random = seededRandom(3);
  const cases: BinningCase[] = [];
  for (let i = 0; i < 300; i++) {
    const min = (random() - 0.5) * 10 ** Math.floor(random() * 6 - 2);
    const spread = 10 ** (random() * 8 - 6) * (1 + Math.abs(min));
    cases.push(edgeCrowdingCase(min, min + spread, 1 + Math.floor(random() * 40), random));
  }
  cases.push(edgeCrowdingCase(1000, 1000.001, 20, random)); // tiny range, large magnitude
  cases.push(edgeCrowdingCase(-1, 1, 20, random)); // edges exactly representable
  cases.push({ values: [0.25, 0.25, 0.25], bins: 20 }); // empty range: widened by ±0.5
  cases.push({ values: [-3], bins: 1 });

  const offsets = new Uint32Array(cases.length + 1);
  cases.forEach((c, i) => (offsets[i + 1] = (offsets[i] as number) + c.values.length));
  const values = Float32Array.from(cases.flatMap((c) => c.values));
  const outputs = runPythonReference(
    referenceScript,
    {
      values: { data: values, shape: [values.length] },
      offsets: { data: offsets, shape: [offsets.length] },
    },
    { bins: cases.map((c) => c.bins) },
  );
  const numpyCounts = outputs.counts?.data as Float64Array;

  let countOffset = 0;
  cases.forEach(({ values: caseValues, bins }, i) => {
    const input = Float32Array.from(caseValues);
    const layout = equalWidthBins(Math.min(...input), Math.max(...input), bins);
    const fast = new Uint32Array(bins);
    countIntoBins(input, input.length, layout, fast);
    const direct = new Uint32Array(bins);
    for (const value of input)
      direct[binIndex(value, layout)] = (direct[binIndex(value, layout)] as number) + 1;
    const expected = Array.from(numpyCounts.subarray(countOffset, countOffset + bins));
    countOffset += bins;
    expect(Array.from(fast), `case ${i}: countIntoBins`).toEqual(expected);
    expect(Array.from(direct), `case ${i}: binIndex`).toEqual(expected);
  });
});

it('widens an empty range by ±0.5 and keeps the last edge exact', () => {
  const constant = equalWidthBins(2, 2, 4);
  expect(Array.from(constant.edges)).toEqual([1.5, 1.75, 2, 2.25, 2.5]);
  const { edges } = equalWidthBins(0.1, 0.7, 3);
  expect(edges[3]).toBe(0.7);
  expect(edges[1]).toBe(1 * ((0.7 - 0.1) / 3) + 0.1);
});
