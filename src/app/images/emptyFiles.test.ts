import { describe, expect, it } from 'vitest';
import { EmptyFileError } from '../../core/io/emptyFile';
import { decodeGroundTruthFile } from './decodeGroundTruthFile';
import { decodeImageFile } from './decodeImageFile';

describe('files of 0 bytes', () => {
  it('are refused as empty images, before any decoder sees them', async () => {
    const decoding = decodeImageFile(new Blob([]), 'x.png');
    await expect(decoding).rejects.toBeInstanceOf(EmptyFileError);
    await expect(decoding).rejects.toThrow(/^x\.png is empty \(0 bytes\)\.$/);
  });

  it('are refused as empty ground truth, PNG or NumPy', async () => {
    await expect(decodeGroundTruthFile(new Blob([]), 'x_gt.png')).rejects.toThrow(
      /^x_gt\.png is empty \(0 bytes\)\.$/,
    );
    await expect(decodeGroundTruthFile(new Blob([]), 'x_gt.npy')).rejects.toThrow(
      /^x_gt\.npy is empty \(0 bytes\)\.$/,
    );
  });

  it('leave one byte to the decoders, which call it unreadable', async () => {
    await expect(decodeGroundTruthFile(new Blob([new Uint8Array(1)]), 'x_gt.png')).rejects.toThrow(
      /x_gt\.png/,
    );
    await expect(
      decodeGroundTruthFile(new Blob([new Uint8Array(1)]), 'x_gt.png'),
    ).rejects.not.toBeInstanceOf(EmptyFileError);
  });
});
