/**
 * Size and SHA-256 of bundle files, hashed as the bytes stream past: model files can be
 * gigabytes, and neither a local file nor a download is ever held whole just to be hashed.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { BundleFetchError } from '../core/bundle/bundleErrors';

export interface FileDigest {
  bytes: number;
  sha256: string;
}

/** Counts and hashes the chunks that flow through it, passing them on unchanged. */
function digestingStream(): { stream: Transform; digest: () => FileDigest } {
  const hash = createHash('sha256');
  let bytes = 0;
  const stream = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      bytes += chunk.length;
      done(null, chunk);
    },
  });
  return { stream, digest: () => ({ bytes, sha256: hash.digest('hex') }) };
}

/** Size and SHA-256 of a local file. */
export async function digestFile(path: string): Promise<FileDigest> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { bytes, sha256: hash.digest('hex') };
}

/** Downloads `url` into `path`, hashing on the way. */
export async function downloadWithDigest(url: string, path: string): Promise<FileDigest> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new BundleFetchError(url, `network error (${reason})`);
  }
  if (!response.ok || !response.body) {
    throw new BundleFetchError(url, `HTTP ${response.status} ${response.statusText}`.trim());
  }
  const { stream, digest } = digestingStream();
  await pipeline(
    Readable.fromWeb(response.body as Parameters<typeof Readable.fromWeb>[0]),
    stream,
    createWriteStream(path),
  );
  return digest();
}
