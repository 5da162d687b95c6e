"""The FlowCLAS flow in the layout of the reference checkpoints, for conversion.

Keys (Lightning prefix `model.`; plain state dicts without it):
  norms.0.{weight,bias}                                   LayerNorm(C) over channels, eps 1e-5
  flow_blocks.0.module_list.{3k}.{loc,log_scale,is_initialized}    ActNorm [1, C, 1, 1]
  flow_blocks.0.module_list.{3k+1}.{perm,perm_inv}                 fixed permutation, int64 [C]
  flow_blocks.0.module_list.{3k+2}.subnet.{gn1,conv1,gn2,conv2,gn3,conv3,conv_out}.*   coupling subnet
  base_dists.0.{mu,log_scale,log_normalizer}              diagonal Gaussian
Training-only heads (`proj_heads`, `seg_heads`) are ignored. Step count, C and the subnet's kernel
sizes and width are read from the shapes; the permutation is read, never regenerated.

forward(features [1, C, h, w]) -> q = exp(l) [1, 1, h, w],
l = mean over channels of (-1/2 ((z - mu) exp(-log_scale))^2 - log_scale)  (no log-det, no 2 pi).
"""
from __future__ import annotations

import torch
import torch.nn as nn
import torch.nn.functional as F

from .models import GroupNorm1, channel_layer_norm
from .state_dicts import CheckpointError, check_keys, expected_shapes, require

LIGHTNING_PREFIX = "model."
IGNORED_PREFIXES = ("proj_heads.", "seg_heads.", "feature_extractor.")
STEPS_PREFIX = "flow_blocks.0.module_list."


class ActNorm(nn.Module):
    def __init__(self, c, device=None):
        super().__init__()
        self.loc = nn.Parameter(torch.zeros(1, c, 1, 1, device=device))
        self.log_scale = nn.Parameter(torch.zeros(1, c, 1, 1, device=device))
        self.register_buffer("is_initialized", torch.zeros((), dtype=torch.bool, device=device))

    def forward(self, x):
        return (x - self.loc) * torch.exp(-self.log_scale)


class Permute(nn.Module):
    def __init__(self, c, device=None):
        super().__init__()
        self.register_buffer("perm", torch.zeros(c, dtype=torch.long, device=device))
        self.register_buffer("perm_inv", torch.zeros(c, dtype=torch.long, device=device))

    def forward(self, x):
        return x[:, self.perm]


class ResidualSubnet(nn.Module):
    """(GN1 -> ReLU -> conv) x 3, + identity skip (or a GN-ReLU-1x1 projection when the hidden width
    differs), then conv_out to 2 * (C/2) channels. No conv biases."""

    def __init__(self, cin, hidden, cout, kernels=(3, 1, 3), downsample=False, device=None):
        super().__init__()
        k1, k2, k3 = kernels
        self.gn1 = GroupNorm1(cin)
        self.conv1 = nn.Conv2d(cin, cin, k1, padding=k1 // 2, bias=False, device=device)
        self.gn2 = GroupNorm1(cin)
        self.conv2 = nn.Conv2d(cin, hidden, k2, padding=k2 // 2, bias=False, device=device)
        self.gn3 = GroupNorm1(hidden)
        self.conv3 = nn.Conv2d(hidden, hidden, k3, padding=k3 // 2, bias=False, device=device)
        self.downsample = (nn.Sequential(GroupNorm1(cin), nn.ReLU(), nn.Conv2d(cin, hidden, 1, bias=False, device=device))
                           if downsample else None)
        self.conv_out = nn.Conv2d(hidden, cout, 1, bias=False, device=device)
        if device is not None:
            self.to(device)

    def forward(self, x):
        h = self.conv1(F.relu(self.gn1(x)))
        h = self.conv2(F.relu(self.gn2(h)))
        h = self.conv3(F.relu(self.gn3(h)))
        return self.conv_out(h + (x if self.downsample is None else self.downsample(x)))


class Coupling(nn.Module):
    """One-sided affine coupling: x2 <- x2 exp(2 tanh(a[:, :C2])) + a[:, C2:], a = subnet(x1)."""

    def __init__(self, c, subnet: ResidualSubnet, clamp=2.0):
        super().__init__()
        self.c1, self.c2, self.clamp = c - c // 2, c // 2, clamp
        self.subnet = subnet

    def forward(self, x):
        x1, x2 = x[:, :self.c1], x[:, self.c1:]
        a = self.subnet(x1)
        s = self.clamp * torch.tanh(a[:, :self.c2])
        return torch.cat([x1, x2 * torch.exp(s) + a[:, self.c2:]], dim=1)


class SequenceFlow(nn.Module):
    def __init__(self, modules):
        super().__init__()
        self.module_list = nn.ModuleList(modules)

    def forward(self, x):
        for m in self.module_list:
            x = m(x)
        return x


class DiagonalGaussian(nn.Module):
    def __init__(self, c, device=None):
        super().__init__()
        self.mu = nn.Parameter(torch.zeros(c, device=device))
        self.log_scale = nn.Parameter(torch.zeros(c, device=device))
        self.register_buffer("log_normalizer", torch.zeros((), device=device))

    def log_likelihood(self, z):
        """[1, 1, h, w]; the channel mean as a MatMul over the last axis (NHWC), like the demo flow."""
        c = self.mu.shape[0]
        u = (z.permute(0, 2, 3, 1) - self.mu) * torch.exp(-self.log_scale)
        per = -0.5 * u * u - self.log_scale
        mean_vec = torch.full((c, 1), 1.0 / c, dtype=z.dtype)
        return (per @ mean_vec).permute(0, 3, 1, 2)


class FlowCLASFlow(nn.Module):
    def __init__(self, c, steps, subnet_cfg: dict, device=None):
        super().__init__()
        self.C, self.steps = c, steps
        self.norms = nn.ModuleList([nn.LayerNorm(c, device=device)])
        mods = []
        for _ in range(steps):
            mods += [ActNorm(c, device), Permute(c, device),
                     Coupling(c, ResidualSubnet(c - c // 2, cout=2 * (c // 2), device=device, **subnet_cfg))]
        self.flow_blocks = nn.ModuleList([SequenceFlow(mods)])
        self.base_dists = nn.ModuleList([DiagonalGaussian(c, device)])

    def forward(self, features):
        ln = self.norms[0]
        z = self.flow_blocks[0](channel_layer_norm(features, ln.weight, ln.bias, ln.eps))
        return torch.exp(self.base_dists[0].log_likelihood(z))


def flow_state_dict(sd: dict) -> tuple[dict, list]:
    """The flow's keys without the Lightning prefix, and the training-only keys that were dropped."""
    if any(k.startswith(LIGHTNING_PREFIX) for k in sd):
        sd = {k[len(LIGHTNING_PREFIX):]: v for k, v in sd.items() if k.startswith(LIGHTNING_PREFIX)}
    ignored = sorted(k for k in sd if k.startswith(IGNORED_PREFIXES))
    return {k: v for k, v in sd.items() if not k.startswith(IGNORED_PREFIXES)}, ignored


def flow_config_from_state_dict(sd: dict) -> tuple[int, int, dict]:
    """(C, steps, subnet config) from the shapes."""
    what = "FlowCLAS flow"
    if any(k.startswith("norms.1.") or k.startswith("flow_blocks.1.") for k in sd):
        raise CheckpointError(f"{what} checkpoint: key 'norms.1' / 'flow_blocks.1': flows on several feature "
                              "scales are not supported (one backbone output, one flow)")
    c = int(require(sd, "norms.0.weight", what, 1).shape[0])
    idx = {int(k[len(STEPS_PREFIX):].split(".")[0]) for k in sd if k.startswith(STEPS_PREFIX)}
    if not idx:
        raise CheckpointError(f"{what} checkpoint: missing key '{STEPS_PREFIX}0.loc' (no flow steps found)")
    steps = (max(idx) + 1 + 2) // 3
    sub = STEPS_PREFIX + "2.subnet."
    w1 = require(sd, sub + "conv1.weight", what, 4)
    w2 = require(sd, sub + "conv2.weight", what, 4)
    w3 = require(sd, sub + "conv3.weight", what, 4)
    cfg = {"hidden": int(w2.shape[0]), "kernels": (int(w1.shape[-1]), int(w2.shape[-1]), int(w3.shape[-1])),
           "downsample": (sub + "downsample.2.weight") in sd}
    return c, steps, cfg


def load_flow(sd: dict) -> tuple[FlowCLASFlow, list]:
    """(flow holding the checkpoint's weights, ignored training-only keys); CheckpointError naming keys."""
    sd, ignored = flow_state_dict(sd)
    c, steps, cfg = flow_config_from_state_dict(sd)
    check_keys(sd, expected_shapes(FlowCLASFlow(c, steps, cfg, device="meta")), "FlowCLAS flow")
    for k in range(steps):
        perm = sd[f"{STEPS_PREFIX}{3 * k + 1}.perm"]
        if not torch.equal(torch.sort(perm).values, torch.arange(c)):
            raise CheckpointError(f"FlowCLAS flow checkpoint: key '{STEPS_PREFIX}{3 * k + 1}.perm' is not a "
                                  f"permutation of 0..{c - 1}")
    flow = FlowCLASFlow(c, steps, cfg, device="meta").to_empty(device="cpu")
    flow.load_state_dict(sd, strict=True)
    return flow.eval(), ignored
