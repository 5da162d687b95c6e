"""DINOv2 ViT (S/B/L/g, with or without registers) with the official checkpoints' key names, and an
ONNX export that takes any input size (multiples of 14).

Module names follow the official state dict (`cls_token`, `pos_embed`, `register_tokens`, `mask_token`,
`patch_embed.proj`, `blocks.i.{norm1, attn.qkv, attn.proj, ls1.gamma, norm2, mlp.fc1|mlp.w12, mlp.fc2|mlp.w3,
ls2.gamma}`, `norm`), so a checkpoint loads with `load_state_dict(strict=True)` after `spec_from_state_dict`
has read the variant from its shapes.

Position embeddings at another grid size h x w follow DINOv2 exactly: the M x M patch table is resized
bicubically (align_corners False, no antialias) with the scale factors ((h + 0.1)/M, (w + 0.1)/M) - the
scale factor, not the size, sets the sampling positions, so the 0.1 matters; the CLS position is added
unchanged; register tokens get none; at h = w = M the table is used as is. The ONNX graph computes the
scales from the input's shape, so one export serves every size.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F

from .models import Attention
from .state_dicts import CheckpointError, check_keys, expected_shapes, require

INTERPOLATE_OFFSET = 0.1
HEAD_DIM = 64  # every official DINOv2 variant uses 64 channels per head
VARIANTS = {(384, 12): "ViT-S/14", (768, 12): "ViT-B/14", (1024, 24): "ViT-L/14", (1536, 40): "ViT-g/14"}


@dataclass
class DinoSpec:
    dim: int
    depth: int
    heads: int
    registers: int
    patch: int
    grid: int  # M: the position table is M x M
    ffn: str  # "mlp" | "swiglu"
    hidden: int  # fc1 width, or the SwiGLU hidden width
    layerscale: bool
    mask_token: bool

    @property
    def variant(self) -> str:
        name = VARIANTS.get((self.dim, self.depth), f"ViT-{self.dim}x{self.depth}/{self.patch}")
        return name + (f" + {self.registers} registers" if self.registers else "")


def spec_from_state_dict(sd: dict) -> DinoSpec:
    """Read the variant from the shapes of a DINOv2 state dict."""
    what = "DINOv2"
    pw = require(sd, "patch_embed.proj.weight", what, 4)
    dim, patch = int(pw.shape[0]), int(pw.shape[2])
    pos = require(sd, "pos_embed", what, 3)
    grid = int(round(math.sqrt(pos.shape[1] - 1)))
    if grid * grid != pos.shape[1] - 1:
        raise CheckpointError(f"{what} checkpoint: key 'pos_embed' has {pos.shape[1] - 1} patch positions, "
                              "not a square grid")
    blocks = {int(k.split(".")[1]) for k in sd if k.startswith("blocks.") and k.split(".")[1].isdigit()}
    if not blocks:
        raise CheckpointError(f"{what} checkpoint: missing key 'blocks.0.norm1.weight' (no transformer blocks found)")
    depth = max(blocks) + 1
    if "blocks.0.mlp.w12.weight" in sd:
        ffn, hidden = "swiglu", int(sd["blocks.0.mlp.w12.weight"].shape[0]) // 2
    else:
        ffn, hidden = "mlp", int(require(sd, "blocks.0.mlp.fc1.weight", what, 2).shape[0])
    registers = int(sd["register_tokens"].shape[1]) if "register_tokens" in sd else 0
    return DinoSpec(dim=dim, depth=depth, heads=max(1, dim // HEAD_DIM), registers=registers, patch=patch,
                    grid=grid, ffn=ffn, hidden=hidden, layerscale="blocks.0.ls1.gamma" in sd,
                    mask_token="mask_token" in sd)


class DinoAttention(Attention):
    """The demo ViT's attention (same `qkv`/`proj` names and math), built on any device."""

    def __init__(self, dim, heads, device=None):
        nn.Module.__init__(self)
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim, device=device)
        self.proj = nn.Linear(dim, dim, device=device)


class PatchEmbed(nn.Module):
    def __init__(self, dim, patch, device=None):
        super().__init__()
        self.proj = nn.Conv2d(3, dim, patch, patch, device=device)


class LayerScale(nn.Module):
    def __init__(self, dim, device=None):
        super().__init__()
        self.gamma = nn.Parameter(torch.ones(dim, device=device))

    def forward(self, x):
        return x * self.gamma


class Mlp(nn.Module):
    def __init__(self, dim, hidden, device=None):
        super().__init__()
        self.fc1 = nn.Linear(dim, hidden, device=device)
        self.fc2 = nn.Linear(hidden, dim, device=device)

    def forward(self, x):
        return self.fc2(F.gelu(self.fc1(x)))


class SwiGLU(nn.Module):
    """ViT-g's feed-forward: w12 gives the gate and the value halves; silu(gate) * value -> w3."""

    def __init__(self, dim, hidden, device=None):
        super().__init__()
        self.w12 = nn.Linear(dim, 2 * hidden, device=device)
        self.w3 = nn.Linear(hidden, dim, device=device)

    def forward(self, x):
        gate, value = self.w12(x).chunk(2, dim=-1)
        return self.w3(F.silu(gate) * value)


class DinoBlock(nn.Module):
    def __init__(self, s: DinoSpec, device=None):
        super().__init__()
        self.norm1 = nn.LayerNorm(s.dim, eps=1e-6, device=device)
        self.attn = DinoAttention(s.dim, s.heads, device)
        self.ls1 = LayerScale(s.dim, device) if s.layerscale else nn.Identity()
        self.norm2 = nn.LayerNorm(s.dim, eps=1e-6, device=device)
        self.mlp = (SwiGLU if s.ffn == "swiglu" else Mlp)(s.dim, s.hidden, device)
        self.ls2 = LayerScale(s.dim, device) if s.layerscale else nn.Identity()

    def forward(self, x):
        x = x + self.ls1(self.attn(self.norm1(x)))
        return x + self.ls2(self.mlp(self.norm2(x)))


class _ResizePositions(torch.autograd.Function):
    """The M x M position table [1, C, M, M] resized to the patch grid of `like` [1, C', h, w].

    Eager: DINOv2's own F.interpolate call. ONNX: Resize(cubic, a = -0.75, half_pixel) with scales
    computed from `like`'s shape (scale 1, the table itself, where h = w = M)."""

    @staticmethod
    def forward(ctx, table, like):
        m = int(table.shape[-1])
        h, w = int(like.shape[-2]), int(like.shape[-1])
        if h == m and w == m:
            return table.clone()
        return F.interpolate(table, scale_factor=((h + INTERPOLATE_OFFSET) / m, (w + INTERPOLATE_OFFSET) / m),
                             mode="bicubic", align_corners=False)

    @staticmethod
    def symbolic(g, table, like):
        m = table.type().sizes()[-1]
        hw = g.op("Slice", g.op("Shape", like), g.op("Constant", value_t=torch.tensor([2])),
                  g.op("Constant", value_t=torch.tensor([4])))
        hw_f = g.op("Cast", hw, to_i=1)  # FLOAT
        offset_scales = g.op("Div", g.op("Add", hw_f, g.op("Constant", value_t=torch.tensor([INTERPOLATE_OFFSET]))),
                             g.op("Constant", value_t=torch.tensor([float(m)])))
        # h = w = M: DINOv2 uses the table as is; a scale of exactly 1 samples it at the grid points
        at_grid = g.op("Cast", g.op("Equal", hw, g.op("Constant", value_t=torch.tensor([m, m]))), to_i=6)  # INT32
        native = g.op("Equal", g.op("ReduceMin", at_grid, keepdims_i=1),
                      g.op("Constant", value_t=torch.tensor([1], dtype=torch.int32)))
        scales_hw = g.op("Where", native, g.op("Constant", value_t=torch.tensor([1.0, 1.0])), offset_scales)
        scales = g.op("Concat", g.op("Constant", value_t=torch.tensor([1.0, 1.0])), scales_hw, axis_i=0)
        roi = g.op("Constant", value_t=torch.tensor([], dtype=torch.float32))
        return g.op("Resize", table, roi, scales, mode_s="cubic", coordinate_transformation_mode_s="half_pixel",
                    cubic_coeff_a_f=-0.75, exclude_outside_i=0)


def resize_positions(table, like):
    return _ResizePositions.apply(table, like)


class DinoV2(nn.Module):
    """DINOv2 ViT. forward(pixel_values [1, 3, H, W]) ->
    tokens [1, 1 + R + h*w, C] (layout "tokens") or patch features [1, C, h, w] (layout "map").

    `reins` (optional) is called after every block on the tokens with the block index (FlowCLAS)."""

    def __init__(self, spec: DinoSpec, layout="tokens", final_norm=True, reins: nn.Module | None = None,
                 device=None):
        super().__init__()
        s = self.spec = spec
        self.layout, self.final_norm = layout, final_norm
        self.cls_token = nn.Parameter(torch.zeros(1, 1, s.dim, device=device))
        self.pos_embed = nn.Parameter(torch.zeros(1, 1 + s.grid * s.grid, s.dim, device=device))
        if s.registers:
            self.register_tokens = nn.Parameter(torch.zeros(1, s.registers, s.dim, device=device))
        if s.mask_token:
            self.mask_token = nn.Parameter(torch.zeros(1, s.dim, device=device))  # training only
        self.patch_embed = PatchEmbed(s.dim, s.patch, device)
        self.blocks = nn.ModuleList([DinoBlock(s, device) for _ in range(s.depth)])
        self.norm = nn.LayerNorm(s.dim, eps=1e-6, device=device)
        self.reins = reins

    @property
    def prefix_tokens(self):
        return 1 + self.spec.registers

    @property
    def dim(self):
        return self.spec.dim

    def position_table(self, fmap):
        """Position embeddings for the patch grid of fmap [1, C, h, w]: (cls [1, 1, C], patches [1, h*w, C])."""
        m, c = self.spec.grid, self.spec.dim
        table = self.pos_embed[:, 1:].reshape(1, m, m, c).permute(0, 3, 1, 2)
        grid = resize_positions(table, fmap)
        return self.pos_embed[:, :1], grid.flatten(2).transpose(1, 2)

    def forward(self, pixel_values):
        f = self.patch_embed.proj(pixel_values)  # [1, C, h, w]
        pos_cls, pos_patch = self.position_table(f)
        x = torch.cat([self.cls_token + pos_cls, f.flatten(2).transpose(1, 2) + pos_patch], dim=1)
        if self.spec.registers:
            x = torch.cat([x[:, :1], self.register_tokens.expand(x.shape[0], -1, -1), x[:, 1:]], dim=1)
        for i, blk in enumerate(self.blocks):
            x = blk(x)
            if self.reins is not None:
                x = self.reins(x, i)
        if self.final_norm:
            x = self.norm(x)
        if self.layout == "map":
            return x[:, self.prefix_tokens:].transpose(1, 2).reshape(f.shape)
        return x


def expected_dinov2_shapes(spec: DinoSpec) -> dict:
    """{key: shape} of the official state dict for this spec (built on the meta device: no memory)."""
    return expected_shapes(DinoV2(spec, device="meta"))


def load_dinov2(sd: dict, layout="tokens", final_norm=True, reins=None) -> DinoV2:
    """A DinoV2 holding the checkpoint's weights; CheckpointError naming the keys that do not fit."""
    spec = spec_from_state_dict(sd)
    check_keys(sd, expected_dinov2_shapes(spec), "DINOv2")
    model = DinoV2(spec, layout=layout, final_norm=final_norm, device="meta").to_empty(device="cpu")
    model.load_state_dict(sd, strict=True)
    model.reins = reins
    return model.eval()
