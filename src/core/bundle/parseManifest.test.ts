import { describe, expect, it } from 'vitest';
import { availablePrecisions, referencedFiles, weightFilesOf } from './manifestSchema';
import { ManifestError, parseManifest } from './parseManifest';
import { validManifest } from './testdata/validManifest';

function issuesOf(text: string): { path: string; message: string }[] {
  try {
    parseManifest(text, 'models/x/manifest.json');
  } catch (error) {
    expect(error).toBeInstanceOf(ManifestError);
    return (error as ManifestError).issues;
  }
  throw new Error('expected the manifest to be rejected');
}

describe('parseManifest', () => {
  it('accepts a complete manifest and returns it typed', () => {
    const manifest = parseManifest(JSON.stringify(validManifest()), 'manifest.json');
    expect(manifest.backbone.resize).toEqual({ mode: 'pad', maxSide: 448 });
    expect(manifest.segmenter?.amg.pointsPerSide).toBe(32);
  });

  it('accepts a manifest without a segmenter', () => {
    const manifest = validManifest();
    delete manifest.segmenter;
    delete manifest.files['sam2_encoder.onnx'];
    delete manifest.files['sam2_decoder.onnx'];
    expect(parseManifest(JSON.stringify(manifest), 'm').segmenter).toBeUndefined();
  });

  it('reports text that is not JSON', () => {
    const issues = issuesOf('{"format": ');
    expect(issues).toHaveLength(1);
    expect(issues[0]?.message).toMatch(/not valid JSON/);
  });

  it('lists every violation with its field path', () => {
    const manifest = validManifest();
    const broken = {
      ...manifest,
      backbone: { ...manifest.backbone, patchSize: -14 },
      flow: { ...manifest.flow, outputKind: 'probability' },
    };
    const issues = issuesOf(JSON.stringify(broken));
    const paths = issues.map((issue) => issue.path);
    expect(paths).toContain('backbone.patchSize');
    expect(paths).toContain('flow.outputKind');
  });

  it('names the path inside nested arrays', () => {
    const manifest = validManifest() as unknown as { backbone: { std: number[] } };
    manifest.backbone.std = [0.2, 0, 0.2];
    expect(issuesOf(JSON.stringify(manifest)).map((issue) => issue.path)).toContain('backbone.std');
  });

  it('requires prefixTokens for a tokens backbone but not for a map backbone', () => {
    const tokens = validManifest();
    delete tokens.backbone.prefixTokens;
    expect(issuesOf(JSON.stringify(tokens))).toEqual([
      { path: 'backbone.prefixTokens', message: expect.stringContaining('prefix tokens') },
    ]);
    const map = validManifest();
    map.backbone.layout = 'map';
    delete map.backbone.prefixTokens;
    expect(parseManifest(JSON.stringify(map), 'm').backbone.layout).toBe('map');
  });

  it('requires a size and hash for every referenced file', () => {
    const manifest = validManifest();
    delete manifest.files['flow.onnx'];
    expect(issuesOf(JSON.stringify(manifest))).toEqual([
      { path: 'files', message: 'has no entry for "flow.onnx" (named at flow.file)' },
    ]);
  });

  it('rejects malformed hashes and unknown fields', () => {
    const manifest = validManifest();
    const broken = {
      ...manifest,
      files: { ...manifest.files, 'flow.onnx': { bytes: 20, sha256: 'abc' } },
      extra: true,
    };
    const issues = issuesOf(JSON.stringify(broken));
    expect(issues).toEqual([
      { path: 'files.flow.onnx.sha256', message: 'must be 64 lowercase hex digits' },
      { path: 'extra', message: 'is not a known field' },
    ]);
  });

  it('rejects files outside the bundle folder', () => {
    const manifest = validManifest();
    manifest.flow.file = '../secrets.onnx';
    expect(issuesOf(JSON.stringify(manifest)).map((issue) => issue.path)).toContain('flow.file');
  });

  it('rejects a flow whose channels differ from the backbone', () => {
    const manifest = validManifest();
    manifest.flow.channels = 384;
    expect(issuesOf(JSON.stringify(manifest))).toEqual([
      { path: 'flow.channels', message: 'must equal backbone.channels (192)' },
    ]);
  });

  it('says what to write at each field, in words', () => {
    const manifest = validManifest() as unknown as Record<string, Record<string, unknown>>;
    delete manifest.license;
    Object.assign(manifest.backbone ?? {}, { patchSize: -14, mean: 'grey' });
    Object.assign(manifest.flow ?? {}, { outputKind: 'probability' });
    Object.assign(manifest.smoothing ?? {}, { bins: 2.5 });
    Object.assign(manifest.display ?? {}, { scoreRange: [0] });
    expect(issuesOf(JSON.stringify(manifest))).toEqual([
      { path: 'license', message: 'is missing' },
      { path: 'backbone.patchSize', message: 'must be greater than 0 (found -14)' },
      { path: 'backbone.mean', message: 'must be a list (found "grey")' },
      {
        path: 'flow.outputKind',
        message: 'must be "likelihood" or "log-likelihood" (found "probability")',
      },
      { path: 'smoothing.bins', message: 'must be a whole number (found 2.5)' },
      { path: 'display.scoreRange', message: 'must have at least 2 items (found a list)' },
    ]);
  });

  it('names the allowed kinds of a choice by its field', () => {
    const manifest = validManifest() as unknown as { backbone: { resize: unknown } };
    manifest.backbone.resize = { mode: 'crop' };
    expect(issuesOf(JSON.stringify(manifest))).toEqual([
      { path: 'backbone.resize.mode', message: 'must be "pad" or "stretch"' },
    ]);
  });

  it('sums the violations up in one sentence with their field paths', () => {
    const manifest = validManifest() as unknown as Record<string, Record<string, unknown>>;
    Object.assign(manifest.backbone ?? {}, { patchSize: 0 });
    delete manifest.license;
    expect(() => parseManifest(JSON.stringify(manifest), 'https://example.org/m.json')).toThrow(
      'The model manifest https://example.org/m.json is not valid: license is missing; ' +
        'backbone.patchSize must be greater than 0 (found 0).',
    );
  });

  it('names at most five violations and counts the rest', () => {
    const { name, description, domain, license, smoothing, display, ...manifest } = validManifest();
    expect([name, description, domain, license, smoothing, display]).not.toContain(undefined);
    const error = (() => {
      try {
        parseManifest(JSON.stringify(manifest), 'm.json');
      } catch (caught) {
        return caught as ManifestError;
      }
      throw new Error('expected the manifest to be rejected');
    })();
    expect(error.issues).toHaveLength(6);
    expect(error.message).toBe(
      'The model manifest m.json is not valid: name is missing; description is missing; ' +
        'domain is missing; license is missing; smoothing is missing; and 1 more.',
    );
  });

  it('asks whether a file without the bundle format is a manifest at all', () => {
    expect(() => parseManifest('{"format": "something-else"}', 'm.json')).toThrow(
      'The model manifest m.json is not valid: format must be "flowclas-bundle/1" ' +
        '(found "something-else") (and 9 other problems). Is this a FlowCLAS bundle manifest?',
    );
    expect(() => parseManifest('[1, 2]', 'm.json')).toThrow(
      'The model manifest m.json is not valid: the manifest must be an object (found a list).',
    );
  });

  it('accepts external data and weight variants, and resolves each precision to its files', () => {
    const manifest = validManifest();
    const entry = { bytes: 10, sha256: 'a'.repeat(64) };
    Object.assign(manifest.backbone, {
      externalData: ['backbone.onnx.data.0', 'backbone.onnx.data.1'],
      variants: { fp16: { file: 'backbone.fp16.onnx' }, int8: { file: 'backbone.int8.onnx' } },
    });
    for (const file of [
      'backbone.onnx.data.0',
      'backbone.onnx.data.1',
      'backbone.fp16.onnx',
      'backbone.int8.onnx',
    ]) {
      manifest.files[file] = entry;
    }
    const parsed = parseManifest(JSON.stringify(manifest), 'm');
    expect(availablePrecisions(parsed, 'backbone')).toEqual(['fp32', 'fp16', 'int8']);
    expect(availablePrecisions(parsed, 'flow')).toEqual(['fp32']);
    expect(weightFilesOf(parsed, 'backbone', 'fp32')).toEqual({
      precision: 'fp32',
      file: 'backbone.onnx',
      externalData: ['backbone.onnx.data.0', 'backbone.onnx.data.1'],
    });
    expect(weightFilesOf(parsed, 'backbone', 'fp16')).toEqual({
      precision: 'fp16',
      file: 'backbone.fp16.onnx',
      externalData: [],
    });
    // A precision the model does not ship falls back to its fp32 weights.
    expect(weightFilesOf(parsed, 'flow', 'int8').precision).toBe('fp32');
    expect(referencedFiles(parsed)).toContainEqual([
      'backbone.externalData[1]',
      'backbone.onnx.data.1',
    ]);
    expect(referencedFiles(parsed)).toContainEqual([
      'backbone.variants.int8.file',
      'backbone.int8.onnx',
    ]);
  });

  it('requires a size and hash for external data and variants, naming the field', () => {
    const manifest = validManifest();
    Object.assign(manifest.flow, {
      externalData: ['flow.onnx.data'],
      variants: { fp16: { file: 'flow.fp16.onnx' } },
    });
    expect(issuesOf(JSON.stringify(manifest))).toEqual([
      {
        path: 'files',
        message: 'has no entry for "flow.onnx.data" (named at flow.externalData[0])',
      },
      {
        path: 'files',
        message: 'has no entry for "flow.fp16.onnx" (named at flow.variants.fp16.file)',
      },
    ]);
  });

  it('rejects an unknown precision', () => {
    const manifest = validManifest();
    Object.assign(manifest.flow, { variants: { bf16: { file: 'flow.onnx' } } });
    expect(issuesOf(JSON.stringify(manifest))).toEqual([
      { path: 'flow.variants.bf16', message: 'is not a known field' },
    ]);
  });
});
