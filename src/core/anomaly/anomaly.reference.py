"""Independent numpy reference for pipeline.md §2 (features) and §4 (score map)."""
import json
import sys
from pathlib import Path

import numpy as np


def axis_matrix(n_in, n_out):
    """Dense (out x in) resampling matrix: area average down, half-pixel linear up, identity."""
    m = np.zeros((n_out, n_in))
    if n_out < n_in:
        for i in range(n_out):
            start = (i * n_in) // n_out
            end = -((-(i + 1) * n_in) // n_out)
            m[i, start:end] = 1.0 / (end - start)
    elif n_out > n_in:
        src = np.clip((np.arange(n_out) + 0.5) * n_in / n_out - 0.5, 0, n_in - 1)
        left = np.floor(src).astype(int)
        right = np.minimum(left + 1, n_in - 1)
        frac = src - left
        np.add.at(m, (np.arange(n_out), left), 1 - frac)
        np.add.at(m, (np.arange(n_out), right), frac)
    else:
        m = np.eye(n_in)
    return m


def resize(plane, out_h, out_w):
    return axis_matrix(plane.shape[0], out_h) @ plane @ axis_matrix(plane.shape[1], out_w).T


def score_map(grid, p):
    h, w = grid.shape
    patch = p["patchSize"]
    up = resize(grid.astype(np.float64), h * patch, w * patch)
    top, left = p["top"], p["left"]
    up = up[top : top + p["workingHeight"], left : left + p["workingWidth"]]
    s = 1.0 - up if p["kind"] == "likelihood" else -up
    return resize(s, p["height"], p["width"])


def main(folder):
    folder = Path(folder)
    p = json.loads((folder / "params.json").read_text())
    if p["op"] == "tokens":
        tokens = np.load(folder / "tokens.npy")
        _, _, c = tokens.shape
        out = tokens[:, p["prefixTokens"] :, :].reshape(1, p["h"], p["w"], c).transpose(0, 3, 1, 2)
    else:
        out = score_map(np.load(folder / "grid.npy"), p)
    np.save(folder / "result.out.npy", np.ascontiguousarray(out).astype(np.float32))


if __name__ == "__main__":
    main(sys.argv[1])
