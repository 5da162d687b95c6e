/**
 * Truncated image files, judged the same way by the app and the CLI: both refuse them. Decoders
 * differ on what they show for missing data (Chromium paints it grey, libvips black or stops), so
 * a partial image would give scores that depend on where it was decoded, and silently wrong ones.
 */

const JPEG_START_OF_SCAN = 0xda;
const JPEG_END_OF_IMAGE = 0xd9;

/** Index of the last `0xFF marker` pair, or -1. */
function lastMarker(bytes: Uint8Array, marker: number): number {
  for (let i = bytes.length - 2; i >= 0; i--) {
    if (bytes[i] === 0xff && bytes[i + 1] === marker) return i;
  }
  return -1;
}

/**
 * Entropy-coded data never contains FF D9 or FF DA (an FF there is followed by 00 or a restart
 * marker), so a complete JPEG has an end-of-image marker after its last start-of-scan. This also
 * accepts trailing data after the image and multi-picture files.
 */
function jpegTruncation(bytes: Uint8Array): string | undefined {
  const lastScan = lastMarker(bytes, JPEG_START_OF_SCAN);
  if (lastScan < 0) return 'the JPEG file ends before its image data';
  if (lastMarker(bytes, JPEG_END_OF_IMAGE) < lastScan) {
    return 'the JPEG file is truncated: its image data stops before the end-of-image marker';
  }
  return undefined;
}

const PNG_END = [0x49, 0x45, 0x4e, 0x44]; // "IEND"

function pngTruncation(bytes: Uint8Array): string | undefined {
  for (let i = bytes.length - PNG_END.length; i >= 8; i--) {
    if (PNG_END.every((byte, k) => bytes[i + k] === byte)) return undefined;
  }
  return 'the PNG file is truncated: it has no IEND chunk';
}

/** RIFF (WebP) stores its payload size in bytes 4–7, little-endian, counted after byte 8. */
function riffTruncation(bytes: Uint8Array): string | undefined {
  const declared =
    ((bytes[4] as number) |
      ((bytes[5] as number) << 8) |
      ((bytes[6] as number) << 16) |
      ((bytes[7] as number) << 24)) >>>
    0;
  if (bytes.length < declared + 8) {
    return `the WebP file is truncated: ${bytes.length} bytes of the ${declared + 8} its header declares`;
  }
  return undefined;
}

const startsWith = (bytes: Uint8Array, prefix: number[]) =>
  prefix.every((byte, i) => bytes[i] === byte);

/**
 * Why `bytes` look cut short, or undefined when they look complete (or the format has no cheap
 * completeness check: TIFF and AVIF are left to the decoder). Reads the bytes once from the end.
 */
export function findImageTruncation(bytes: Uint8Array): string | undefined {
  if (startsWith(bytes, [0xff, 0xd8])) return jpegTruncation(bytes);
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47])) return pngTruncation(bytes);
  if (startsWith(bytes, [0x52, 0x49, 0x46, 0x46]) && bytes.length >= 12) {
    return riffTruncation(bytes);
  }
  return undefined;
}
