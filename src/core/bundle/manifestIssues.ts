/**
 * Manifest schema violations in words a bundle author acts on: "backbone.patchSize must be
 * greater than 0", "license is missing". zod's own wording ("Invalid input: expected int,
 * received number") names types, not what to write; this error map replaces it wherever the
 * schema itself gives no message.
 */
import type { z } from 'zod';

/** One schema violation: where in the manifest, and what is wrong there. */
export interface ManifestIssue {
  path: string;
  message: string;
}

/** The path shown for the manifest as a whole. */
export const MANIFEST_ROOT = '(manifest)';

/** How many violations a summary names before "and N more". */
const LISTED_ISSUES = 5;

const EXPECTED_NOUNS: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'an object',
  record: 'an object',
  array: 'a list',
  tuple: 'a list',
};

/** A value as it appears in the manifest, short enough for one line. */
function shown(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  const text = JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 37)}…` : text;
}

const quoted = (values: readonly unknown[]) => {
  const words = values.map((value) => JSON.stringify(value));
  return words.length <= 1
    ? (words[0] ?? '')
    : `${words.slice(0, -1).join(', ')} or ${words.at(-1)}`;
};

function bound(origin: string, limit: number | bigint, inclusive: boolean, side: 'min' | 'max') {
  if (origin === 'array' || origin === 'set') {
    const items = `${limit} item${limit === 1 ? '' : 's'}`;
    return side === 'min' ? `must have at least ${items}` : `must have at most ${items}`;
  }
  if (origin === 'string') {
    if (side === 'min' && limit === 1) return 'must not be empty';
    return `must be ${side === 'min' ? 'at least' : 'at most'} ${limit} characters long`;
  }
  if (side === 'min')
    return inclusive ? `must be at least ${limit}` : `must be greater than ${limit}`;
  return inclusive ? `must be at most ${limit}` : `must be less than ${limit}`;
}

/**
 * zod error map for the manifest: a message for the issue, or undefined to keep zod's (for
 * issue kinds a manifest does not produce). Messages follow the field path in a sentence.
 */
export function manifestIssueMessage(issue: z.core.$ZodRawIssue): string | undefined {
  const input: unknown = issue.input;
  const found = input === undefined ? '' : ` (found ${shown(input)})`;
  switch (issue.code) {
    case 'invalid_type':
      if (input === undefined) return 'is missing';
      return `must be ${EXPECTED_NOUNS[issue.expected] ?? issue.expected}${found}`;
    case 'invalid_value':
      if (input === undefined) return `is missing (it must be ${quoted(issue.values)})`;
      return `must be ${quoted(issue.values)}${found}`;
    case 'too_small':
      return `${bound(issue.origin, issue.minimum, issue.inclusive ?? false, 'min')}${found}`;
    case 'too_big':
      return `${bound(issue.origin, issue.maximum, issue.inclusive ?? false, 'max')}${found}`;
    case 'invalid_union':
      if (input === undefined) return 'is missing';
      // zod puts the discriminator in the path already: "backbone.resize.mode".
      if (issue.discriminator && Array.isArray(issue.options)) {
        return `must be ${quoted(issue.options)}`;
      }
      return `is not in any of the accepted forms${found}`;
    case 'unrecognized_keys':
      return `is not a known field`;
    default:
      return undefined;
  }
}

/** "backbone.patchSize", "files.flow.onnx.sha256", "display.scoreRange[1]". */
export function formatManifestPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return MANIFEST_ROOT;
  return path
    .map((key, index) =>
      typeof key === 'number' ? `[${key}]` : `${index === 0 ? '' : '.'}${String(key)}`,
    )
    .join('');
}

/** zod's issues as manifest issues; each unknown field is its own issue, at its own path. */
export function manifestIssuesOf(issues: readonly z.core.$ZodIssue[]): ManifestIssue[] {
  return issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({
          path: formatManifestPath([...issue.path, key]),
          message: issue.message,
        }))
      : [{ path: formatManifestPath(issue.path), message: issue.message }],
  );
}

const sentenceOf = ({ path, message }: ManifestIssue) =>
  path === MANIFEST_ROOT ? `the manifest ${message}` : `${path} ${message}`;

/**
 * The violations as one short sentence. A wrong or missing `format` comes alone: the file is
 * then most likely not a bundle manifest at all, and every other field would be listed too.
 */
export function summariseManifestIssues(issues: readonly ManifestIssue[]): string {
  const format = issues.find((issue) => issue.path === 'format');
  if (format) {
    const others = issues.length - 1;
    const more = others > 0 ? ` (and ${others} other problem${others === 1 ? '' : 's'})` : '';
    return `${sentenceOf(format)}${more}. Is this a FlowCLAS bundle manifest?`;
  }
  const listed = issues.slice(0, LISTED_ISSUES).map(sentenceOf).join('; ');
  const rest = issues.length - LISTED_ISSUES;
  return rest > 0 ? `${listed}; and ${rest} more.` : `${listed}.`;
}
