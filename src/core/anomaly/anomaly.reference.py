"""Independent numpy reference for pipeline.md §2 (features) and §4 (score map)."""
import json
import sys
from pathlib import Path

import numpy as np


sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "testing"))
from reference_resampling import resize  # noqa: E402


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
