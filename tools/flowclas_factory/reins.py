"""LoRA-Reins (the FlowCLAS backbone's learned refinement of DINOv2 features), with the key names of
the Rein checkpoints (`backbone.reins.*`, prefix stripped).

After block l, on the patch tokens f (the first token, CLS, is split off and put back unchanged):
  T = A_l B_l                       [tokens, C]   (low-rank learnable tokens)
  attn = softmax(f T^T / sqrt(C))   over the tokens
  delta = mlp_delta_f(attn[:, :, 1:] mlp_token2feat(T[1:]) + f)
  f <- f + scale * delta
`transform` and `merge` build the segmentation queries of the reference model: kept so that the
checkpoint loads strictly, unused for features.
"""
from __future__ import annotations

import torch
import torch.nn as nn

from .state_dicts import check_keys, expected_shapes, require

REINS_PREFIX = "backbone.reins."


class LoRAReins(nn.Module):
    def __init__(self, layers, tokens, rank, dim, query_dim, device=None):
        super().__init__()
        self.dim = dim
        self.learnable_tokens_a = nn.Parameter(torch.zeros(layers, tokens, rank, device=device))
        self.learnable_tokens_b = nn.Parameter(torch.zeros(layers, rank, dim, device=device))
        self.scale = nn.Parameter(torch.zeros((), device=device))
        self.mlp_token2feat = nn.Linear(dim, dim, device=device)
        self.mlp_delta_f = nn.Linear(dim, dim, device=device)
        self.transform = nn.Linear(dim, query_dim, device=device)
        self.merge = nn.Linear(3 * query_dim, query_dim, device=device)

    @property
    def layers(self):
        return int(self.learnable_tokens_a.shape[0])

    def forward(self, x, layer: int):
        cls, f = x[:, :1], x[:, 1:]
        tokens = self.learnable_tokens_a[layer] @ self.learnable_tokens_b[layer]  # [T, C]
        attn = torch.softmax((f @ tokens.t()) * (self.dim ** -0.5), dim=-1)  # [B, N, T]
        delta = attn[:, :, 1:] @ self.mlp_token2feat(tokens[1:])
        delta = self.mlp_delta_f(delta + f)
        return torch.cat([cls, f + delta * self.scale], dim=1)


def reins_state_dict(sd: dict) -> dict:
    """The Reins part of a checkpoint: keys under `backbone.reins.` without the prefix when the
    checkpoint has them (a full Rein segmentation checkpoint), else the keys as they are."""
    if any(k.startswith(REINS_PREFIX) for k in sd):
        return {k[len(REINS_PREFIX):]: v for k, v in sd.items() if k.startswith(REINS_PREFIX)}
    return dict(sd)


def load_reins(sd: dict) -> LoRAReins:
    what = "Reins"
    a = require(sd, "learnable_tokens_a", what, 3)
    b = require(sd, "learnable_tokens_b", what, 3)
    q = require(sd, "transform.weight", what, 2)
    layers, tokens, rank = (int(n) for n in a.shape)
    dim = int(b.shape[2])
    query_dim = int(q.shape[0])
    check_keys(sd, expected_shapes(LoRAReins(layers, tokens, rank, dim, query_dim, device="meta")), what)
    m = LoRAReins(layers, tokens, rank, dim, query_dim, device="meta").to_empty(device="cpu")
    m.load_state_dict(sd, strict=True)
    return m.eval()
