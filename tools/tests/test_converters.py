"""The checkpoint converters: key names and shapes at full size, messages for checkpoints that do not fit,
and the exported ONNX in onnxruntime-node against independent PyTorch computations written from the
published layouts (not through the converter's modules)."""
import contextlib
import io
import json
import math
from pathlib import Path

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from flowclas_factory import convert, external_data
from flowclas_factory import export as ex
from flowclas_factory import random_checkpoints as rc
from flowclas_factory.dinov2 import DinoSpec, expected_dinov2_shapes, spec_from_state_dict
from flowclas_factory.flowclas_flow import FlowCLASFlow, flow_config_from_state_dict, flow_state_dict
from flowclas_factory.reins import LoRAReins
from flowclas_factory.state_dicts import CheckpointError, check_keys, expected_shapes

REPO = Path(__file__).resolve().parents[2]
needs_ort = pytest.mark.skipif(not ex.ort_available(), reason="onnxruntime-node is not installed")


# ---------------------------------------------------------------------------- the published layouts

def official_dinov2_shapes(dim, depth, registers=0, swiglu_hidden=None):
    """{key: shape} of the official DINOv2 hub checkpoints, written out from their documented layout."""
    s = {"cls_token": (1, 1, dim), "pos_embed": (1, 1 + 37 * 37, dim), "mask_token": (1, dim),
         "patch_embed.proj.weight": (dim, 3, 14, 14), "patch_embed.proj.bias": (dim,),
         "norm.weight": (dim,), "norm.bias": (dim,)}
    if registers:
        s["register_tokens"] = (1, registers, dim)
    for i in range(depth):
        b = f"blocks.{i}."
        s.update({b + "norm1.weight": (dim,), b + "norm1.bias": (dim,), b + "attn.qkv.weight": (3 * dim, dim),
                  b + "attn.qkv.bias": (3 * dim,), b + "attn.proj.weight": (dim, dim), b + "attn.proj.bias": (dim,),
                  b + "ls1.gamma": (dim,), b + "norm2.weight": (dim,), b + "norm2.bias": (dim,), b + "ls2.gamma": (dim,)})
        if swiglu_hidden:
            s.update({b + "mlp.w12.weight": (2 * swiglu_hidden, dim), b + "mlp.w12.bias": (2 * swiglu_hidden,),
                      b + "mlp.w3.weight": (dim, swiglu_hidden), b + "mlp.w3.bias": (dim,)})
        else:
            s.update({b + "mlp.fc1.weight": (4 * dim, dim), b + "mlp.fc1.bias": (4 * dim,),
                      b + "mlp.fc2.weight": (dim, 4 * dim), b + "mlp.fc2.bias": (dim,)})
    return s


def official_reins_shapes(layers=24, dim=1024, rank=16, tokens=100, query=256):
    return {"learnable_tokens_a": (layers, tokens, rank), "learnable_tokens_b": (layers, rank, dim), "scale": (),
            "mlp_token2feat.weight": (dim, dim), "mlp_token2feat.bias": (dim,), "mlp_delta_f.weight": (dim, dim),
            "mlp_delta_f.bias": (dim,), "transform.weight": (query, dim), "transform.bias": (query,),
            "merge.weight": (query, 3 * query), "merge.bias": (query,)}


def official_flow_shapes(c=1024, steps=16):
    """The flow keys of a FlowCLAS Lightning checkpoint (prefix `model.`), as in the reference layout."""
    half = c // 2
    s = {"model.norms.0.weight": (c,), "model.norms.0.bias": (c,), "model.base_dists.0.mu": (c,),
         "model.base_dists.0.log_scale": (c,), "model.base_dists.0.log_normalizer": (),
         "model.proj_heads.0.weight": (128, c, 1, 1), "model.proj_heads.0.bias": (128,)}
    for k in range(steps):
        p = "model.flow_blocks.0.module_list."
        s.update({f"{p}{3 * k}.loc": (1, c, 1, 1), f"{p}{3 * k}.log_scale": (1, c, 1, 1), f"{p}{3 * k}.is_initialized": (),
                  f"{p}{3 * k + 1}.perm": (c,), f"{p}{3 * k + 1}.perm_inv": (c,)})
        sub = f"{p}{3 * k + 2}.subnet."
        for gn in ("gn1", "gn2", "gn3"):
            s.update({sub + gn + ".weight": (half,), sub + gn + ".bias": (half,)})
        s.update({sub + "conv1.weight": (half, half, 3, 3), sub + "conv2.weight": (half, half, 1, 1),
                  sub + "conv3.weight": (half, half, 3, 3), sub + "conv_out.weight": (c, half, 1, 1)})
    return s


def meta_state_dict(shapes):
    return {k: torch.empty(s, device="meta") for k, s in shapes.items()}


# ---------------------------------------------------------------------------- full-size keys and shapes

@pytest.mark.parametrize("variant,dim,depth,registers,swiglu", [
    ("S", 384, 12, 4, None), ("B", 768, 12, 0, None), ("L", 1024, 24, 0, None), ("L", 1024, 24, 4, None),
    ("g", 1536, 40, 4, 4096)])
def test_dinov2_variants_read_from_full_size_shapes(variant, dim, depth, registers, swiglu):
    shapes = official_dinov2_shapes(dim, depth, registers, swiglu)
    spec = spec_from_state_dict(meta_state_dict(shapes))
    assert (spec.dim, spec.depth, spec.heads, spec.registers, spec.grid) == (dim, depth, dim // 64, registers, 37)
    assert spec.ffn == ("swiglu" if swiglu else "mlp")
    assert spec.variant.startswith(f"ViT-{variant}/14")
    assert expected_dinov2_shapes(spec) == shapes


def test_reins_and_flow_layouts_at_full_size():
    assert expected_shapes(LoRAReins(24, 100, 16, 1024, 256, device="meta")) == official_reins_shapes()
    sd, ignored = flow_state_dict(meta_state_dict(official_flow_shapes()))
    assert ignored == ["proj_heads.0.bias", "proj_heads.0.weight"]
    c, steps, cfg = flow_config_from_state_dict(sd)
    assert (c, steps, cfg["hidden"], cfg["kernels"]) == (1024, 16, 512, (3, 1, 3))
    check_keys(sd, expected_shapes(FlowCLASFlow(c, steps, cfg, device="meta")), "FlowCLAS flow")
    # the random checkpoints of the real-size bundle carry exactly the published keys
    assert {k: tuple(v.shape) for k, v in rc.flow_state_dict(64, 2).items()} == official_flow_shapes(64, 2)
    reins = rc.reins_state_dict(2, 64, rank=4, query_dim=16)
    assert {k[len("backbone.reins."):]: tuple(v.shape) for k, v in reins.items()} == official_reins_shapes(2, 64, 4, 100, 16)


# ---------------------------------------------------------------------------- checkpoints that do not fit

SMALL = DinoSpec(dim=64, depth=2, heads=1, registers=4, patch=14, grid=37, ffn="mlp", hidden=256, layerscale=True,
                 mask_token=True)


def _convert_dinov2_message(tmp_path, capsys, sd):
    torch.save(sd, tmp_path / "bad.pth")
    assert convert.main(["dinov2", "--checkpoint", str(tmp_path / "bad.pth"), "--out", str(tmp_path / "out")]) == 2
    return capsys.readouterr().err


def test_dinov2_checkpoint_problems_name_the_key(tmp_path, capsys):
    sd = rc.dinov2_state_dict(SMALL)
    missing = dict(sd)
    del missing["blocks.1.attn.proj.bias"]
    assert "missing key 'blocks.1.attn.proj.bias'" in _convert_dinov2_message(tmp_path, capsys, missing)
    extra = dict(sd, **{"blocks.1.attn.extra": torch.zeros(3)})
    assert "unexpected key 'blocks.1.attn.extra'" in _convert_dinov2_message(tmp_path, capsys, extra)
    bad = dict(sd, **{"blocks.0.mlp.fc2.weight": torch.zeros(64, 255)})
    msg = _convert_dinov2_message(tmp_path, capsys, bad)
    assert "key 'blocks.0.mlp.fc2.weight' has shape [64, 255], expected [64, 256]" in msg
    no_patch = {k: v for k, v in sd.items() if not k.startswith("patch_embed")}
    assert "missing key 'patch_embed.proj.weight'" in _convert_dinov2_message(tmp_path, capsys, no_patch)


def test_flow_and_reins_checkpoint_problems_name_the_key(tmp_path):
    torch.save(rc.dinov2_state_dict(SMALL), tmp_path / "d.pth")
    good_reins = rc.reins_state_dict(2, 64, rank=4, query_dim=16)
    good_flow = rc.flow_state_dict(64, 2)
    cases = [
        ({k: v for k, v in good_flow.items() if k != "model.flow_blocks.0.module_list.4.perm"}, good_reins,
         "missing key 'flow_blocks.0.module_list.4.perm'"),
        (dict(good_flow, **{"model.flow_blocks.0.module_list.5.subnet.conv9.weight": torch.zeros(1)}), good_reins,
         "unexpected key 'flow_blocks.0.module_list.5.subnet.conv9.weight'"),
        (dict(good_flow, **{"model.base_dists.0.mu": torch.zeros(63)}), good_reins,
         "key 'base_dists.0.mu' has shape [63], expected [64]"),
        (dict(good_flow, **{"model.flow_blocks.0.module_list.1.perm": torch.zeros(64, dtype=torch.long)}), good_reins,
         "key 'flow_blocks.0.module_list.1.perm' is not a permutation"),
        (good_flow, {k: v for k, v in good_reins.items() if not k.endswith("mlp_delta_f.bias")},
         "missing key 'mlp_delta_f.bias'"),
        (good_flow, dict(good_reins, **{"backbone.reins.scale": torch.zeros(2)}), "key 'scale' has shape [2], expected []"),
    ]
    for flow_sd, reins_sd, expected in cases:
        torch.save({"state_dict": flow_sd}, tmp_path / "f.ckpt")
        torch.save(reins_sd, tmp_path / "r.pth")
        with pytest.raises(CheckpointError) as e:
            convert.convert_flowclas(tmp_path / "f.ckpt", tmp_path / "d.pth", tmp_path / "r.pth", tmp_path / "out")
        assert expected in str(e.value)


# ---------------------------------------------------------------------------- independent references

def reference_positions(pos_embed, h, w):
    """DINOv2's position table for an h x w patch grid: bicubic, scale factors (n + 0.1)/M, unchanged at M x M."""
    m, c = int(math.isqrt(pos_embed.shape[1] - 1)), pos_embed.shape[2]
    grid = pos_embed[:, 1:].reshape(1, m, m, c).permute(0, 3, 1, 2)
    if (h, w) != (m, m):
        grid = F.interpolate(grid, scale_factor=((h + 0.1) / m, (w + 0.1) / m), mode="bicubic", align_corners=False)
    return pos_embed[:, :1], grid.flatten(2).transpose(1, 2)


def reference_dinov2(sd, x, heads, final_norm, reins=None):
    """Tokens [1, 1 + R + h*w, C], written from the published layout with plain tensor operations."""
    f = F.conv2d(x, sd["patch_embed.proj.weight"], sd["patch_embed.proj.bias"], stride=14)
    _, c, h, w = f.shape
    pos_cls, pos_patch = reference_positions(sd["pos_embed"], h, w)
    t = torch.cat([sd["cls_token"] + pos_cls, f.flatten(2).transpose(1, 2) + pos_patch], 1)
    if "register_tokens" in sd:
        t = torch.cat([t[:, :1], sd["register_tokens"], t[:, 1:]], 1)
    depth = 1 + max(int(k.split(".")[1]) for k in sd if k.startswith("blocks."))
    n, d = t.shape[1], c // heads
    for i in range(depth):
        p = lambda name: sd[f"blocks.{i}.{name}"]  # noqa: E731
        y = F.layer_norm(t, (c,), p("norm1.weight"), p("norm1.bias"), 1e-6)
        qkv = (y @ p("attn.qkv.weight").t() + p("attn.qkv.bias")).reshape(n, 3, heads, d)
        q, k, v = (qkv[:, j].transpose(0, 1) for j in range(3))  # [heads, n, d]
        o = (torch.softmax(q @ k.transpose(1, 2) / math.sqrt(d), -1) @ v).transpose(0, 1).reshape(1, n, c)
        t = t + p("ls1.gamma") * (o @ p("attn.proj.weight").t() + p("attn.proj.bias"))
        y = F.layer_norm(t, (c,), p("norm2.weight"), p("norm2.bias"), 1e-6)
        if f"blocks.{i}.mlp.w12.weight" in sd:  # ViT-g: SwiGLU, silu(first half) * second half
            gate, value = (y @ p("mlp.w12.weight").t() + p("mlp.w12.bias")).chunk(2, -1)
            y = (F.silu(gate) * value) @ p("mlp.w3.weight").t() + p("mlp.w3.bias")
        else:
            y = F.gelu(y @ p("mlp.fc1.weight").t() + p("mlp.fc1.bias")) @ p("mlp.fc2.weight").t() + p("mlp.fc2.bias")
        t = t + p("ls2.gamma") * y
        if reins is not None:
            r = lambda name: reins[name]  # noqa: E731
            tok = r("learnable_tokens_a")[i] @ r("learnable_tokens_b")[i]
            pf = t[:, 1:]
            attn = torch.softmax(pf @ tok.t() / math.sqrt(c), -1)
            delta = attn[..., 1:] @ (tok[1:] @ r("mlp_token2feat.weight").t() + r("mlp_token2feat.bias"))
            delta = (delta + pf) @ r("mlp_delta_f.weight").t() + r("mlp_delta_f.bias")
            t = torch.cat([t[:, :1], pf + r("scale") * delta], 1)
    if final_norm:
        t = F.layer_norm(t, (c,), sd["norm.weight"], sd["norm.bias"], 1e-6)
    return t


def reference_flow(sd, feats):
    """q = exp(mean_c(-u^2/2 - log sigma)) from a FlowCLAS Lightning state dict, per the published layout."""
    g = lambda k: sd["model." + k]  # noqa: E731
    c = g("norms.0.weight").shape[0]
    z = F.layer_norm(feats.permute(0, 2, 3, 1), (c,), g("norms.0.weight"), g("norms.0.bias"), 1e-5).permute(0, 3, 1, 2)
    steps = len([k for k in sd if k.endswith(".perm")])
    for k in range(steps):
        m = f"flow_blocks.0.module_list.{3 * k}."
        z = (z - g(m + "loc")) / torch.exp(g(m + "log_scale"))
        z = z[:, g(f"flow_blocks.0.module_list.{3 * k + 1}.perm")]
        s = f"flow_blocks.0.module_list.{3 * k + 2}.subnet."
        x1, x2 = z[:, : c // 2], z[:, c // 2:]
        h = x1
        for j, pad in ((1, 1), (2, 0), (3, 1)):
            h = F.conv2d(F.relu(F.group_norm(h, 1, g(f"{s}gn{j}.weight"), g(f"{s}gn{j}.bias"), 1e-5)),
                         g(f"{s}conv{j}.weight"), padding=pad)
        a = F.conv2d(h + x1, g(s + "conv_out.weight"))
        z = torch.cat([x1, x2 * torch.exp(2 * torch.tanh(a[:, : c // 2])) + a[:, c // 2:]], 1)
    u = (z - g("base_dists.0.mu")[:, None, None]) * torch.exp(-g("base_dists.0.log_scale"))[:, None, None]
    return torch.exp((-0.5 * u * u - g("base_dists.0.log_scale")[:, None, None]).mean(1, keepdim=True))


def test_position_interpolation_uses_the_offset_scale_factors():
    pos = torch.randn(1, 1 + 37 * 37, 8)
    _, p = reference_positions(pos, 32, 46)
    assert p.shape == (1, 32 * 46, 8)
    grid = pos[:, 1:].reshape(1, 37, 37, 8).permute(0, 3, 1, 2)
    by_size = F.interpolate(grid, size=(32, 46), mode="bicubic", align_corners=False).flatten(2).transpose(1, 2)
    assert (p - by_size).abs().max() > 1e-3  # the 0.1 offset moves the sampling positions
    from flowclas_factory.dinov2 import DinoV2
    model = DinoV2(SMALL)
    model.pos_embed.data = torch.randn(1, 1 + 37 * 37, 64)
    for h, w in ((32, 46), (37, 37), (3, 2)):
        cls, patch = model.position_table(torch.zeros(1, 64, h, w))
        ref_cls, ref_patch = reference_positions(model.pos_embed.data, h, w)
        assert torch.equal(cls, ref_cls) and torch.equal(patch, ref_patch)


# ---------------------------------------------------------------------------- ONNX in onnxruntime-node

@pytest.fixture(scope="module")
def small_checkpoints(tmp_path_factory):
    d = tmp_path_factory.mktemp("ckpt")
    spec = DinoSpec(dim=128, depth=3, heads=2, registers=0, patch=14, grid=37, ffn="mlp", hidden=512,
                    layerscale=True, mask_token=True)  # 2 heads of 64 channels, as every official variant
    torch.save(rc.dinov2_state_dict(spec, seed=3), d / "dinov2.pth")
    torch.save({"state_dict": rc.reins_state_dict(3, 128, rank=4, query_dim=16, seed=4)}, d / "rein.pth")
    torch.save({"state_dict": rc.flow_state_dict(128, 3, seed=5), "epoch": 1}, d / "flowclas.ckpt")
    torch.save(rc.dinov2_state_dict(SMALL, seed=6), d / "dinov2_reg4.pth")
    swiglu = DinoSpec(dim=64, depth=2, heads=1, registers=0, patch=14, grid=37, ffn="swiglu", hidden=96,
                      layerscale=True, mask_token=True)
    torch.save(rc.dinov2_state_dict(swiglu, seed=9), d / "dinov2_swiglu.pth")
    return d


@needs_ort
@pytest.mark.parametrize("name,prefix,final_norm,sizes", [
    ("dinov2_reg4", 5, True, ((28, 42), (518, 518), (84, 532))),  # 518 x 518: the native grid, table as is
    ("dinov2_swiglu", 1, False, ((42, 28),))])
def test_dinov2_tokens_match_an_independent_computation(small_checkpoints, tmp_path, name, prefix, final_norm, sizes):
    sd = torch.load(small_checkpoints / f"{name}.pth")
    with contextlib.redirect_stdout(io.StringIO()):
        convert.convert_dinov2(small_checkpoints / f"{name}.pth", tmp_path, final_norm=final_norm)
    g = torch.Generator().manual_seed(0)
    for hw in sizes:
        x = torch.randn(1, 3, *hw, generator=g)
        with torch.no_grad():
            expected = reference_dinov2(sd, x, heads=1, final_norm=final_norm).numpy()
        got = ex.run_ort(tmp_path / "backbone.onnx", {"pixel_values": x.numpy()})["last_hidden_state"]
        assert got.shape == (1, prefix + hw[0] * hw[1] // 196, 64)
        np.testing.assert_allclose(got, expected, atol=1e-4, rtol=0)


@pytest.fixture(scope="module")
def flowclas_bundle(small_checkpoints, tmp_path_factory):
    out = tmp_path_factory.mktemp("bundle")
    manifest = convert.convert_flowclas(small_checkpoints / "flowclas.ckpt", small_checkpoints / "dinov2.pth",
                                        small_checkpoints / "rein.pth", out, max_side=448, external=True, chunk_mb=1.0)
    return out, manifest


def test_flowclas_bundle_manifest_lists_chunked_external_data(flowclas_bundle):
    out, m = flowclas_bundle
    assert m == json.loads((out / "manifest.json").read_text())
    assert m["backbone"]["layout"] == "map" and m["backbone"]["channels"] == m["flow"]["channels"] == 128
    assert m["flow"]["steps"] == 3 and m["backbone"]["resize"] == {"mode": "pad", "maxSide": 448}
    for key in ("backbone", "flow"):
        chunks = m[key]["externalData"]
        assert chunks == [f"{key}.onnx.data.{k}" for k in range(len(chunks))]
        assert external_data.external_files(out / m[key]["file"]) == chunks
        assert all((out / f).stat().st_size <= 2 ** 20 for f in chunks)
    assert len(m["backbone"]["externalData"]) > 1
    named = [f for key in ("backbone", "flow") for f in [m[key]["file"], *m[key]["externalData"]]]
    assert list(m["files"]) == named
    for f, info in m["files"].items():
        assert info == {"bytes": (out / f).stat().st_size, "sha256": ex.sha256_file(out / f)}


def _score_map_through_ort(out, x, backbone="backbone.onnx", flow="flow.onnx"):
    feats = ex.run_ort(out / backbone, {"pixel_values": x})["last_hidden_state"]
    return feats, ex.run_ort(out / flow, {"features": feats})["likelihood"]


@needs_ort
def test_flowclas_score_map_matches_an_independent_computation(small_checkpoints, flowclas_bundle):
    out, _ = flowclas_bundle
    dsd = torch.load(small_checkpoints / "dinov2.pth")
    rsd = {k[len("backbone.reins."):]: v for k, v in torch.load(small_checkpoints / "rein.pth")["state_dict"].items()}
    fsd = torch.load(small_checkpoints / "flowclas.ckpt")["state_dict"]
    x = torch.randn(1, 3, 98, 140, generator=torch.Generator().manual_seed(1))
    with torch.no_grad():
        tokens = reference_dinov2(dsd, x, heads=2, final_norm=False, reins=rsd)
        feats = tokens[:, 1:].transpose(1, 2).reshape(1, 128, 7, 10)
        q = reference_flow(fsd, feats).numpy()
    got_feats, got_q = _score_map_through_ort(out, x.numpy())
    np.testing.assert_allclose(got_feats, feats.numpy(), atol=1e-4, rtol=0)
    assert got_q.shape == (1, 1, 7, 10) and 0.05 < q.min() and q.max() < 0.95  # a score map with contrast
    assert np.abs(got_q - q).max() <= 1e-4


@pytest.mark.parametrize("fixture,batched", [("decoder-batched", True), ("decoder-single", False)])
def test_sam2_pair_is_added_with_its_batching(small_checkpoints, tmp_path, fixture, batched):
    src = REPO / "fixtures" / "bundles" / fixture
    with contextlib.redirect_stdout(io.StringIO()):
        m = convert.convert_flowclas(small_checkpoints / "flowclas.ckpt", small_checkpoints / "dinov2.pth",
                                     small_checkpoints / "rein.pth", tmp_path,
                                     sam2=(src / "sam2_encoder.onnx", src / "sam2_decoder.onnx"))
    seg = m["segmenter"]
    assert seg["decoder"]["batchedPrompts"] is batched and seg["amg"]["pointsPerBatch"] == (64 if batched else 1)
    for key in ("encoder", "decoder"):
        f = seg[key]["file"]
        assert m["files"][f]["sha256"] == ex.sha256_file(src / f)


def test_sam2_pair_with_other_tensor_names_is_refused(small_checkpoints, tmp_path):
    src = REPO / "fixtures" / "bundles" / "decoder-batched"
    with pytest.raises(CheckpointError, match="no tensor named 'image'"):
        convert.add_sam2_pair(src / "sam2_decoder.onnx", src / "sam2_decoder.onnx", tmp_path)
