"""PyTorch/numpy reference of the FlowCLAS web pipeline (pipeline.md §1-7 with the numeric
conventions of docs/bundle-format.md). Independent of onnxruntime: it runs the PyTorch models.
"""
from __future__ import annotations

import math

import numpy as np
import torch
import torch.nn.functional as F

from .smoothing_np import smooth_straightforward  # noqa: F401  (re-exported)

IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)


# ============================================================================ resampling

def resize_axis(x: torch.Tensor, out: int, axis: int) -> torch.Tensor:
    """Resample one axis of a float tensor. Down: area averaging with adaptive-pool windows
    [floor(i*in/out), ceil((i+1)*in/out)); up: linear with half-pixel centres (align_corners=False,
    source clamped to [0, in-1]); equal: identity."""
    n = x.shape[axis]
    if out == n:
        return x
    xm = x.movedim(axis, -1)
    shp = xm.shape
    flat = xm.reshape(-1, 1, n)
    if out < n:
        r = F.adaptive_avg_pool1d(flat, out)
    else:
        r = F.interpolate(flat, size=out, mode="linear", align_corners=False)
    return r.reshape(*shp[:-1], out).movedim(-1, axis)


def resize2d(x: torch.Tensor, size_hw) -> torch.Tensor:
    """Separable resize of the last two axes (rows/height first, then columns)."""
    x = resize_axis(x, int(size_hw[0]), x.dim() - 2)
    return resize_axis(x, int(size_hw[1]), x.dim() - 1)


def max_side_size(h: int, w: int, max_side: int | None):
    """Size after the `maxSide` downscale: the longer side becomes maxSide, the shorter
    floor(short * maxSide / long + 0.5) (at least 1). Unchanged when it already fits."""
    if not max_side or max(h, w) <= max_side:
        return h, w
    if h >= w:
        return max_side, max(1, int(math.floor(w * max_side / h + 0.5)))
    return max(1, int(math.floor(h * max_side / w + 0.5))), max_side


def pad_split(n: int, patch: int = 14):
    pad = -(-n // patch) * patch - n
    return pad // 2, pad - pad // 2


# ============================================================================ §1 backbone input

def backbone_input(img: np.ndarray, backbone_cfg: dict):
    """img uint8 [H, W, 3] -> (tensor [1, 3, H', W'], geometry dict)."""
    h, w = img.shape[:2]
    patch = backbone_cfg["patchSize"]
    mean = torch.tensor(backbone_cfg["mean"], dtype=torch.float32)[:, None, None]
    std = torch.tensor(backbone_cfg["std"], dtype=torch.float32)[:, None, None]
    x = torch.from_numpy(img.astype(np.float32)).permute(2, 0, 1)  # [3, H, W] in 0..255
    mode = backbone_cfg["resize"]["mode"]
    if mode == "stretch":
        rh, rw = backbone_cfg["resize"]["size"]
    else:
        rh, rw = max_side_size(h, w, backbone_cfg["resize"].get("maxSide"))
    x = resize2d(x, (rh, rw))
    if mode == "stretch":
        pt = pb = pl = pr = 0
        assert rh % patch == 0 and rw % patch == 0
    else:
        pt, pb = pad_split(rh, patch)
        pl, pr = pad_split(rw, patch)
        x = F.pad(x, (pl, pr, pt, pb), value=0.0)
    x = (x / 255.0 - mean) / std
    geo = {"H": h, "W": w, "resized": (rh, rw), "pad": (pt, pb, pl, pr),
           "grid": ((rh + pt + pb) // patch, (rw + pl + pr) // patch)}
    return x[None].contiguous(), geo


# ============================================================================ §2 features

def to_feature_map(out: torch.Tensor, layout: str, prefix: int, grid_hw) -> torch.Tensor:
    """tokens [1, T + h*w, C] (row-major patches) or map [1, C, h, w] -> [1, C, h, w]."""
    if layout == "map":
        return out
    h, w = grid_hw
    t = out[:, prefix:]
    assert t.shape[1] == h * w, (t.shape, grid_hw)
    return t.transpose(1, 2).reshape(out.shape[0], out.shape[2], h, w)


# ============================================================================ §4 score map

def score_map(flow_out: torch.Tensor, geo: dict, patch: int, output_kind: str) -> torch.Tensor:
    """flow output [1, 1, h, w] -> anomaly score [H, W] float32.
    Upsample by exactly the patch size in the likelihood domain (half-pixel centres), crop
    the padding, s = 1 - q (or s = -l), then resample to H x W if the input was resized."""
    v = flow_out[0, 0].to(torch.float32)
    h, w = v.shape
    up = resize2d(v, (h * patch, w * patch))
    pt, pb, pl, pr = geo["pad"]
    up = up[pt:up.shape[0] - pb, pl:up.shape[1] - pr]
    s = 1.0 - up if output_kind == "likelihood" else -up
    if tuple(s.shape) != (geo["H"], geo["W"]):
        s = resize2d(s, (geo["H"], geo["W"]))
    return s.contiguous()


def run_anomaly(img: np.ndarray, backbone, flow, manifest: dict) -> dict:
    """Full raw-score path with the PyTorch models; returns every intermediate."""
    bb = manifest["backbone"]
    x, geo = backbone_input(img, bb)
    with torch.no_grad():
        out = backbone(x)
        feats = to_feature_map(out, bb["layout"], bb.get("prefixTokens", 0), geo["grid"])
        q = flow(feats)
    s = score_map(q, geo, bb["patchSize"], manifest["flow"]["outputKind"])
    return {"backbone_input": x, "backbone_output": out, "features": feats, "likelihood": q, "score": s, "geo": geo}


# ============================================================================ §6 automatic masks

def amg_grid(n: int, h: int, w: int) -> np.ndarray:
    """Prompt points in the 1024 frame [n*n, 2] (x, y): row-major over y, x fastest."""
    ii = (np.arange(n, dtype=np.float64) + 0.5) / n
    pts = np.stack(np.meshgrid(ii * w, ii * h, indexing="xy"), -1).reshape(-1, 2)  # x fastest
    out = np.empty_like(pts)
    out[:, 0] = pts[:, 0] * 1024.0 / w
    out[:, 1] = pts[:, 1] * 1024.0 / h
    return out.astype(np.float32)


def segmenter_input(img: np.ndarray, seg_cfg: dict) -> torch.Tensor:
    """Stretch to imageSize x imageSize (resize rule), ImageNet-normalise: [1, 3, S, S]."""
    s = seg_cfg["imageSize"]
    x = torch.from_numpy(img.astype(np.float32)).permute(2, 0, 1)
    x = resize2d(x, (s, s))
    mean = torch.tensor(seg_cfg["mean"], dtype=torch.float32)[:, None, None]
    std = torch.tensor(seg_cfg["std"], dtype=torch.float32)[:, None, None]
    return ((x / 255.0 - mean) / std)[None].contiguous()


def stability_scores(logits: torch.Tensor, thresh: float, offset: float) -> torch.Tensor:
    """count(l > t + o) / count(l > t - o) per mask; NaN where the denominator is 0."""
    inter = (logits > thresh + offset).flatten(1).sum(1).double()
    union = (logits > thresh - offset).flatten(1).sum(1).double()
    return torch.where(union > 0, inter / union.clamp(min=1), torch.full_like(union, float("nan")))


def mask_to_box(m: np.ndarray):
    """Inclusive box [x0, y0, x1, y1] of a non-empty boolean mask."""
    ys = np.flatnonzero(m.any(1))
    xs = np.flatnonzero(m.any(0))
    return [int(xs[0]), int(ys[0]), int(xs[-1]), int(ys[-1])]


def box_nms(boxes: np.ndarray, scores: np.ndarray, thresh: float) -> list[int]:
    """Greedy NMS by score (stable: ties keep candidate order). IoU of [x0, y0, x1, y1] boxes with
    areas (x1-x0)*(y1-y0) (no +1, as torchvision on SAM's inclusive boxes); a zero union gives IoU 0.
    IoU > thresh suppresses. Returns kept indices in keep order."""
    order = np.argsort(-scores, kind="stable")
    b = boxes.astype(np.float64)
    areas = (b[:, 2] - b[:, 0]) * (b[:, 3] - b[:, 1])
    keep, suppressed = [], np.zeros(len(b), bool)
    for i in order:
        if suppressed[i]:
            continue
        keep.append(int(i))
        iw = np.clip(np.minimum(b[i, 2], b[:, 2]) - np.maximum(b[i, 0], b[:, 0]), 0, None)
        ih = np.clip(np.minimum(b[i, 3], b[:, 3]) - np.maximum(b[i, 1], b[:, 1]), 0, None)
        inter = iw * ih
        union = areas[i] + areas - inter
        iou = np.where(union > 0, inter / np.where(union > 0, union, 1), 0.0)
        suppressed |= iou > thresh
    return keep


def run_amg(img: np.ndarray, encoder, decoder, seg_cfg: dict, return_all_iou: bool = False) -> dict:
    """SAM 2 automatic mask generation, single crop (pipeline.md §6). Masks in NMS keep order."""
    amg = seg_cfg["amg"]
    h, w = img.shape[:2]
    x = segmenter_input(img, seg_cfg)
    with torch.no_grad():
        hr0, hr1, emb = encoder(x)
    pts = amg_grid(amg["pointsPerSide"], h, w)
    bs = amg["pointsPerBatch"] if seg_cfg["decoder"].get("batchedPrompts", True) else 1
    thr, off = amg["maskThreshold"], amg["stabilityScoreOffset"]
    all_iou, cand = [], []  # cand: (mask bool [H, W], iou, stability, box)
    for b0 in range(0, len(pts), bs):
        p = torch.from_numpy(pts[b0:b0 + bs])[:, None, :]
        n = p.shape[0]
        with torch.no_grad():
            masks, iou = decoder(emb, hr0, hr1, p, torch.ones(n, 1), torch.zeros(n, 1, 256, 256), torch.zeros(1))
        all_iou.append(iou.numpy())
        k = 3 if amg.get("multimask", True) else 1
        lg = masks[:, :k].reshape(n * k, 256, 256)
        ious = iou[:, :k].reshape(n * k)
        sel = torch.nonzero(ious > amg["predIouThresh"]).flatten()
        if len(sel) == 0:
            continue
        up = resize2d(lg[sel], (h, w))
        stab = stability_scores(up, thr, off)
        for j in range(len(sel)):
            st = float(stab[j])
            if not (st >= amg["stabilityScoreThresh"]):  # NaN (empty denominator) drops too
                continue
            m = (up[j] > thr).numpy()
            cand.append((m, float(ious[sel[j]]), st, mask_to_box(m)))
    if cand:
        keep = box_nms(np.array([c[3] for c in cand]), np.array([c[1] for c in cand]), amg["boxNmsThresh"])
    else:
        keep = []
    out = {"masks": [{"mask": cand[i][0], "predicted_iou": cand[i][1], "stability_score": cand[i][2],
                      "bbox": cand[i][3]} for i in keep],
           "encoder": {"image": x, "high_res_feats_0": hr0, "high_res_feats_1": hr1, "image_embed": emb}}
    if return_all_iou:
        out["iou_predictions"] = np.concatenate(all_iou, 0) if all_iou else np.zeros((0, 3), np.float32)
    return out


def rle_encode(mask: np.ndarray) -> dict:
    """COCO uncompressed RLE: column-major (Fortran) order, counts start with a zero run."""
    flat = np.asarray(mask, bool).flatten(order="F")
    change = np.flatnonzero(flat[1:] != flat[:-1]) + 1
    bounds = np.concatenate([[0], change, [flat.size]])
    counts = np.diff(bounds).tolist()
    if flat.size and flat[0]:
        counts = [0] + counts
    return {"size": [int(mask.shape[0]), int(mask.shape[1])], "counts": [int(c) for c in counts]}


def rle_decode(rle: dict) -> np.ndarray:
    h, w = rle["size"]
    flat = np.zeros(h * w, bool)
    pos, val = 0, False
    for c in rle["counts"]:
        flat[pos:pos + c] = val
        pos += c
        val = not val
    return flat.reshape((h, w), order="F")


# ============================================================================ §5 smoothing

def smooth_reference(score: np.ndarray, masks, bins: int = 20) -> np.ndarray:
    """Algorithm 1 (vectorised per mask, explicit bin edges). score [H, W] float32; masks: boolean
    [H, W] arrays in order. Bin edges and means in float64; values stored as float32."""
    s = np.array(score, dtype=np.float32, copy=True)
    flat = s.reshape(-1)
    for m in masks:
        idx = np.flatnonzero(np.asarray(m, bool).reshape(-1))
        if idx.size == 0:
            continue
        v = flat[idx].astype(np.float64)
        lo_v, hi_v = v.min(), v.max()
        edges = lo_v + np.arange(bins + 1, dtype=np.float64) * ((hi_v - lo_v) / bins)  # as np.linspace
        edges[-1] = hi_v
        b = np.searchsorted(edges, v, side="right") - 1  # half-open bins ...
        b = np.clip(b, 0, bins - 1)  # ... except the last, which holds its right edge
        counts = np.bincount(b, minlength=bins)
        k = int(np.argmax(counts))  # ties -> lowest bin
        lo, hi = edges[k], edges[k + 1]
        inside = (v >= lo) & (v < hi)  # the maximum is excluded even in the last bin (as the reference)
        if not inside.any():
            continue
        mean = v[inside].mean()
        out = (v < lo) | (v > hi)
        flat[idx[out]] = np.float32(mean)
    return s


# ============================================================================ §7 metrics

def curve_counts(scores: np.ndarray, labels: np.ndarray):
    """Exact mode: every distinct score is a threshold (positive iff score >= t).
    Returns thresholds (descending), cumulative TP, FP, and P, N."""
    sc = np.asarray(scores, np.float64).ravel()
    lb = np.asarray(labels).ravel()
    keep = lb != 255
    sc, lb = sc[keep], lb[keep] == 1
    order = np.argsort(-sc, kind="stable")
    sc, lb = sc[order], lb[order]
    tp = np.cumsum(lb)
    fp = np.cumsum(~lb)
    last = np.r_[np.flatnonzero(sc[1:] != sc[:-1]), sc.size - 1] if sc.size else np.array([], int)
    return sc[last], tp[last].astype(np.float64), fp[last].astype(np.float64), float(lb.sum()), float((~lb).sum())


def metrics_from_counts(tp, fp, P, N) -> dict:
    """AUPRC (trapezoidal AP of the reference), FPR95, AUROC from descending-threshold counts."""
    out = {"positives": P, "negatives": N}
    if P == 0 or N == 0:
        return {**out, "auprc": float("nan"), "fpr95": float("nan"), "auroc": float("nan")}
    # AUPRC
    ok = (tp + fp) > 0
    tpk, fpk = tp[ok], fp[ok]
    full = np.flatnonzero(tpk >= P)
    if full.size:
        tpk, fpk = tpk[: full[0] + 1], fpk[: full[0] + 1]
    prec = tpk / (tpk + fpk)
    rec = tpk / P
    prec = np.r_[prec[::-1], 1.0]  # ascending threshold order, then the end point
    rec = np.r_[rec[::-1], 0.0]
    o = np.argsort(rec, kind="stable")
    out["auprc"] = float(np.trapz(prec[o], rec[o]))
    # FPR95
    tpr, fpr = tp / P, fp / N
    ok95 = tpr >= 0.95
    out["fpr95"] = float(fpr[ok95].min()) if ok95.any() else 1.0
    # AUROC
    out["auroc"] = float(np.trapz(np.r_[0.0, tpr], np.r_[0.0, fpr]))
    return out


def pixel_metrics(scores, labels) -> dict:
    """Pooled pixel metrics over lists (or arrays) of score maps and 0/1/255 label maps."""
    if isinstance(scores, (list, tuple)):
        scores = np.concatenate([np.asarray(s, np.float64).ravel() for s in scores])
        labels = np.concatenate([np.asarray(l).ravel() for l in labels])
    _, tp, fp, P, N = curve_counts(scores, labels)
    return metrics_from_counts(tp, fp, P, N)
