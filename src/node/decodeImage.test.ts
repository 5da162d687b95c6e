import { encode } from 'fast-png';
import { resolve } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { EmptyFileError } from '../core/io/emptyFile';
import { rgb8FromPng } from '../core/io/pngImage';
import { runPythonReference } from '../core/testing/pythonReference';
import { decodeImageFile } from './decodeImage';

/** Files PIL wrote, and PIL's own decode of them (EXIF orientation applied). */
const cases = [
  { name: 'jpeg420', format: 'jpeg', subsampling: 2, width: 161, height: 97 },
  { name: 'jpeg422', format: 'jpeg', subsampling: 1, width: 161, height: 97 },
  { name: 'jpeg444', format: 'jpeg', subsampling: 0, width: 161, height: 97 },
  { name: 'progressive', format: 'jpeg', subsampling: 2, progressive: true, width: 99, height: 70 },
  // Stored 161×97, shown 97×161 (orientation 6: rotate 90° clockwise).
  { name: 'rotated6', format: 'jpeg', subsampling: 2, orientation: 6, width: 161, height: 97 },
  { name: 'rotated3', format: 'jpeg', subsampling: 2, orientation: 3, width: 64, height: 40 },
  { name: 'mirrored5', format: 'jpeg', subsampling: 2, orientation: 5, width: 64, height: 40 },
  { name: 'png16', format: 'png16', width: 50, height: 31 },
  { name: 'webp', format: 'webp', width: 50, height: 31 },
  { name: 'tiff', format: 'tiff', width: 50, height: 31 },
  { name: 'gif', format: 'gif', width: 50, height: 31 },
];
let reference: Record<string, { file: Uint8Array; decoded: Uint8Array; shape: number[] }>;

beforeAll(() => {
  const outputs = runPythonReference(
    resolve(import.meta.dirname, 'decodeImage.reference.py'),
    {},
    {
      cases,
    },
  );
  reference = Object.fromEntries(
    cases.map(({ name }) => {
      const decoded = outputs[`${name}_decoded`];
      const file = outputs[`${name}_file`];
      if (!decoded || !file) throw new Error(`no reference output for ${name}`);
      return [
        name,
        {
          file: file.data as Uint8Array,
          decoded: decoded.data as Uint8Array,
          shape: decoded.shape,
        },
      ];
    }),
  );
}, 60_000);

function largestDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let largest = 0;
  for (let i = 0; i < a.length; i++) {
    largest = Math.max(largest, Math.abs((a[i] as number) - (b[i] as number)));
  }
  return largest;
}

describe('decodeImageFile (sharp) against PIL', () => {
  it.each(cases.map(({ name }) => name))(
    '%s decodes to PIL’s pixels within ±1 level',
    async (name) => {
      const { file, decoded, shape } = reference[name] as (typeof reference)[string];
      const image = await decodeImageFile(file, `${name}`);
      expect([image.height, image.width, 3]).toEqual(shape);
      expect(largestDifference(image.data, decoded)).toBeLessThanOrEqual(1);
    },
  );

  it('applies EXIF orientation: the rotated file shows the upright picture', async () => {
    const rotated = await decodeImageFile((reference.rotated6 as { file: Uint8Array }).file, 'r');
    expect([rotated.width, rotated.height]).toEqual([97, 161]);
  });
});

describe('decodeImageFile: PNG flavours, against fast-png', () => {
  const pngCases: Record<string, Parameters<typeof encode>[0]> = {
    'grey 16-bit': {
      width: 3,
      height: 2,
      channels: 1,
      depth: 16,
      data: new Uint16Array([0, 257, 32896, 40000, 65279, 65535]),
    },
    'RGBA 8-bit': {
      width: 2,
      height: 1,
      channels: 4,
      data: new Uint8Array([100, 50, 255, 128, 10, 20, 30, 255]),
    },
    'grey + alpha': { width: 2, height: 1, channels: 2, data: new Uint8Array([200, 255, 200, 0]) },
    'palette with transparency': {
      width: 3,
      height: 1,
      channels: 1,
      depth: 8,
      data: new Uint8Array([0, 1, 2]),
      palette: [
        [255, 0, 0, 255],
        [0, 128, 255, 64],
        [10, 20, 30, 0],
      ],
    },
  };
  it.each(Object.keys(pngCases))('%s', async (name) => {
    const png = encode(pngCases[name] as Parameters<typeof encode>[0]);
    const expected = rgb8FromPng(png, name);
    const decoded = await decodeImageFile(png, name);
    expect([decoded.width, decoded.height]).toEqual([expected.width, expected.height]);
    // 16-bit samples: libvips keeps the high byte, fast-png rounds v·255/65535.
    expect(largestDifference(decoded.data, expected.data)).toBeLessThanOrEqual(1);
  });
});

describe('decodeImageFile: other formats and bad files', () => {
  it('reads AVIF', async () => {
    const source = new Uint8Array(32 * 24 * 3).map((_, i) => (i % 3 === 0 ? 200 : 40));
    const avif = await sharp(source, { raw: { width: 32, height: 24, channels: 3 } })
      .avif({ quality: 90 })
      .toBuffer();
    const image = await decodeImageFile(new Uint8Array(avif), 'x.avif');
    expect([image.width, image.height]).toEqual([32, 24]);
    expect(Math.abs((image.data[0] as number) - 200)).toBeLessThan(12);
  });

  it('refuses a truncated JPEG and PNG, saying so', async () => {
    const jpeg = (reference.jpeg420 as { file: Uint8Array }).file;
    await expect(decodeImageFile(jpeg.subarray(0, jpeg.length - 200), 'cut.jpg')).rejects.toThrow(
      /cut\.jpg could not be read as an image \(the JPEG file is truncated/,
    );
    const png = encode({ width: 8, height: 8, channels: 3, data: new Uint8Array(192).fill(7) });
    await expect(decodeImageFile(png.subarray(0, png.length - 12), 'cut.png')).rejects.toThrow(
      /cut\.png .*the PNG file is truncated/,
    );
  });

  it('accepts data after a JPEG’s end-of-image marker', async () => {
    const jpeg = (reference.jpeg420 as { file: Uint8Array; decoded: Uint8Array }).file;
    const padded = new Uint8Array(jpeg.length + 5);
    padded.set(jpeg);
    const image = await decodeImageFile(padded, 'padded.jpg');
    expect(image.width).toBe(161);
  });

  it('says a file of 0 bytes is empty, as the app does', async () => {
    await expect(decodeImageFile(new Uint8Array(0), 'x.png')).rejects.toBeInstanceOf(
      EmptyFileError,
    );
    await expect(decodeImageFile(new Uint8Array(0), 'x.png')).rejects.toThrow(
      'x.png is empty (0 bytes).',
    );
  });

  it('names a file that is no image', async () => {
    await expect(decodeImageFile(new TextEncoder().encode('hello'), 'notes.txt')).rejects.toThrow(
      /notes\.txt could not be read as an image/,
    );
  });
});
