"""Independent numpy reference for the SAM 2 automatic-mask post-processing (pipeline.md §6)
and COCO uncompressed RLE. Straightforward dense arrays, float64."""
import json
import sys
from pathlib import Path

import numpy as np


sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "testing"))
from reference_resampling import axis_matrix  # noqa: E402


def nms(boxes, scores, thresh):
    order = sorted(range(len(boxes)), key=lambda i: (-scores[i], i))
    alive = [True] * len(boxes)
    keep = []
    for i in order:
        if not alive[i]:
            continue
        keep.append(i)
        for j in order:
            if j == i or not alive[j]:
                continue
            a, b = boxes[i], boxes[j]
            iw = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
            ih = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
            inter = iw * ih
            union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
            if union > 0 and inter / union > thresh:
                alive[j] = False
    return keep


def automatic_masks(logits, iou, p):
    prompts, k, s, _ = logits.shape
    h, w = p["height"], p["width"]
    rows, cols = axis_matrix(s, h), axis_matrix(s, w)
    t, o = p["maskThreshold"], p["stabilityScoreOffset"]
    outputs = k if p["multimask"] else 1
    cands = []  # (candidate index, mask, stability, box)
    for n in range(prompts):
        for m in range(outputs):
            if not iou[n, m] > np.float32(p["predIouThresh"]):  # float32, as torch compares
                continue
            low = logits[n, m].astype(np.float64)
            up = rows @ low @ cols.T
            # The fast path takes stability from the low-res logits, the exact path from `up`.
            scored = low if p.get("path") == "fast" else up
            loose = np.count_nonzero(scored > t - o)
            if loose == 0:
                continue
            stability = np.count_nonzero(scored > t + o) / loose
            if not stability >= p["stabilityScoreThresh"]:
                continue
            mask = up > t
            ys, xs = np.nonzero(mask)
            box = [xs.min(), ys.min(), xs.max(), ys.max()] if len(xs) else [0, 0, 0, 0]
            cands.append((n * k + m, mask, stability, box))
    keep = nms([c[3] for c in cands], [float(iou.flat[c[0]]) for c in cands], p["boxNmsThresh"])
    kept = [cands[i] for i in keep]
    return {
        "candidates": np.array([c[0] for c in kept], np.int32),
        "stability": np.array([c[2] for c in kept], np.float64),
        "boxes": np.array([c[3] for c in kept], np.int32).reshape(-1, 4),
        "masks": np.array([c[1] for c in kept], np.uint8).reshape(-1, h, w),
    }


def rle_counts(mask):
    flat = mask.reshape(-1, order="F")
    counts, value, run = [], 0, 0
    for bit in flat:
        if bit == value:
            run += 1
        else:
            counts.append(run)
            value, run = bit, 1
    counts.append(run)
    return counts


def main(folder):
    folder = Path(folder)
    p = json.loads((folder / "params.json").read_text())
    if p["op"] == "amg":
        out = automatic_masks(np.load(folder / "logits.npy"), np.load(folder / "iou.npy"), p)
    elif p["op"] == "nms":
        boxes = np.load(folder / "boxes.npy").astype(np.float64).tolist()
        scores = np.load(folder / "scores.npy").astype(np.float64).tolist()
        out = {"keep": np.array(nms(boxes, scores, p["boxNmsThresh"]), np.int32)}
    else:
        masks = np.load(folder / "masks.npy")
        counts = [rle_counts(m) for m in masks]
        out = {
            "counts": np.array([c for cs in counts for c in cs], np.int32),
            "lengths": np.array([len(cs) for cs in counts], np.int32),
        }
    for name, value in out.items():
        np.save(folder / f"{name}.out.npy", value)


if __name__ == "__main__":
    main(sys.argv[1])
