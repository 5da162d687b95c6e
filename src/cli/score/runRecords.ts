/**
 * The run manifest: one JSON line per finished image (input, size, content hash, bundle hash,
 * settings, outputs with their sizes), appended as each image completes, so a killed run keeps
 * the record of everything it finished. It decides what a rerun may skip or overwrite.
 */
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Shard } from './imageInputs';

/** What changes an image's outputs (the metric thresholds do not). */
export interface OutputSettings {
  masks: boolean;
  bins: number;
  amg: string;
  /** The weight variant each model ran in, e.g. "backbone fp32, flow int8". */
  weights: string;
  /** AMG prompt grid side. */
  pointsPerSide: number;
}

export interface RunRecord {
  key: string;
  /** Position of the image in the run's sorted input list (the order of merged metrics). */
  position: number;
  input: string;
  bytes: number;
  sha256: string;
  bundle: { name: string; sha256: string };
  settings: OutputSettings;
  /** Output files relative to the output folder, with their sizes in bytes. */
  outputs: Record<string, number>;
  groundTruth?: string;
  finishedAt: string;
}

const RECORDS_PREFIX = 'flowclas-run';

/** The record file of this run: one per shard, so shards writing into one folder never interleave. */
export function recordsFileName(shard: Shard | undefined): string {
  return shard
    ? `${RECORDS_PREFIX}.shard-${shard.index}-of-${shard.count}.jsonl`
    : `${RECORDS_PREFIX}.jsonl`;
}

export const sha256Hex = (bytes: Uint8Array | string) =>
  createHash('sha256').update(bytes).digest('hex');

/**
 * Every record in `folder`'s record files, the latest per output key. A line cut short by a
 * crash is ignored: its image's outputs are not known to be complete.
 */
export function readRunRecords(folder: string): Map<string, RunRecord> {
  const records = new Map<string, RunRecord>();
  if (!existsSync(folder)) return records;
  const files = readdirSync(folder)
    .filter((name) => name.startsWith(RECORDS_PREFIX) && name.endsWith('.jsonl'))
    .sort();
  const all: RunRecord[] = [];
  for (const file of files) {
    for (const line of readFileSync(join(folder, file), 'utf8').split('\n')) {
      if (!line.trim()) continue;
      try {
        all.push(JSON.parse(line) as RunRecord);
      } catch {
        // an unfinished last line
      }
    }
  }
  all.sort((a, b) => a.finishedAt.localeCompare(b.finishedAt));
  for (const record of all) records.set(record.key, record);
  return records;
}

export function appendRunRecord(folder: string, fileName: string, record: RunRecord): void {
  appendFileSync(join(folder, fileName), `${JSON.stringify(record)}\n`);
}

/** Whether every output the record lists is on disk with the recorded size. */
export function outputsComplete(folder: string, record: RunRecord): boolean {
  return Object.entries(record.outputs).every(([file, bytes]) => {
    try {
      return statSync(join(folder, file)).size === bytes;
    } catch {
      return false;
    }
  });
}

export interface PlannedImage {
  key: string;
  input: string;
  /** The output files this run would write for it. */
  outputFiles: string[];
}

export type ImagePlan =
  | { action: 'run' }
  | { action: 'skip'; record: RunRecord }
  | { action: 'conflict'; reason: string };

export interface PlanContext {
  folder: string;
  previous: Map<string, RunRecord>;
  bundleSha256: string;
  settings: OutputSettings;
  resume: boolean;
  overwrite: boolean;
}

const sameSettings = (a: OutputSettings, b: OutputSettings) =>
  a.masks === b.masks &&
  a.bins === b.bins &&
  a.amg === b.amg &&
  a.weights === b.weights &&
  a.pointsPerSide === b.pointsPerSide;

/**
 * What to do with one image given what the folder already holds: run it; skip it (`--resume`,
 * and its recorded outputs are complete and came from the same input, bundle and settings); or
 * refuse, because its outputs would replace results of another input, bundle or setting, or
 * files of unknown origin (unless `--overwrite`).
 */
export function planImage(image: PlannedImage, context: PlanContext): ImagePlan {
  if (context.overwrite) return { action: 'run' };
  const record = context.previous.get(image.key);
  if (!record) {
    const existing = image.outputFiles.find((file) => existsSync(join(context.folder, file)));
    return existing
      ? {
          action: 'conflict',
          reason: `${existing} exists and no run record says where it came from`,
        }
      : { action: 'run' };
  }
  if (record.bundle.sha256 !== context.bundleSha256) {
    return {
      action: 'conflict',
      reason: `its outputs came from another bundle (${record.bundle.name})`,
    };
  }
  if (!sameSettings(record.settings, context.settings)) {
    return {
      action: 'conflict',
      reason: `its outputs came from other settings (${JSON.stringify(record.settings)})`,
    };
  }
  // By content, not path: a dataset that moved is still the same input.
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(image.input);
  } catch {
    return { action: 'run' }; // it fails visibly when the run reads it
  }
  if (bytes.length !== record.bytes || sha256Hex(bytes) !== record.sha256) {
    return {
      action: 'conflict',
      reason: `its outputs came from other image content (${record.input})`,
    };
  }
  if (context.resume && outputsComplete(context.folder, record)) return { action: 'skip', record };
  return { action: 'run' };
}
