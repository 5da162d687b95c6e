/**
 * What a `score` run tells its user: a progress bar with an ETA on a terminal, one plain line
 * per image otherwise (logs, CI), and with `--jsonl` one JSON record per image for programs.
 */
import { closeSync, openSync, writeSync } from 'node:fs';

export interface ImageOutcome {
  input: string;
  key: string;
  status: 'done' | 'skipped' | 'failed';
  outputs?: string[];
  groundTruth?: string;
  /** Per-stage milliseconds, as the core reports them, and their total. */
  timings?: Record<string, number>;
  totalMs?: number;
  masks?: number;
  metrics?: Record<string, unknown>;
  warnings: string[];
  error?: string;
}

export interface RunLog {
  /** A line for people that is not about one image (plans, conflicts, summaries). */
  note(line: string): void;
  /** One image finished (or was skipped, or failed). */
  image(outcome: ImageOutcome): void;
  close(): void;
}

const BAR_WIDTH = 24;

function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const whole = Math.round(seconds);
  const [h, m, s] = [Math.floor(whole / 3600), Math.floor((whole % 3600) / 60), whole % 60];
  return h > 0
    ? `${h}h ${String(m).padStart(2, '0')}m`
    : m > 0
      ? `${m}m ${String(s).padStart(2, '0')}s`
      : `${s}s`;
}

function plainLine(outcome: ImageOutcome, position: number, total: number): string {
  const prefix = `[${position}/${total}] ${outcome.input}`;
  if (outcome.status === 'failed') {
    // Core messages usually name the file already.
    const message = outcome.error ?? 'failed';
    return message.includes(outcome.input)
      ? `[${position}/${total}] ${message}`
      : `${prefix}: ${message}`;
  }
  if (outcome.status === 'skipped') return `${prefix}: outputs complete, skipped (--resume)`;
  const parts = [
    outcome.masks === undefined ? undefined : `${outcome.masks} masks`,
    outcome.groundTruth ? 'with ground truth' : undefined,
    `${(outcome.totalMs ?? 0).toFixed(0)} ms`,
  ];
  return `${prefix}: ${parts.filter(Boolean).join(', ')}`;
}

export function createRunLog(options: {
  total: number;
  jsonlPath?: string;
  terminal: boolean;
  write?: (text: string) => void;
}): RunLog {
  const write = options.write ?? ((text: string) => process.stderr.write(text));
  const jsonl =
    options.jsonlPath === undefined
      ? undefined
      : options.jsonlPath === '-'
        ? 1
        : openSync(options.jsonlPath, 'w');
  const started = performance.now();
  let finished = 0;
  let ran = 0;
  let barShown = false;

  const clearBar = () => {
    if (barShown) write('\r\x1b[K');
    barShown = false;
  };
  const drawBar = (current: string) => {
    const fraction = options.total === 0 ? 1 : finished / options.total;
    const filled = Math.round(fraction * BAR_WIDTH);
    const elapsed = (performance.now() - started) / 1000;
    // Skipped images take no time; the rate is that of images actually scored.
    const perImage = ran > 0 ? elapsed / ran : NaN;
    const eta = perImage * (options.total - finished);
    write(
      `\r\x1b[K[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${finished}/${options.total} ` +
        `${(fraction * 100).toFixed(0)}% ${Number.isFinite(perImage) ? `${perImage.toFixed(2)} s/image ` : ''}` +
        `ETA ${duration(eta)}  ${current}`,
    );
    barShown = true;
  };

  return {
    note(line) {
      clearBar();
      write(`${line}\n`);
    },
    image(outcome) {
      finished++;
      if (outcome.status === 'done') ran++;
      if (jsonl !== undefined) writeSync(jsonl, `${JSON.stringify(outcome)}\n`);
      if (!options.terminal) {
        for (const warning of outcome.warnings) write(`${outcome.input}: warning: ${warning}\n`);
        write(`${plainLine(outcome, finished, options.total)}\n`);
        return;
      }
      if (outcome.status === 'failed' || outcome.warnings.length > 0) {
        clearBar();
        for (const warning of outcome.warnings) write(`${outcome.input}: warning: ${warning}\n`);
        if (outcome.status === 'failed') write(`${plainLine(outcome, finished, options.total)}\n`);
      }
      drawBar(outcome.key);
    },
    close() {
      clearBar();
      if (jsonl !== undefined && jsonl !== 1) closeSync(jsonl);
    },
  };
}
