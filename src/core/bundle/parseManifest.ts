import { FlowclasError } from '../errors';
import {
  MANIFEST_ROOT,
  manifestIssueMessage,
  manifestIssuesOf,
  summariseManifestIssues,
  type ManifestIssue,
} from './manifestIssues';
import { manifestSchema, type BundleManifest } from './manifestSchema';

export type { ManifestIssue } from './manifestIssues';

/** A manifest that is not JSON or breaks the schema; lists every violation with its field path. */
export class ManifestError extends FlowclasError {
  readonly issues: ManifestIssue[];

  constructor(source: string, issues: ManifestIssue[]) {
    super(
      'manifest-invalid',
      `The model manifest ${source} is not valid: ${summariseManifestIssues(issues)}`,
    );
    this.name = 'ManifestError';
    this.issues = issues;
  }
}

/** Validates manifest JSON text; `source` (its URL or path) appears in the error message. */
export function parseManifest(text: string, source: string): BundleManifest {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ManifestError(source, [
      { path: MANIFEST_ROOT, message: `is not valid JSON (${reason})` },
    ]);
  }
  const result = manifestSchema.safeParse(json, { error: manifestIssueMessage });
  if (!result.success) throw new ManifestError(source, manifestIssuesOf(result.error.issues));
  return result.data;
}
