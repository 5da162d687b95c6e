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


def _grid_features(backbone, img: np.ndarray, bb_cfg: dict):
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
        feats = torch.cat([_layer_norm(_grid_features(backbone, im, bb_cfg)[0]).flatten(2)[0].T for im in images])
        feats = feats.double()
        self.mean = feats.mean(0)
        cov = torch.cov(feats.T) + ridge * torch.eye(feats.shape[1], dtype=torch.float64)
        self.precision = torch.linalg.inv(cov)
        self.positions = int(feats.shape[0])

    def scores(self, backbone, img: np.ndarray, bb_cfg: dict) -> np.ndarray:
        f, geo = _grid_features(backbone, img, bb_cfg)
        f = _layer_norm(f)[0].double()
        c, h, w = f.shape
        d = f.reshape(c, -1).T - self.mean
        maha = ((d @ self.precision) * d).sum(1).reshape(1, 1, h, w)
        return ref.score_map((-maha).float(), geo, bb_cfg["patchSize"], "logdensity").numpy()


def full_density_scores(backbone, flow, img: np.ndarray, bb_cfg: dict) -> np.ndarray:
    """The flow's training-time density per dimension (log-det included) as a log-density score map."""
    f, geo = _grid_features(backbone, img, bb_cfg)
    with torch.no_grad():
        z, logdet = flow.transform(f)
        logp = -flow.nll_per_dim(z, logdet)[:, None]
    return ref.score_map(logp, geo, bb_cfg["patchSize"], "logdensity").numpy()


def limits(test, clean_images, backbone, flows: dict, bb_cfg: dict, log=print) -> dict:
    """All diagnostics over the held-out set; metrics dicts as ref.pixel_metrics returns them."""
    labels = [s["anomaly"] for s in test]
    oracle = [patch_oracle_scores(s["image"], s["anomaly"], bb_cfg) for s in test]
    gauss = FeatureGaussian(backbone, clean_images, bb_cfg)
    gauss_maps = [gauss.scores(backbone, s["image"], bb_cfg) for s in test]
    out = {
        "patch_oracle": ref.pixel_metrics(oracle, labels),
        "feature_gaussian": ref.pixel_metrics(gauss_maps, labels),
        "feature_gaussian_positions": gauss.positions,
        "full_density": {},
    }
    for name, flow in flows.items():
        maps = [full_density_scores(backbone, flow, s["image"], bb_cfg) for s in test]
        out["full_density"][name] = ref.pixel_metrics(maps, labels)
    log("limits: patch oracle AUPRC {:.3f}, feature Gaussian {:.3f}, full density {}".format(
        out["patch_oracle"]["auprc"], out["feature_gaussian"]["auprc"],
        {k: round(v["auprc"], 3) for k, v in out["full_density"].items()}))
    return out
