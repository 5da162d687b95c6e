"""Independent reference for the SegmentMeIfYouCan component metrics (componentMetrics.ts),
written from the definition with scipy.ndimage.label and boolean masks, one component at a time.

Inputs: scores.npy float32 [K, H, W], labels.npy uint8 [K, H, W], params.json
{"sigmoid_threshold": t, "min_predicted": a, "min_ground_truth": b}.
Outputs: for image k, siou_<k>.out.npy and ppv_<k>.out.npy (float64, sorted ascending);
summary.out.npy float64 (sIoU mean, PPV mean, mean F1, F1@0.25, F1@0.5, F1@0.75).
"""
import json
import sys
from pathlib import Path

import numpy as np
from scipy import ndimage

EIGHT_CONNECTED = np.ones((3, 3), dtype=bool)


def image_components(scores, labels, threshold, min_predicted, min_ground_truth):
    probability = 1.0 / (1.0 + np.exp(-scores.astype(np.float64)))
    predicted = (probability >= threshold) & (labels != 255)
    truth_ids, truth_count = ndimage.label(labels == 1, EIGHT_CONNECTED)
    guess_ids, guess_count = ndimage.label(predicted, EIGHT_CONNECTED)
    for guess in range(1, guess_count + 1):
        if np.count_nonzero(guess_ids == guess) < min_predicted:
            guess_ids[guess_ids == guess] = 0
    roi = labels != 255
    kept_truth = []
    for component in range(1, truth_count + 1):
        if np.count_nonzero(truth_ids == component) < min_ground_truth:
            roi &= truth_ids != component
        else:
            kept_truth.append(component)

    siou = []
    for component in kept_truth:
        k = truth_ids == component
        touching = np.setdiff1d(np.unique(guess_ids[k]), [0])
        p = np.isin(guess_ids, touching) & roi
        others = (truth_ids > 0) & (truth_ids != component) & roi
        union = (k | p) & ~others
        siou.append(np.count_nonzero(k & p) / np.count_nonzero(union))
    ppv = []
    for guess in np.setdiff1d(np.unique(guess_ids[roi]), [0]):
        p = (guess_ids == guess) & roi
        ppv.append(np.count_nonzero(p & (truth_ids > 0)) / np.count_nonzero(p))
    return np.sort(np.array(siou, dtype=np.float64)), np.sort(np.array(ppv, dtype=np.float64))


def main():
    work = Path(sys.argv[1])
    params = json.loads((work / "params.json").read_text())
    scores = np.load(work / "scores.npy")
    labels = np.load(work / "labels.npy")
    all_siou, all_ppv = [], []
    for k in range(scores.shape[0]):
        siou, ppv = image_components(
            scores[k], labels[k], params["sigmoid_threshold"], params["min_predicted"], params["min_ground_truth"]
        )
        np.save(work / f"siou_{k}.out.npy", siou)
        np.save(work / f"ppv_{k}.out.npy", ppv)
        all_siou.append(siou)
        all_ppv.append(ppv)
    siou = np.concatenate(all_siou)
    ppv = np.concatenate(all_ppv)
    f1 = []
    for tau in np.linspace(0.25, 0.75, 11):
        tp = np.count_nonzero(siou >= tau)
        fn = np.count_nonzero(siou < tau)
        fp = np.count_nonzero(ppv < tau)
        f1.append(2 * tp / (2 * tp + fn + fp))
    summary = [siou.mean(), ppv.mean(), np.mean(f1), f1[0], f1[5], f1[10]]
    np.save(work / "summary.out.npy", np.array(summary, dtype=np.float64))


if __name__ == "__main__":
    main()
