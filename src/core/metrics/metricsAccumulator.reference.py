"""Independent reference for pixel metrics (pipeline.md section 7), written the straightforward
way: sorted arrays, cumulative sums, a stable argsort and np.trapz.

Inputs: scores.npy float32 [K, H, W], labels.npy uint8 [K, H, W], params.json
{"mode": "exact" | "binned", "bins": N}. Outputs, float64, columns (auprc, fpr95, auroc,
positives, negatives, ignored): per_image.out.npy [K, 6] and pooled.out.npy [6].
"""
import json
import sys
from pathlib import Path

import numpy as np

trapezoid = getattr(np, "trapezoid", None) or np.trapz


def exact_curve(scores, labels):
    """TP, FP per distinct score, thresholds descending (positive iff score >= t)."""
    order = np.argsort(scores, kind="mergesort")[::-1]
    ordered = scores[order].astype(np.float64)
    positive = (labels[order] == 1).astype(np.float64)
    last_of_threshold = np.r_[np.nonzero(np.diff(ordered))[0], ordered.size - 1]
    tps = np.cumsum(positive)[last_of_threshold]
    return tps, 1 + last_of_threshold - tps


def binned_curve(scores, labels, bins):
    """TP, FP per threshold of linspace(0, 1, bins) on sigmoid scores, thresholds descending."""
    probability = 1.0 / (1.0 + np.exp(-scores.astype(np.float64)))
    thresholds = np.linspace(0, 1, bins)
    anomalies = np.sort(probability[labels == 1])
    inliers = np.sort(probability[labels == 0])
    tps = anomalies.size - np.searchsorted(anomalies, thresholds, side="left")
    fps = inliers.size - np.searchsorted(inliers, thresholds, side="left")
    return tps[::-1].astype(np.float64), fps[::-1].astype(np.float64)


def metrics(tps, fps, positives, negatives):
    if positives == 0 or negatives == 0:
        return [np.nan, np.nan, np.nan]
    keep = tps + fps > 0
    tp, fp = tps[keep], fps[keep]
    first_full = np.nonzero(tp == positives)[0][0]
    tp, fp = tp[: first_full + 1], fp[: first_full + 1]
    precision = np.r_[(tp / (tp + fp))[::-1], 1.0]
    recall = np.r_[(tp / positives)[::-1], 0.0]
    order = np.argsort(recall, kind="stable")
    auprc = trapezoid(precision[order], recall[order])

    tpr, fpr = tps / positives, fps / negatives
    reaching = tpr >= 0.95
    fpr95 = fpr[reaching].min() if reaching.any() else 1.0
    auroc = trapezoid(np.r_[0.0, tpr], np.r_[0.0, fpr])
    return [auprc, fpr95, auroc]


def evaluate(scores, labels, params):
    labelled = labels != 255
    scores, labels = scores[labelled], labels[labelled]
    if scores.size == 0:
        tps = fps = np.zeros(0)
    elif params["mode"] == "exact":
        tps, fps = exact_curve(scores, labels)
    else:
        tps, fps = binned_curve(scores, labels, params["bins"])
    positives, negatives = int((labels == 1).sum()), int((labels == 0).sum())
    ignored = int((~labelled).sum())
    return metrics(tps, fps, positives, negatives) + [positives, negatives, ignored]


def main():
    folder = Path(sys.argv[1])
    params = json.loads((folder / "params.json").read_text())
    scores = np.load(folder / "scores.npy")
    labels = np.load(folder / "labels.npy")
    per_image = [evaluate(s.ravel(), l.ravel(), params) for s, l in zip(scores, labels)]
    np.save(folder / "per_image.out.npy", np.array(per_image, dtype=np.float64))
    pooled = evaluate(scores.ravel(), labels.ravel(), params)
    np.save(folder / "pooled.out.npy", np.array(pooled, dtype=np.float64))


main()
