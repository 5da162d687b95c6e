"""Model contracts and export forms."""
import copy

import numpy as np
import onnx
import pytest
import torch

from flowclas_factory import export as ex
from flowclas_factory import models, reference as ref


def _flow(seed=0, c=16, steps=3):
    torch.manual_seed(seed)
    f = models.FlowCLAS(c, steps, seed=seed)
    with torch.no_grad():
        for p in f.parameters():
            p.add_(torch.randn_like(p) * 0.1)
    f.initialised.fill_(1)
    return f.eval()


def test_flow_likelihood_definition():
    f = _flow()
    x = torch.randn(1, 16, 5, 7)
    z, _ = f.transform(x)
    u = (z - f.mu[None, :, None, None]) * torch.exp(-f.log_sigma)[None, :, None, None]
    ell = (-0.5 * u * u - f.log_sigma[None, :, None, None]).mean(1, keepdim=True)
    torch.testing.assert_close(f(x), torch.exp(ell), rtol=1e-5, atol=1e-6)


def test_flow_starts_as_identity_couplings():
    f = models.FlowCLAS(8, 2)
    x = torch.randn(1, 8, 3, 3)
    z, logdet = f.eval().transform(x)
    ln = models.channel_layer_norm(x, f.ln_weight, f.ln_bias)
    torch.testing.assert_close(z, ln[:, f.perm[0]][:, f.perm[1]])
    assert torch.allclose(logdet, torch.zeros_like(logdet), atol=1e-6)


def test_flow_export_mode_matches_training_mode():
    f = _flow()
    x = torch.randn(1, 16, 6, 4)
    fe = models.set_export_mode(copy.deepcopy(f), True)
    torch.testing.assert_close(fe(x), f(x), rtol=1e-5, atol=1e-6)


def test_flow_logdet_matches_autograd_jacobian(monkeypatch):
    """log-det of (LayerNorm affine, ActNorm, couplings) = log|det J| on a 1x1 map (the normalisation
    itself is a fixed preprocessing and is replaced by the identity here)."""
    f = _flow(c=6, steps=2).double()
    monkeypatch.setattr(models, "channel_layer_norm",
                        lambda x, w, b, eps=1e-5: x * w[None, :, None, None] + b[None, :, None, None])
    v = torch.randn(6, dtype=torch.float64)
    _, logdet = f.transform(v.reshape(1, 6, 1, 1))
    J = torch.autograd.functional.jacobian(lambda u: f.transform(u.reshape(1, 6, 1, 1))[0].reshape(6), v)
    assert float(logdet.reshape(())) == pytest.approx(float(torch.linalg.slogdet(J)[1]), abs=1e-8)


def test_flow_onnx_uses_webgpu_safe_norms(tmp_path):
    f = _flow()
    ex.export_flow(f, tmp_path / "f.onnx")
    m = onnx.load(str(tmp_path / "f.onnx"))
    ops = {n.op_type for n in m.graph.node}
    assert "LayerNormalization" in ops
    assert "ReduceMean" not in ops and "InstanceNormalization" not in ops
    assert m.opset_import[0].version == 17


@pytest.mark.parametrize("layout,registers", [("tokens", 0), ("tokens", 4), ("map", 0)])
def test_backbone_any_size(layout, registers):
    bb = models.ViTBackbone(dim=16, depth=1, heads=2, registers=registers, layout=layout).eval()
    for h, w in [(14, 28), (42, 56), (70, 14)]:
        out = bb(torch.zeros(1, 3, h, w))
        if layout == "map":
            assert out.shape == (1, 16, h // 14, w // 14)
        else:
            assert out.shape == (1, 1 + registers + (h // 14) * (w // 14), 16)


def test_segmenter_contract_shapes():
    enc, dec = models.SamEncoder().eval(), models.SamDecoder().eval()
    with torch.no_grad():
        hr0, hr1, emb = enc(torch.zeros(1, 3, 1024, 1024))
        assert hr0.shape == (1, 32, 256, 256) and hr1.shape == (1, 64, 128, 128) and emb.shape == (1, 256, 64, 64)
        m, iou = dec(emb, hr0, hr1, torch.rand(3, 2, 2) * 1024, torch.tensor([[1.0, 0.0]] * 3),
                     torch.zeros(3, 1, 256, 256), torch.zeros(1))
    assert m.shape == (3, 3, 256, 256) and iou.shape == (3, 3)
    assert m.abs().max() <= 32 and (iou >= 0).all() and (iou <= 1).all()


def test_decoder_prompts_are_independent():
    """Batched prompts give the same result as one prompt at a time (AMG relies on it)."""
    enc, dec = models.SamEncoder().eval(), models.SamDecoder().eval()
    with torch.no_grad():
        hr0, hr1, emb = enc(torch.randn(1, 3, 1024, 1024))
        pts = torch.rand(4, 1, 2) * 1024
        mb, ib = dec(emb, hr0, hr1, pts, torch.ones(4, 1), torch.zeros(4, 1, 256, 256), torch.zeros(1))
        m1, i1 = dec(emb, hr0, hr1, pts[2:3], torch.ones(1, 1), torch.zeros(1, 1, 256, 256), torch.zeros(1))
    torch.testing.assert_close(mb[2:3], m1, rtol=1e-4, atol=1e-4)
    torch.testing.assert_close(ib[2:3], i1, rtol=1e-5, atol=1e-6)
