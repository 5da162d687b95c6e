import { writeFileSync } from 'node:fs';
import { scoreMapToNpy } from '../../core/io/npy';
import { smoothScoreMap } from '../../core/smoothing';
import { readMasks, readScoreMap } from '../inputFiles';
import { CliError } from '../failures';

export interface SmoothOptions {
  scores: string;
  masks: string;
  bins: number;
  out: string;
}

/** `flowclas smooth`: Algorithm 1 on one score map, masks in file order. */
export function runSmooth(options: SmoothOptions): void {
  const scoreMap = readScoreMap(options.scores);
  const masks = readMasks(options.masks);
  const mismatched = masks.find(
    (mask) => mask.width !== scoreMap.width || mask.height !== scoreMap.height,
  );
  if (mismatched) {
    throw new CliError(
      `${options.masks}: masks are ${mismatched.width}×${mismatched.height} but the score map ` +
        `${options.scores} is ${scoreMap.width}×${scoreMap.height}.`,
    );
  }
  const refined = smoothScoreMap(scoreMap, masks, options.bins);
  try {
    writeFileSync(options.out, scoreMapToNpy(refined));
  } catch (error) {
    throw new CliError(
      `${options.out}: cannot write the refined map (${(error as Error).message}).`,
    );
  }
}
