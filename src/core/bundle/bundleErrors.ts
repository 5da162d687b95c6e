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

/**
 * A manifest URL answered with an HTML page, not JSON: typically a static host's fallback page
 * (its index.html for any missing path) or a sign-in page, served with status 200.
 */
export class ManifestIsHtmlError extends FlowclasError {
  constructor(readonly url: string) {
    super(
      'manifest-html',
      `${url} returned an HTML page, not a manifest: is the URL right? It should be the address ` +
        "of a bundle's manifest.json.",
    );
    this.name = 'ManifestIsHtmlError';
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
