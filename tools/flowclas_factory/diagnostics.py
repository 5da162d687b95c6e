"""Measured bounds that explain the held-out numbers (the report's "what limits them" section).

Each diagnostic scores the same held-out images with the same §4 score-map path and the same exact
§7 metrics as the real evaluation, so the numbers compare directly:

- patch-grid bound: an oracle that knows, for every 14-pixel patch, the fraction of anomaly pixels
  in it. What any backbone with this patch size could reach through the ×14 upsampling.
- feature bound: one full-covariance Gaussian fitted on the LayerNorm'd backbone features of clean
  training scenes (Mahalanobis distance). A density model with no training budget to speak of; if the
  flow falls below it, the flow (not the backbone) is what limits the score.
- full flow density: the trained flow's per-dimension log-density *with* the log-det, next to the
  inference score of pipeline.md §3, which leaves the log-det out.
"""
from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F

from . import reference as ref


def _layer_norm(f: torch.Tensor) -> torch.Tensor:
    return F.layer_norm(f.permute(0, 2, 3, 1), (f.shape[1],)).permute(0, 3, 1, 2)


def grid_features(backbone, img: np.ndarray, bb_cfg: dict):
    """[1, C, h, w] backbone features of an image and its §1 geometry (the path of ref.run_anomaly)."""
    x, geo = ref.backbone_input(img, bb_cfg)
    with torch.no_grad():
        out = backbone(x)
    return ref.to_feature_map(out, bb_cfg["layout"], bb_cfg.get("prefixTokens", 0), geo["grid"]), geo


def patch_oracle_scores(img: np.ndarray, anomaly: np.ndarray, bb_cfg: dict) -> np.ndarray:
    """Score map of the patch-fraction oracle: q = 1 − (anomaly fraction of the patch), through §4."""
    _, geo = ref.backbone_input(img, bb_cfg)
    patch = bb_cfg["patchSize"]
    a = torch.from_numpy((anomaly == 1).astype(np.float32))[None]
    a = ref.resize2d(a, geo["resized"])[0]
    pt, pb, pl, pr = geo["pad"]
    a = F.pad(a, (pl, pr, pt, pb))
    gh, gw = geo["grid"]
    frac = a.reshape(gh, patch, gw, patch).mean((1, 3))
    return ref.score_map((1.0 - frac)[None, None], geo, patch, "likelihood").numpy()


class FeatureGaussian:
    """Full-covariance Gaussian over LayerNorm'd backbone features (float64)."""

    def __init__(self, backbone, images, bb_cfg: dict, ridge: float = 1e-3):
        feats = torch.cat([_layer_norm(grid_features(backbone, im, bb_cfg)[0]).flatten(2)[0].T for im in images])
        feats = feats.double()
        self.mean = feats.mean(0)
        cov = torch.cov(feats.T) + ridge * torch.eye(feats.shape[1], dtype=torch.float64)
        self.precision = torch.linalg.inv(cov)
        self.positions = int(feats.shape[0])

    def scores(self, features: torch.Tensor, geo: dict, patch: int) -> np.ndarray:
        """Score map (−Mahalanobis distance as a log-density) of grid_features' output."""
        f = _layer_norm(features)[0].double()
        c, h, w = f.shape
        d = f.reshape(c, -1).T - self.mean
        maha = ((d @ self.precision) * d).sum(1).reshape(1, 1, h, w)
        return ref.score_map((-maha).float(), geo, patch, "logdensity").numpy()


def full_density_scores(flow, features: torch.Tensor, geo: dict, patch: int) -> np.ndarray:
    """The flow's training-time density per dimension (log-det included) as a log-density score map."""
    with torch.no_grad():
        z, logdet = flow.transform(features)
        logp = -flow.nll_per_dim(z, logdet)[:, None]
    return ref.score_map(logp, geo, patch, "logdensity").numpy()


def backbone_from_onnx(path, dim: int, depth: int, heads: int):
    """A ViTBackbone carrying the weights of an exported demo backbone (tokens layout, no registers), so a
    committed bundle can be measured with the same diagnostics as a new one. Named initialisers map to the
    state dict directly; the exporter leaves the Linear weights as anonymous transposed MatMul constants, in
    the graph order qkv, proj, mlp.0, mlp.2 of each block."""
    import onnx
    from onnx import numpy_helper

    from .models import ViTBackbone

    model = ViTBackbone(dim=dim, depth=depth, heads=heads, registers=0, layout="tokens")
    sd = model.state_dict()
    graph = onnx.load(str(path)).graph
    inits = {i.name: numpy_helper.to_array(i) for i in graph.initializer}
    anonymous = []
    for node in graph.node:  # MatMul constants in the order the graph uses them
        if node.op_type == "MatMul" and node.input[1] in inits and node.input[1] not in sd:
            anonymous.append(node.input[1])
    linear = [f"blocks.{b}.{n}.weight" for b in range(depth) for n in ("attn.qkv", "attn.proj", "mlp.0", "mlp.2")]
    if len(anonymous) != len(linear):
        raise ValueError(f"{path}: expected {len(linear)} anonymous MatMul weights, found {len(anonymous)}")
    new = {}
    for k in sd:
        if k in inits:
            new[k] = torch.from_numpy(inits[k].copy())
    for k, a in zip(linear, anonymous):
        new[k] = torch.from_numpy(inits[a].T.copy())
    missing = set(sd) - set(new)
    if missing:
        raise ValueError(f"{path}: no weights for {sorted(missing)}")
    for k in sd:
        if tuple(new[k].shape) != tuple(sd[k].shape):
            raise ValueError(f"{path}: {k} has shape {tuple(new[k].shape)}, expected {tuple(sd[k].shape)}")
    model.load_state_dict(new)
    return model.eval()


def gaussian_diagnostic(backbone, fit_images, val_scenes, bb_cfg: dict) -> dict:
    """The feature bound on a small held-out subset: one Gaussian fitted on the features of `fit_images`
    (clean scenes), scored on `val_scenes` (dicts with image and anomaly) through the §4 path, exact §7
    metrics. Cheap enough to run at every backbone checkpoint."""
    g = FeatureGaussian(backbone, fit_images, bb_cfg)
    maps, labels = [], []
    for s in val_scenes:
        feats, geo = grid_features(backbone, s["image"], bb_cfg)
        maps.append(g.scores(feats, geo, bb_cfg["patchSize"]))
        labels.append(s["anomaly"])
    m = ref.pixel_metrics(maps, labels)
    return {"gaussian_auprc": float(m["auprc"]), "gaussian_fpr95": float(m["fpr95"]), "gaussian_auroc": float(m["auroc"])}
