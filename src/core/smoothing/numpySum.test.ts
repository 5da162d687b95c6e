import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { runPythonReference } from '../testing/pythonReference';
import { numpySum } from './numpySum';
import { seededRandom } from './testing/seededRandom';

const referenceScript = fileURLToPath(new URL('./numpySum.reference.py', import.meta.url));

it('sums and averages in exactly numpy’s order (pairwise within 8192-element chunks)', () => {
  const random = seededRandom(7);
  // Magnitudes spread over 12 decades so that any change of summation order shows up.
  const values = Float64Array.from({ length: 70_003 }, () =>
    Math.fround((random() - 0.3) * 10 ** Math.floor(random() * 12 - 4)),
  );
  const lengths = [
    ...Array.from({ length: 140 }, (_, i) => i),
    255,
    256,
    257,
    1000,
    8191,
    8192,
    8193,
    16_385,
    20_000,
    70_003,
  ];
  const outputs = runPythonReference(
    referenceScript,
    { values: { data: values, shape: [values.length] } },
    { lengths },
  );
  const sums = outputs.sums?.data as Float64Array;
  const means = outputs.means?.data as Float64Array;
  lengths.forEach((length, i) => {
    expect(numpySum(values, length), `sum of ${length}`).toBe(sums[i]);
    if (length > 0) expect(numpySum(values, length) / length, `mean of ${length}`).toBe(means[i]);
  });
});
