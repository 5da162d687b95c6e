import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { runPythonReference } from '../testing/pythonReference';
import { numpySum } from './numpySum';
import { seededRandom } from '../testing/numericTesting';

const referenceScript = fileURLToPath(new URL('./numpySum.reference.py', import.meta.url));

/** numpy before 2.3 reduces in 8192-element buffer chunks; 2.3 reorganised buffered iteration. */
const CHUNKED_REDUCTION_BEFORE = [2, 3];

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
  const [major, minor] = Array.from(outputs.version?.data as Float64Array) as [number, number];
  const [chunkedMajor, chunkedMinor] = CHUNKED_REDUCTION_BEFORE as [number, number];
  const chunkedNumpy = major < chunkedMajor || (major === chunkedMajor && minor < chunkedMinor);
  lengths.forEach((length, i) => {
    const sum = numpySum(values, length);
    if (length <= 8192 || chunkedNumpy) {
      expect(sum, `sum of ${length}`).toBe(sums[i]);
      if (length > 0) expect(sum / length, `mean of ${length}`).toBe(means[i]);
    } else {
      // A newer numpy may chunk differently past one buffer: same sum up to rounding.
      const reference = sums[i] as number;
      expect(Math.abs(sum - reference), `sum of ${length}`).toBeLessThan(
        1e-12 * Math.abs(reference),
      );
    }
  });
});
