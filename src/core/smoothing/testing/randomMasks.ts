/** Random score maps and SAM-like masks (filled ellipses) for smoothing tests and benchmarks. */
import type { PixelMask, ScoreMap } from '../../types';
import { seededNormal, seededRandom } from '../../testing/numericTesting';

/** A smooth random field plus noise, roughly in [-0.3, 1.3] like 1 − likelihood scores. */
export function randomScoreMap(width: number, height: number, seed: number): ScoreMap {
  const random = seededRandom(seed);
  const noise = seededNormal(seed + 1);
  const waves = Array.from({ length: 4 }, () => ({
    fx: (random() * 6 * Math.PI) / width,
    fy: (random() * 6 * Math.PI) / height,
    phase: random() * 2 * Math.PI,
  }));
  const data = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let field = 0;
      for (const wave of waves) field += Math.sin(wave.fx * x + wave.fy * y + wave.phase);
      data[y * width + x] = 0.5 + 0.2 * field + 0.1 * noise();
    }
  }
  return { width, height, data };
}

/** A filled axis-aligned ellipse (clipped to the image), as ascending row-major pixel indices. */
export function ellipseMask(
  width: number,
  height: number,
  centre: { x: number; y: number },
  radii: { x: number; y: number },
): PixelMask {
  const indices: number[] = [];
  const top = Math.max(0, Math.ceil(centre.y - radii.y));
  const bottom = Math.min(height - 1, Math.floor(centre.y + radii.y));
  for (let y = top; y <= bottom; y++) {
    const dy = (y - centre.y) / radii.y;
    const halfWidth = radii.x * Math.sqrt(Math.max(0, 1 - dy * dy));
    const left = Math.max(0, Math.ceil(centre.x - halfWidth));
    const right = Math.min(width - 1, Math.floor(centre.x + halfWidth));
    for (let x = left; x <= right; x++) indices.push(y * width + x);
  }
  return { width, height, pixels: Uint32Array.from(indices) };
}

/**
 * `count` overlapping ellipses whose areas spread log-uniformly between minArea and maxArea,
 * like the mixed object and background masks SAM 2 returns.
 */
export function randomMasks(
  width: number,
  height: number,
  count: number,
  seed: number,
  area: { min: number; max: number },
): PixelMask[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, () => {
    const targetArea = area.min * Math.pow(area.max / area.min, random());
    const aspect = 0.4 + 2 * random();
    const radiusY = Math.max(0.5, Math.sqrt(targetArea / (Math.PI * aspect)));
    const radiusX = Math.max(0.5, radiusY * aspect);
    const centre = { x: random() * width, y: random() * height };
    return ellipseMask(width, height, centre, { x: radiusX, y: radiusY });
  });
}

/** A sparse mask from an arbitrary pixel subset (each pixel kept with the given probability). */
export function scatteredMask(width: number, height: number, keep: number, seed: number) {
  const random = seededRandom(seed);
  const indices: number[] = [];
  for (let i = 0; i < width * height; i++) if (random() < keep) indices.push(i);
  return { width, height, pixels: Uint32Array.from(indices) } satisfies PixelMask;
}

/** Masks as the dense uint8 stack [K, H, W] the numpy reference indexes with. */
export function denseMaskStack(masks: readonly PixelMask[], width: number, height: number) {
  const stack = new Uint8Array(masks.length * width * height);
  masks.forEach((mask, k) => {
    for (const pixel of mask.pixels) stack[k * width * height + pixel] = 1;
  });
  return { data: stack, shape: [masks.length, height, width] };
}
