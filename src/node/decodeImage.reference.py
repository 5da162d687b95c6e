"""Independent image files and decodes for the decoder tests: PIL (libjpeg-turbo, libpng, libwebp,
libtiff, giflib-free GIF) writes each case and decodes it again.

Usage: decodeImage.reference.py WORKDIR. Writes, per case, `<case>_file.out.npy` (the file's bytes,
uint8) and `<case>_decoded.out.npy` (PIL's decode with EXIF orientation applied, uint8 [H, W, 3]).
"""

import io
import json
import sys
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps


def photo_like(width, height, seed):
    """Smooth colour gradients, hard edges and fine noise: every JPEG stage has work to do."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:height, 0:width].astype(np.float64)
    red = 128 + 100 * np.sin(x / 17.0) * np.cos(y / 23.0)
    green = 255 * x / max(width - 1, 1)
    blue = np.where((x // 16 + y // 12) % 2 == 0, 220.0, 30.0)
    image = np.stack([red, green, blue], axis=-1) + rng.normal(0, 12, (height, width, 3))
    return np.clip(np.rint(image), 0, 255).astype(np.uint8)


def encode(case):
    pixels = photo_like(case["width"], case["height"], case.get("seed", 0))
    image = Image.fromarray(pixels)
    kind = case["format"]
    out = io.BytesIO()
    if kind == "jpeg":
        options = dict(quality=case.get("quality", 85), subsampling=case["subsampling"])
        if case.get("progressive"):
            options["progressive"] = True
        if "orientation" in case:
            exif = Image.Exif()
            exif[0x0112] = case["orientation"]
            options["exif"] = exif.tobytes()
        image.save(out, "JPEG", **options)
    elif kind == "png16":
        grey = pixels[..., 1].astype(np.uint16) * 257 + (pixels[..., 0].astype(np.uint16) % 251)
        Image.fromarray(grey).save(out, "PNG")
    elif kind == "webp":
        image.save(out, "WEBP", lossless=True)
    elif kind == "tiff":
        image.save(out, "TIFF")
    elif kind == "gif":
        second = Image.fromarray(255 - pixels).quantize(64)
        image.quantize(64).save(out, "GIF", save_all=True, append_images=[second], duration=100)
    else:
        raise ValueError(kind)
    return out.getvalue()


def decode(data):
    with Image.open(io.BytesIO(data)) as image:
        image.seek(0)
        if image.mode in ("I", "I;16", "I;16B"):
            # PIL's own 16 → 8-bit conversion clips; scale the samples to 8 bits instead.
            grey = np.rint(np.asarray(image, dtype=np.float64) / 257).astype(np.uint8)
            return np.repeat(grey[..., None], 3, axis=-1)
        return np.asarray(ImageOps.exif_transpose(image).convert("RGB"), dtype=np.uint8)


def main():
    work = Path(sys.argv[1])
    params = json.loads((work / "params.json").read_text())
    for case in params["cases"]:
        data = encode(case)
        np.save(work / f"{case['name']}_file.out.npy", np.frombuffer(data, dtype=np.uint8))
        np.save(work / f"{case['name']}_decoded.out.npy", decode(data))


if __name__ == "__main__":
    main()
