"""Random-weight checkpoints with the key names and shapes of the published ones (DINOv2 hub files,
Rein checkpoints, FlowCLAS Lightning checkpoints), for the real-size bundle and the converter tests.

Values are drawn so that activations stay in a realistic range through every block (weights scaled
by 1/sqrt(fan-in), LayerScale 0.1, coupling outputs small), not to mean anything."""
from __future__ import annotations

import math

import torch

from .dinov2 import DinoSpec, DinoV2
from .flowclas_flow import FlowCLASFlow
from .reins import REINS_PREFIX, LoRAReins


def dinov2_spec(variant="L", registers=0) -> DinoSpec:
    dim, depth = {"S": (384, 12), "B": (768, 12), "L": (1024, 24), "g": (1536, 40)}[variant]
    ffn, hidden = ("swiglu", 4096) if variant == "g" else ("mlp", 4 * dim)
    return DinoSpec(dim=dim, depth=depth, heads=dim // 64, registers=registers, patch=14, grid=37, ffn=ffn,
                    hidden=hidden, layerscale=True, mask_token=True)


def _fill(name: str, shape, g: torch.Generator) -> torch.Tensor:
    leaf = name.rsplit(".", 1)[-1]
    if leaf == "gamma":
        return torch.full(shape, 0.1)
    if leaf == "weight" and len(shape) >= 2:
        fan_in = math.prod(shape[1:])
        return torch.randn(shape, generator=g) / math.sqrt(fan_in)
    if leaf == "weight":  # LayerNorm / GroupNorm scales
        return 1.0 + 0.1 * torch.randn(shape, generator=g)
    return 0.02 * torch.randn(shape, generator=g)


def dinov2_state_dict(spec: DinoSpec, seed=0) -> dict:
    g = torch.Generator().manual_seed(seed)
    shapes = {k: tuple(v.shape) for k, v in DinoV2(spec, device="meta").state_dict().items()}
    return {k: _fill(k, s, g) for k, s in shapes.items()}


def reins_state_dict(layers=24, dim=1024, tokens=100, rank=16, query_dim=256, seed=1, prefixed=True) -> dict:
    g = torch.Generator().manual_seed(seed)
    meta = LoRAReins(layers, tokens, rank, dim, query_dim, device="meta")
    shapes = {k: tuple(v.shape) for k, v in meta.state_dict().items()}
    sd = {}
    for k, s in shapes.items():
        if k in ("learnable_tokens_a", "learnable_tokens_b"):
            sd[k] = torch.randn(s, generator=g) * 0.3
        elif k == "scale":
            sd[k] = torch.tensor(0.1)
        else:
            sd[k] = _fill(k, s, g)
    return {(REINS_PREFIX + k if prefixed else k): v for k, v in sd.items()}


def flow_state_dict(c=1024, steps=16, seed=2, lightning=True, with_heads=True) -> dict:
    """The flow part of a FlowCLAS checkpoint (`model.` prefix when `lightning`), plus the training-only
    projection head the real checkpoints carry."""
    g = torch.Generator().manual_seed(seed)
    flow = FlowCLASFlow(c, steps, {"hidden": c - c // 2, "kernels": (3, 1, 3), "downsample": False}, device="meta")
    sd = {}
    for k, v in flow.state_dict().items():
        s, leaf = tuple(v.shape), k.rsplit(".", 1)[-1]
        if leaf == "perm":
            sd[k] = torch.randperm(c, generator=g)
            sd[k.replace(".perm", ".perm_inv")] = torch.argsort(sd[k])
        elif leaf == "perm_inv":
            continue
        elif leaf == "is_initialized":
            sd[k] = torch.tensor(True)
        elif leaf == "log_normalizer":
            sd[k] = torch.tensor(-0.5 * c * math.log(2 * math.pi))
        elif leaf in ("loc", "log_scale", "mu"):
            sd[k] = 0.1 * torch.randn(s, generator=g)
        elif "conv_out" in k:
            sd[k] = 0.1 * torch.randn(s, generator=g) / math.sqrt(math.prod(s[1:]))
        else:
            sd[k] = _fill(k, s, g)
    if with_heads:
        sd["proj_heads.0.weight"] = torch.randn(128, c, 1, 1, generator=g) / math.sqrt(c)
        sd["proj_heads.0.bias"] = torch.zeros(128)
    if lightning:
        sd = {"model." + k: v for k, v in sd.items()}
    return sd
