"""Diagnostics behind the report's "what limits them" table."""
import numpy as np
import torch

from flowclas_factory import diagnostics, reference as ref
from flowclas_factory.models import FlowCLAS

BB = {"patchSize": 14, "resize": {"mode": "pad", "maxSide": 448}, "mean": [0.5] * 3, "std": [0.25] * 3,
      "layout": "map"}


def test_patch_oracle_ranks_whole_anomalous_patches_first():
    img = np.zeros((56, 84, 3), np.uint8)
    anomaly = np.zeros((56, 84), np.uint8)
    anomaly[14:28, 28:42] = 1  # exactly one patch
    s = diagnostics.patch_oracle_scores(img, anomaly, BB)
    assert s.shape == (56, 84)
    # the patch centre holds the oracle's full score, far patches none
    assert s[21, 35] > 0.9 and s[50, 5] == 0.0
    m = ref.pixel_metrics([s], [anomaly])
    assert m["auroc"] > 0.99


class _ColourBackbone(torch.nn.Module):
    """A stand-in backbone in the map layout: per-patch mean colour, tiled to 8 channels."""

    def forward(self, x):
        pooled = torch.nn.functional.avg_pool2d(x, 14)
        noise = torch.arange(8, dtype=x.dtype)[None, :, None, None] * 0.01
        return torch.cat([pooled, pooled * pooled, pooled[:, :2]], 1) + noise


def test_feature_gaussian_scores_an_unseen_colour_as_anomalous():
    rng = np.random.default_rng(0)
    clean = [np.clip(rng.normal(100, 20, (56, 56, 3)), 0, 255).astype(np.uint8) for _ in range(8)]
    bb = _ColourBackbone()
    g = diagnostics.FeatureGaussian(bb, clean, BB)
    assert g.positions == 8 * 16
    img = np.clip(rng.normal(100, 20, (56, 56, 3)), 0, 255).astype(np.uint8)
    img[:14, :14] = (250, 10, 250)
    feats, geo = diagnostics.grid_features(bb, img, BB)
    s = g.scores(feats, geo, 14)
    assert s[7, 7] > np.percentile(s[28:, 28:], 99)


def test_full_density_differs_from_the_inference_score_by_the_log_det():
    torch.manual_seed(0)
    flow = FlowCLAS(8, 2, seed=0).eval()
    with torch.no_grad():
        for p in flow.subnets.parameters():
            p.normal_(0, 0.3)
    bb = _ColourBackbone()
    img = np.random.default_rng(1).integers(0, 255, (28, 42, 3)).astype(np.uint8)
    f, geo = diagnostics.grid_features(bb, img, BB)
    full = diagnostics.full_density_scores(flow, f, geo, 14)
    with torch.no_grad():
        z, logdet = flow.transform(f)
        want = -flow.nll_per_dim(z, logdet)[:, None]
        ell = flow.log_likelihood(z)
    np.testing.assert_allclose(full, ref.score_map(want, geo, 14, "logdensity").numpy(), atol=1e-6)
    assert not np.allclose(full, ref.score_map(ell, geo, 14, "logdensity").numpy(), atol=1e-3)


def test_backbone_from_onnx_reproduces_the_committed_demo_golden():
    from pathlib import Path
    repo = Path(__file__).resolve().parents[2]
    g = repo / "fixtures" / "demo-golden" / "road_01_landscape"
    m = diagnostics.backbone_from_onnx(repo / "public" / "models" / "demo" / "backbone.onnx", 192, 4, 3)
    with torch.no_grad():
        out = m(torch.from_numpy(np.load(g / "backbone_input.npy"))).numpy()
    np.testing.assert_allclose(out, np.load(g / "backbone_output.npy"), atol=2e-5, rtol=1e-4)


def test_gaussian_diagnostic_on_a_colour_anomaly():
    rng = np.random.default_rng(0)
    clean = [np.clip(rng.normal(100, 20, (56, 56, 3)), 0, 255).astype(np.uint8) for _ in range(8)]
    img = np.clip(rng.normal(100, 20, (56, 56, 3)), 0, 255).astype(np.uint8)
    img[14:28, 14:28] = (250, 10, 250)
    anomaly = np.zeros((56, 56), np.uint8)
    anomaly[14:28, 14:28] = 1
    d = diagnostics.gaussian_diagnostic(_ColourBackbone(), clean, [{"image": img, "anomaly": anomaly}], BB)
    assert d["gaussian_auroc"] > 0.95 and d["gaussian_fpr95"] < 0.2
