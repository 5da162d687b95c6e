"""Independent numpy reference for the image resizing rules of docs/bundle-format.md.

Each axis is a dense (out x in) matrix built straight from the formulas; a resize is
rows_matrix @ plane @ columns_matrix.T in float64.
"""
import json
import math
import sys
from fractions import Fraction
from pathlib import Path

import numpy as np


sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "testing"))
from reference_resampling import axis_matrix  # noqa: E402


def resize_planes(planes, out_h, out_w):
    r = axis_matrix(planes.shape[1], out_h)
    c = axis_matrix(planes.shape[2], out_w)
    return np.stack([r @ p.astype(np.float64) @ c.T for p in planes])


def working_size(w, h, policy):
    if policy["mode"] == "stretch":
        return policy["size"][1], policy["size"][0]
    max_side = policy.get("maxSide")
    longer = max(w, h)
    if max_side is None or longer <= max_side:
        return w, h
    fit = lambda s: max(1, math.floor(Fraction(s * max_side, longer) + Fraction(1, 2)))
    return fit(w), fit(h)


def normalise(planes, mean, std):
    mean = np.asarray(mean)[:, None, None]
    std = np.asarray(std)[:, None, None]
    return (planes / 255.0 - mean) / std


def backbone_tensor(rgb, params):
    h, w = rgb.shape[:2]
    p = params["patchSize"]
    ww, wh = working_size(w, h, params["policy"])
    planes = resize_planes(rgb.transpose(2, 0, 1), wh, ww)
    pad_h = -(-wh // p) * p - wh
    pad_w = -(-ww // p) * p - ww
    padded = np.pad(
        planes, ((0, 0), (pad_h // 2, pad_h - pad_h // 2), (pad_w // 2, pad_w - pad_w // 2))
    )
    return normalise(padded, params["mean"], params["std"])[None]


def main(folder):
    folder = Path(folder)
    params = json.loads((folder / "params.json").read_text())
    op = params["op"]
    if op == "resample":
        out = resize_planes(np.load(folder / "image.npy"), params["outHeight"], params["outWidth"])
    elif op == "backbone":
        out = backbone_tensor(np.load(folder / "rgb.npy"), params)
    elif op == "segmenter":
        planes = np.load(folder / "rgb.npy").transpose(2, 0, 1)
        s = params["imageSize"]
        out = normalise(resize_planes(planes, s, s), params["mean"], params["std"])[None]
    else:
        raise ValueError(op)
    np.save(folder / "result.out.npy", out.astype(np.float32))


if __name__ == "__main__":
    main(sys.argv[1])
