import { FlowclasError } from '../errors';

/** A bundle file (or the manifest) could not be fetched: offline, 404, CORS, ... */
export class BundleFetchError extends FlowclasError {
  constructor(
    readonly url: string,
    reason: string,
  ) {
    super(
      'bundle-fetch',
      `Could not download ${url}: ${reason}. Check the address and that the server allows ` +
        'cross-origin requests (CORS).',
    );
    this.name = 'BundleFetchError';
  }
}

/** A downloaded file whose size or SHA-256 differs from the manifest. */
export class IntegrityError extends FlowclasError {
  constructor(
    readonly file: string,
    detail: string,
  ) {
    super(
      'bundle-integrity',
      `${file} does not match the manifest (${detail}); the download was corrupted or the file ` +
        'was replaced without updating manifest.json.',
    );
    this.name = 'IntegrityError';
  }
}
