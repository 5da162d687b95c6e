"""The committed demo bundle, samples and demo goldens."""
import json
from pathlib import Path

import numpy as np
import onnx
import pytest

from flowclas_factory import export as ex

from bundle_checks import check_samples, check_segmenter_golden

REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "public" / "models" / "demo"
GOLDEN = REPO / "fixtures" / "demo-golden"


def test_demo_manifest_files_and_size():
    m = json.loads((DEMO / "manifest.json").read_text())
    assert m["format"] == "flowclas-bundle/1" and m["name"] == "demo"
    total = 0
    for f, info in m["files"].items():
        assert (DEMO / f).stat().st_size == info["bytes"] and ex.sha256_file(DEMO / f) == info["sha256"]
        onnx.checker.check_model(onnx.load(str(DEMO / f)))
        total += info["bytes"]
    assert total < 40e6


def test_samples():
    sizes = check_samples(REPO / "public" / "samples", at_least=8)
    assert len({w / h for w, h in sizes}) >= 2  # at least two aspect ratios


@pytest.mark.skipif(not ex.ort_available(), reason="onnxruntime-node is not installed")
@pytest.mark.parametrize("sample", sorted(p.name for p in GOLDEN.iterdir()) if GOLDEN.exists() else [])
def test_demo_goldens_match_onnxruntime(sample):
    m = json.loads((DEMO / "manifest.json").read_text())
    g = GOLDEN / sample
    o = ex.run_ort(DEMO / "backbone.onnx", {"pixel_values": np.load(g / "backbone_input.npy")})
    np.testing.assert_allclose(o["last_hidden_state"], np.load(g / "backbone_output.npy"), atol=1e-3, rtol=1e-3)
    q = ex.run_ort(DEMO / "flow.onnx", {"features": np.load(g / "features.npy")})["likelihood"]
    np.testing.assert_allclose(q, np.load(g / "likelihood.npy"), atol=1e-4, rtol=1e-3)
    check_segmenter_golden(DEMO, g, m["segmenter"], encoder_atol=1e-3, masks_atol=5e-2, iou_atol=1e-4)
