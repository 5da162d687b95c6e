/** Reading the CLI's input files into core types, with errors that name the file. */
import { readFileSync, statSync } from 'node:fs';
import { extname } from 'node:path';
import { labelMapFromGroundTruthFile } from '../core/groundTruth';
import { decodeNpy, maskStackFromNpy, scoreMapFromNpy } from '../core/io/npy';
import { decodeRleMaskList } from '../core/io/rleMaskList';
import type { LabelMap, PixelMask, ScoreMap } from '../core/types';
import { CliError } from './failures';

export function readInputFile(path: string, role: string): Uint8Array {
  let isFile = false;
  try {
    isFile = statSync(path).isFile();
  } catch {
    throw new CliError(`${path}: ${role} file not found.`);
  }
  if (!isFile) throw new CliError(`${path}: ${role} must be a file, not a folder.`);
  return new Uint8Array(readFileSync(path));
}

function requireExtension(path: string, role: string, allowed: string[]): string {
  const extension = extname(path).toLowerCase();
  if (!allowed.includes(extension)) {
    throw new CliError(
      `${path}: ${role} must be ${allowed.join(' or ')}, got "${extension || 'no extension'}".`,
    );
  }
  return extension;
}

export function readScoreMap(path: string): ScoreMap {
  requireExtension(path, 'a score map', ['.npy']);
  return scoreMapFromNpy(decodeNpy(readInputFile(path, 'score map'), path), path);
}

export function readLabelMap(path: string): LabelMap {
  requireExtension(path, 'ground truth', ['.png', '.npy']);
  return labelMapFromGroundTruthFile(readInputFile(path, 'ground truth'), path);
}

export function readMasks(path: string): PixelMask[] {
  const extension = requireExtension(path, 'masks', ['.npy', '.json']);
  const bytes = readInputFile(path, 'masks');
  if (extension === '.npy') return maskStackFromNpy(decodeNpy(bytes, path), path);
  return decodeRleMaskList(new TextDecoder().decode(bytes), path);
}
