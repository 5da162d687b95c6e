"""The whole factory path at tiny budgets, plus determinism of the committed fixtures."""
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import onnx
import pytest

from flowclas_factory import export as ex
from flowclas_factory import goldens

from bundle_checks import check_samples

TOOLS = Path(__file__).resolve().parents[1]
REPO = TOOLS.parent


@pytest.fixture(scope="module")
def smoke(tmp_path_factory):
    out = tmp_path_factory.mktemp("smoke")
    work = tmp_path_factory.mktemp("work")
    subprocess.run([sys.executable, "-m", "flowclas_factory", "build", "--smoke", "--out", str(out), "--work", str(work)],
                   cwd=str(TOOLS), check=True, capture_output=True, env={"PYTHONPATH": str(TOOLS), "PATH": "/usr/bin:/bin"})
    return out, work


def test_smoke_bundle_manifest_and_contracts(smoke):
    out, _ = smoke
    d = out / "public" / "models" / "demo"
    m = json.loads((d / "manifest.json").read_text())
    assert m["format"] == "flowclas-bundle/1" and m["name"] == "demo"
    for key in ("description", "domain", "license"):
        assert m[key]
    assert m["backbone"]["layout"] == "tokens" and m["backbone"]["prefixTokens"] == 1
    assert m["flow"]["outputKind"] == "likelihood" and m["flow"]["channels"] == m["backbone"]["channels"]
    assert m["segmenter"]["kind"] == "sam2" and m["segmenter"]["decoder"]["batchedPrompts"] is True
    for f, info in m["files"].items():
        assert (d / f).stat().st_size == info["bytes"] and ex.sha256_file(d / f) == info["sha256"]
        onnx.checker.check_model(onnx.load(str(d / f)))
    enc = onnx.load(str(d / "sam2_encoder.onnx"))
    dims = {o.name: [x.dim_value for x in o.type.tensor_type.shape.dim] for o in enc.graph.output}
    assert dims == {"high_res_feats_0": [1, 32, 256, 256], "high_res_feats_1": [1, 64, 128, 128],
                    "image_embed": [1, 256, 64, 64]}
    bb = onnx.load(str(d / "backbone.onnx"))
    shp = bb.graph.input[0].type.tensor_type.shape.dim
    assert shp[2].dim_param and shp[3].dim_param  # dynamic H, W


def test_smoke_samples_report_goldens(smoke):
    out, work = smoke
    assert len(check_samples(out / "public" / "samples", at_least=2)) >= 2
    assert "Held-out pixel metrics" in (out / "docs" / "factory-report.md").read_text()
    gd = sorted((out / "fixtures" / "demo-golden").iterdir())
    assert len(gd) == 2 and (gd[0] / "masks.json").exists()
    r = json.loads((work / "results.json").read_text())
    assert set(r["results"]["flows"]) == {"nll+infonce", "nll"}


@pytest.mark.skipif(not ex.ort_available(), reason="onnxruntime-node is not installed")
def test_smoke_demo_golden_matches_onnxruntime(smoke):
    out, _ = smoke
    d = out / "public" / "models" / "demo"
    g = sorted((out / "fixtures" / "demo-golden").iterdir())[0]
    o = ex.run_ort(d / "backbone.onnx", {"pixel_values": np.load(g / "backbone_input.npy")})
    np.testing.assert_allclose(o["last_hidden_state"], np.load(g / "backbone_output.npy"), atol=2e-4, rtol=1e-3)
    o = ex.run_ort(d / "flow.onnx", {"features": np.load(g / "features.npy")})
    np.testing.assert_allclose(o["likelihood"], np.load(g / "likelihood.npy"), atol=1e-5, rtol=1e-3)


def test_committed_fixture_is_reproducible(tmp_path):
    """Regenerating a fixture bundle gives the committed goldens (determinism + up to date)."""
    variant = "tokens-reg4"
    seed = 7 + sorted(goldens.VARIANTS, key=list(goldens.VARIANTS).index).index(variant)
    goldens.build_fixture_bundle(variant, tmp_path, seed)
    new, old = tmp_path / variant / "golden", REPO / "fixtures" / "bundles" / variant / "golden"
    for f in ("backbone_input", "backbone_output", "features", "likelihood", "score", "iou_predictions", "refined"):
        np.testing.assert_allclose(np.load(new / f"{f}.npy"), np.load(old / f"{f}.npy"), atol=1e-5, rtol=1e-4)
    a = json.loads((new / "masks.json").read_text())
    b = json.loads((old / "masks.json").read_text())
    assert [m["segmentation"] for m in a] == [m["segmentation"] for m in b]
