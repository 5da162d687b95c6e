"""fp16 / int8 weight variants and chunked external data: graphs, manifest entries, and outputs in
onnxruntime-node against the fp32 model.

Tolerances were measured on these small random-weight models (C = 128, 3 blocks, 3 flow steps, a
98 x 140 input): likelihood max-abs difference fp16 3.5e-4 and int8 1.8e-3 over backbone + flow, so the
bounds below leave about 5x headroom; a variant that computes something else is off by far more."""
import contextlib
import io
import json

import numpy as np
import onnx
import pytest
import torch

from flowclas_factory import convert, external_data, precision
from flowclas_factory import export as ex
from flowclas_factory import random_checkpoints as rc
from flowclas_factory.dinov2 import DinoSpec

needs_ort = pytest.mark.skipif(not ex.ort_available(), reason="onnxruntime-node is not installed")
Q_TOLERANCE = {"fp16": 2e-3, "int8": 1e-2}


@pytest.fixture(scope="module")
def bundle(tmp_path_factory):
    d = tmp_path_factory.mktemp("variants")
    spec = DinoSpec(dim=128, depth=3, heads=2, registers=0, patch=14, grid=37, ffn="mlp", hidden=512,
                    layerscale=True, mask_token=True)
    torch.save(rc.dinov2_state_dict(spec, seed=3), d / "dinov2.pth")
    torch.save({"state_dict": rc.reins_state_dict(3, 128, rank=4, query_dim=16, seed=4)}, d / "rein.pth")
    torch.save({"state_dict": rc.flow_state_dict(128, 3, seed=5)}, d / "flowclas.ckpt")
    out = d / "bundle"
    with contextlib.redirect_stdout(io.StringIO()):
        convert.convert_flowclas(d / "flowclas.ckpt", d / "dinov2.pth", d / "rein.pth", out, external=True,
                                 chunk_mb=1.0)
        precision.write_variants(out)
    return out


def test_manifest_lists_every_variant_and_its_chunks(bundle):
    m = json.loads((bundle / "manifest.json").read_text())
    for key in ("backbone", "flow"):
        assert m[key]["file"] == f"{key}.onnx"  # the base stays fp32
        for kind in ("fp16", "int8"):
            v = m[key]["variants"][kind]
            assert v["file"] == f"{key}.{kind}.onnx"
            assert v["externalData"] == external_data.external_files(bundle / v["file"])  # chunked like its base
    named = {f for key in ("backbone", "flow") for f in
             [m[key]["file"], *m[key]["externalData"],
              *[g for v in m[key]["variants"].values() for g in [v["file"], *v["externalData"]]]]}
    assert set(m["files"]) == named
    for f, info in m["files"].items():
        assert info == {"bytes": (bundle / f).stat().st_size, "sha256": ex.sha256_file(bundle / f)}


def test_variant_graphs(bundle):
    for key in ("backbone", "flow"):
        fp32 = external_data.total_bytes(bundle / f"{key}.onnx")
        half = onnx.load(str(bundle / f"{key}.fp16.onnx"))
        edges = [*half.graph.input, *half.graph.output]
        assert [i.type.tensor_type.elem_type for i in edges] == [onnx.TensorProto.FLOAT] * 2
        floats = [t for t in half.graph.initializer if t.data_type in (onnx.TensorProto.FLOAT, onnx.TensorProto.FLOAT16)]
        big = [t for t in floats if np.prod(t.dims) >= 1024]
        assert big and all(t.data_type == onnx.TensorProto.FLOAT16 for t in big)
        assert external_data.total_bytes(bundle / f"{key}.fp16.onnx") < 0.55 * fp32
        # int8: under half here, as the float32 position table weighs in on a model this small
        assert external_data.total_bytes(bundle / f"{key}.int8.onnx") < 0.5 * fp32
    ops = {n.op_type for n in onnx.load(str(bundle / "backbone.int8.onnx")).graph.node}
    assert {"DynamicQuantizeLinear", "MatMulInteger", "DequantizeLinear"} <= ops  # integer MatMuls, int8 conv weights
    # DINOv2's Resize scales stay float32 in the fp16 graph (the (h + 0.1)/M offset needs the precision)
    half = onnx.load(str(bundle / "backbone.fp16.onnx"))
    producer = {o: n for n in half.graph.node for o in n.output}
    resize = next(n for n in half.graph.node if n.op_type == "Resize")
    assert producer[resize.input[2]].op_type == "Concat"
    cast = next(n for n in half.graph.node if n.op_type == "Cast" and n.output[0] == "/Cast_output_0")
    assert onnx.helper.get_attribute_value(cast.attribute[0]) == onnx.TensorProto.FLOAT


@needs_ort
def test_variants_run_and_stay_close_to_fp32(bundle):
    x = np.random.RandomState(0).randn(1, 3, 98, 140).astype(np.float32)
    q = {}
    for kind in ("", ".fp16", ".int8"):
        feats = ex.run_ort(bundle / f"backbone{kind}.onnx", {"pixel_values": x})["last_hidden_state"]
        assert feats.dtype == np.float32 and feats.shape == (1, 128, 7, 10)
        q[kind] = ex.run_ort(bundle / f"flow{kind}.onnx", {"features": feats})["likelihood"]
    assert q[""].max() - q[""].min() > 0.1
    for kind, tol in Q_TOLERANCE.items():
        diff = np.abs(q["." + kind] - q[""]).max()
        assert 0 < diff <= tol, (kind, diff)


@needs_ort
def test_fp16_tokens_backbone_at_native_and_other_sizes(tmp_path):
    spec = DinoSpec(dim=64, depth=2, heads=1, registers=4, patch=14, grid=37, ffn="mlp", hidden=256,
                    layerscale=True, mask_token=True)
    torch.save(rc.dinov2_state_dict(spec, seed=7), tmp_path / "d.pth")
    with contextlib.redirect_stdout(io.StringIO()):
        convert.convert_dinov2(tmp_path / "d.pth", tmp_path, final_norm=True)
    precision.write_variant(tmp_path / "backbone.onnx", "fp16")
    for hw in ((518, 518), (42, 70)):
        x = np.random.RandomState(1).randn(1, 3, *hw).astype(np.float32)
        full = ex.run_ort(tmp_path / "backbone.onnx", {"pixel_values": x})["last_hidden_state"]
        half = ex.run_ort(tmp_path / "backbone.fp16.onnx", {"pixel_values": x})["last_hidden_state"]
        assert half.shape == full.shape == (1, 5 + hw[0] * hw[1] // 196, 64)
        assert np.abs(half - full).max() < 2e-2  # LayerNorm-scaled tokens of about unit size


@needs_ort
def test_external_data_chunks_load_and_give_the_same_output(tmp_path):
    spec = DinoSpec(dim=64, depth=2, heads=1, registers=0, patch=14, grid=37, ffn="mlp", hidden=256,
                    layerscale=True, mask_token=True)
    torch.save(rc.dinov2_state_dict(spec, seed=8), tmp_path / "d.pth")
    with contextlib.redirect_stdout(io.StringIO()):
        convert.convert_dinov2(tmp_path / "d.pth", tmp_path / "inline")
    model = onnx.load(str(tmp_path / "inline" / "backbone.onnx"))
    names = external_data.save(model, tmp_path / "backbone.onnx", external=True, chunk_mb=0.4)
    assert len(names) >= 3 and names == [f"backbone.onnx.data.{k}" for k in range(len(names))]
    sizes = [(tmp_path / n).stat().st_size for n in names]
    assert max(sizes) <= 0.4 * 2 ** 20
    m = onnx.load(str(tmp_path / "backbone.onnx"), load_external_data=False)
    for t in m.graph.initializer:  # each tensor whole, inside one chunk
        if t.data_location == onnx.TensorProto.EXTERNAL:
            e = {kv.key: kv.value for kv in t.external_data}
            assert int(e["offset"]) + int(e["length"]) <= (tmp_path / e["location"]).stat().st_size
    x = np.random.RandomState(2).randn(1, 3, 56, 42).astype(np.float32)
    a = ex.run_ort(tmp_path / "inline" / "backbone.onnx", {"pixel_values": x})["last_hidden_state"]
    b = ex.run_ort(tmp_path / "backbone.onnx", {"pixel_values": x})["last_hidden_state"]
    np.testing.assert_array_equal(a, b)
