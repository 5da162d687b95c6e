/**
 * `flowclas bundle check DIR|URL`: the manifest against its schema, every file against its size
 * and SHA-256 (streamed), then every model and every variant of it, one session at a time:
 * created in onnxruntime-node, checked against the contract, and run on one probe image through
 * the pipeline's own input and output code. The first failure ends the check with one message
 * naming the file, or the model and the tensor.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BundleFetchError, IntegrityError } from '../../core/bundle/bundleErrors';
import { resolveBundleUrl } from '../../core/bundle/loadBundle';
import {
  availablePrecisions,
  MODEL_ROLE_NAMES,
  modelRoles,
  weightFilesOf,
  type BundleManifest,
  type ModelRole,
} from '../../core/bundle/manifestSchema';
import { parseManifest } from '../../core/bundle/parseManifest';
import type { WeightPrecision } from '../../core/defaults';
import { maxAbsDifference } from '../../core/numeric';
import { ContractProbe, type ProbeResult } from '../../core/runtime/contractProbe';
import {
  checkModelContract,
  expectationsFor,
  ModelContractError,
} from '../../core/runtime/modelContract';
import type { InferenceSession } from '../../core/runtime/ort';
import { ModelLoadError } from '../../core/runtime/sessions';
import { digestFile, downloadWithDigest, type FileDigest } from '../../node/fileDigest';
import { createNodeFileSource, manifestUrlFor } from '../../node/fileSource';
import { openModelSession } from '../../node/modelProbes';
import { ortNodeApi } from '../../node/ortNode';
import { formatBytes } from '../../core/runtime/modelMemory';

interface CheckedModel {
  role: ModelRole;
  precision: WeightPrecision;
  file: string;
  bytes: number;
  loadMs: number;
  probeMs: number;
  output: string;
  /** Largest |variant − fp32| on the compared output; undefined for fp32 itself. */
  deviation?: number;
}

function compareDigest(file: string, actual: FileDigest, expected: FileDigest): void {
  if (actual.bytes !== expected.bytes) {
    throw new IntegrityError(file, `expected ${expected.bytes} bytes, got ${actual.bytes}`);
  }
  if (actual.sha256 !== expected.sha256) {
    throw new IntegrityError(file, `expected SHA-256 ${expected.sha256}, got ${actual.sha256}`);
  }
}

/** Verifies every file of the manifest where it lies; a remote bundle is downloaded to `copy`. */
/** Progress for a person watching (a large bundle takes minutes); nothing when piped. */
function showProgress(line: string): void {
  if (process.stderr.isTTY) process.stderr.write(`${line}\n`);
}

async function verifyFiles(
  manifest: BundleManifest,
  manifestUrl: string,
  copy: string | undefined,
): Promise<void> {
  for (const [file, expected] of Object.entries(manifest.files)) {
    showProgress(
      `${copy ? 'downloading and hashing' : 'hashing'} ${file} (${formatBytes(expected.bytes)})`,
    );
    let actual: FileDigest;
    if (copy) {
      const path = join(copy, file);
      mkdirSync(dirname(path), { recursive: true });
      actual = await downloadWithDigest(resolveBundleUrl(manifestUrl, file), path);
    } else {
      const path = fileURLToPath(resolveBundleUrl(manifestUrl, file));
      try {
        actual = await digestFile(path);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        throw new BundleFetchError(path, code === 'ENOENT' ? 'file not found' : String(code));
      }
    }
    compareDigest(file, actual, expected);
  }
}

/** "backbone", or "backbone (fp16, backbone.fp16.onnx)" for a variant. */
function modelLabel(role: ModelRole, precision: WeightPrecision, file: string): string {
  const name = MODEL_ROLE_NAMES[role];
  return precision === 'fp32' ? name : `${name} (${precision}, ${file})`;
}

async function checkModel(
  folder: string,
  manifest: BundleManifest,
  probe: ContractProbe,
  role: ModelRole,
  precision: WeightPrecision,
  fp32Result: ProbeResult | undefined,
): Promise<{ checked: CheckedModel; result: ProbeResult }> {
  const weights = weightFilesOf(manifest, role, precision);
  const label = modelLabel(role, precision, weights.file);
  const bytes = [weights.file, ...weights.externalData].reduce(
    (sum, file) => sum + (manifest.files[file]?.bytes ?? 0),
    0,
  );
  const loadStart = performance.now();
  let session: InferenceSession;
  try {
    // From the file's own path, so onnxruntime finds the external data beside it as the graph names it.
    session = await openModelSession(join(folder, weights.file), { optimised: true });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ModelLoadError(label, weights.file, 'cpu', reason.split('\n')[0] ?? reason);
  }
  const loadMs = performance.now() - loadStart;
  try {
    const expectation = expectationsFor(manifest).find(
      (candidate) => candidate.model === MODEL_ROLE_NAMES[role],
    );
    if (!expectation) throw new Error(`no contract for the ${MODEL_ROLE_NAMES[role]}`);
    try {
      checkModelContract(session, expectation);
    } catch (error) {
      if (!(error instanceof ModelContractError)) throw error;
      throw new ModelContractError(label, error.tensor, error.expected, error.actual);
    }
    const probeStart = performance.now();
    const result = await probe.run(role, session, label);
    const probeMs = performance.now() - probeStart;
    const deviation = fp32Result ? maxAbsDifference(result.data, fp32Result.data) : undefined;
    return {
      checked: {
        role,
        precision,
        file: weights.file,
        bytes,
        loadMs,
        probeMs,
        output: `${result.output} [${result.dims.join(', ')}]`,
        deviation,
      },
      result,
    };
  } finally {
    await session.release();
  }
}

function printTable(rows: CheckedModel[]): void {
  const header = [
    'model',
    'precision',
    'file',
    'bytes',
    'load ms',
    'probe ms',
    'output',
    'max |Δ| vs fp32',
  ];
  const cells = rows.map((row) => [
    MODEL_ROLE_NAMES[row.role],
    row.precision,
    row.file,
    formatBytes(row.bytes),
    row.loadMs.toFixed(0),
    row.probeMs.toFixed(0),
    row.output,
    row.deviation === undefined ? '' : row.deviation.toPrecision(3),
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...cells.map((cell) => (cell[column] ?? '').length)),
  );
  const line = (values: string[]) =>
    values
      .map((value, column) => value.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd();
  process.stdout.write(`${[line(header), ...cells.map(line)].join('\n')}\n`);
}

export async function runBundleCheck(location: string): Promise<void> {
  const manifestUrl = manifestUrlFor(location);
  const remote = !manifestUrl.startsWith('file:');
  const source = remote ? manifestUrl : fileURLToPath(manifestUrl);
  const manifest = parseManifest(await createNodeFileSource().readText(manifestUrl), source);

  const copy = remote ? mkdtempSync(join(tmpdir(), 'flowclas-bundle-')) : undefined;
  try {
    await verifyFiles(manifest, manifestUrl, copy);
    const folder = copy ?? dirname(source);
    const probe = new ContractProbe(ortNodeApi, manifest);
    const rows: CheckedModel[] = [];
    for (const role of modelRoles(manifest)) {
      let fp32Result: ProbeResult | undefined;
      for (const precision of availablePrecisions(manifest, role)) {
        showProgress(`loading and probing the ${MODEL_ROLE_NAMES[role]} (${precision})`);
        const { checked, result } = await checkModel(
          folder,
          manifest,
          probe,
          role,
          precision,
          fp32Result,
        );
        fp32Result ??= result;
        rows.push(checked);
      }
    }
    const fileCount = Object.keys(manifest.files).length;
    const totalBytes = Object.values(manifest.files).reduce((sum, file) => sum + file.bytes, 0);
    process.stdout.write(
      `${source}: "${manifest.name}" is a valid bundle; ${fileCount} files (${formatBytes(totalBytes)}) ` +
        `match their SHA-256; every model ran on the probe image.\n`,
    );
    printTable(rows);
  } finally {
    if (copy) rmSync(copy, { recursive: true, force: true });
  }
}
