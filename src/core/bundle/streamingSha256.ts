/**
 * SHA-256 fed chunk by chunk as a file streams in, so a model is verified without a second pass
 * over (or a second copy of) its bytes. Web Crypto has no incremental digest; hash-wasm's does.
 */
import { createSHA256 } from 'hash-wasm';

export interface StreamingSha256 {
  update(chunk: Uint8Array): void;
  /** Lowercase hex digest of everything fed so far. */
  digestHex(): string;
}

export async function createStreamingSha256(): Promise<StreamingSha256> {
  const hasher = await createSHA256();
  hasher.init();
  return {
    update: (chunk) => {
      hasher.update(chunk);
    },
    digestHex: () => hasher.digest('hex'),
  };
}
