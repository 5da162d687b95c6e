import { FlowclasError } from '../errors';
import { manifestSchema, type BundleManifest } from './manifestSchema';

/** One schema violation: where in the manifest, and what was expected there. */
export interface ManifestIssue {
  path: string;
  message: string;
}

/** A manifest that is not JSON or breaks the schema; lists every violation with its field path. */
export class ManifestError extends FlowclasError {
  readonly issues: ManifestIssue[];

  constructor(source: string, issues: ManifestIssue[]) {
    const listed = issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ');
    super('manifest-invalid', `The model manifest ${source} is not valid: ${listed}`);
    this.name = 'ManifestError';
    this.issues = issues;
  }
}

function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(manifest)';
  return path
    .map((key, index) =>
      typeof key === 'number' ? `[${key}]` : `${index === 0 ? '' : '.'}${String(key)}`,
    )
    .join('');
}

/** Validates manifest JSON text; `source` (its URL or path) appears in the error message. */
export function parseManifest(text: string, source: string): BundleManifest {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ManifestError(source, [
      { path: '(manifest)', message: `not valid JSON (${reason})` },
    ]);
  }
  const result = manifestSchema.safeParse(json);
  if (!result.success) {
    throw new ManifestError(
      source,
      result.error.issues.map((issue) => ({
        path: formatPath(issue.path),
        message: issue.message,
      })),
    );
  }
  return result.data;
}
