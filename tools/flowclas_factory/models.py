"""The three demo models, written so that their ONNX exports follow the bundle contracts.

Shapes at the boundaries:
  ViTBackbone      pixel_values [1, 3, H, W] -> last_hidden_state [1, T + h*w, C]  (or [1, C, h, w], layout "map")
  FlowCLAS         features [1, C, h, w]     -> likelihood [1, 1, h, w]           (q = exp(l))
  SamEncoder       image [1, 3, 1024, 1024]  -> high_res_feats_0 [1, 32, 256, 256], high_res_feats_1 [1, 64, 128, 128],
                                                image_embed [1, 256, 64, 64]
  SamDecoder       (image_embed, high_res_feats_0, high_res_feats_1, point_coords [N, P, 2], point_labels [N, P],
                    mask_input [N, 1, 256, 256], has_mask_input [1]) -> masks [N, 3, 256, 256], iou_predictions [N, 3]
"""
from __future__ import annotations

import math

import torch
import torch.nn as nn
import torch.nn.functional as F

PATCH = 14


# ============================================================================ export-safe norms

class _LayerNormFlat(torch.autograd.Function):
    """LayerNormalization over the last axis of a [B, D] tensor with a dynamic D and no affine.

    The ONNX form builds the all-ones scale from the input's shape, so the graph works for
    any D (a plain export would bake D into a constant)."""

    @staticmethod
    def forward(ctx, x):
        return F.layer_norm(x, x.shape[-1:], eps=1e-5)

    @staticmethod
    def symbolic(g, x):
        d = g.op("Shape", x, start_i=-1)
        ones = g.op("ConstantOfShape", d, value_t=torch.tensor([1.0], dtype=torch.float32))
        return g.op("LayerNormalization", x, ones, axis_i=-1, epsilon_f=1e-5)


class GroupNorm1(nn.Module):
    """GroupNorm with one group (normalises over C, h, w of the whole map) + per-channel affine.

    Exported as reshape -> LayerNormalization over the flattened map -> reshape -> affine
    (the forms known to be right on onnxruntime-web's WebGPU EP)."""

    def __init__(self, channels: int):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(channels))
        self.bias = nn.Parameter(torch.zeros(channels))
        self.export = False

    def forward(self, x):
        if not self.export:
            return F.group_norm(x, 1, self.weight, self.bias, eps=1e-5)
        y = _LayerNormFlat.apply(x.reshape(x.shape[0], -1)).reshape(x.shape)
        return y * self.weight[None, :, None, None] + self.bias[None, :, None, None]


def channel_layer_norm(x, weight, bias, eps=1e-5):
    """LayerNorm over C of [B, C, h, w] as transpose -> LayerNormalization(last axis) -> transpose."""
    y = F.layer_norm(x.permute(0, 2, 3, 1), (int(weight.shape[0]),), weight, bias, eps)
    return y.permute(0, 3, 1, 2)


def set_export_mode(module: nn.Module, on: bool = True):
    for m in module.modules():
        if hasattr(m, "export"):
            m.export = on
    return module


# ============================================================================ backbone

class Attention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x):  # [B, N, C]
        b, n, c = x.shape
        qkv = self.qkv(x).reshape(b, n, 3, self.heads, c // self.heads).permute(2, 0, 3, 1, 4)
        q, k, v = qkv[0], qkv[1], qkv[2]
        a = torch.softmax((q * (c // self.heads) ** -0.5) @ k.transpose(-2, -1), dim=-1)
        return self.proj((a @ v).transpose(1, 2).reshape(b, n, c))


class Block(nn.Module):
    def __init__(self, dim, heads, mlp_ratio=4):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim, eps=1e-6)
        self.attn = Attention(dim, heads)
        self.norm2 = nn.LayerNorm(dim, eps=1e-6)
        self.mlp = nn.Sequential(nn.Linear(dim, dim * mlp_ratio), nn.GELU(), nn.Linear(dim * mlp_ratio, dim))

    def forward(self, x):
        x = x + self.attn(self.norm1(x))
        return x + self.mlp(self.norm2(x))


class ViTBackbone(nn.Module):
    """Small ViT, patch 14, DINOv2 output layout, any input size (multiples of 14).

    Position information comes from depthwise-conv position generators (one on the patch
    map, one after the first block), so no fixed-size position table is needed."""

    def __init__(self, dim=192, depth=4, heads=3, registers=0, layout="tokens"):
        super().__init__()
        self.dim, self.registers, self.layout = dim, registers, layout
        self.patch_embed = nn.Conv2d(3, dim, PATCH, PATCH)
        self.pos0 = nn.Conv2d(dim, dim, 3, padding=1, groups=dim)
        self.pos1 = nn.Conv2d(dim, dim, 3, padding=1, groups=dim)
        self.cls_token = nn.Parameter(torch.randn(1, 1, dim) * 0.02)
        self.reg_tokens = nn.Parameter(torch.randn(1, registers, dim) * 0.02) if registers else None
        self.blocks = nn.ModuleList([Block(dim, heads) for _ in range(depth)])
        self.norm = nn.LayerNorm(dim, eps=1e-6)

    @property
    def prefix_tokens(self):
        return 1 + self.registers

    def forward_tokens(self, pixel_values, embed_hook=None):
        f = self.patch_embed(pixel_values)  # [B, C, h, w]
        if embed_hook is not None:  # training only: e.g. masked-image modelling replaces masked embeddings
            f = embed_hook(f)
        f = f + self.pos0(f)
        t = f.flatten(2).transpose(1, 2)  # [B, h*w, C]
        b = t.shape[0]
        prefix = [self.cls_token.expand(b, -1, -1)]
        if self.reg_tokens is not None:
            prefix.append(self.reg_tokens.expand(b, -1, -1))
        x = torch.cat(prefix + [t], dim=1)
        T = self.prefix_tokens
        for i, blk in enumerate(self.blocks):
            x = blk(x)
            if i == 0:
                m = x[:, T:].transpose(1, 2).reshape(f.shape)
                x = torch.cat([x[:, :T], (m + self.pos1(m)).flatten(2).transpose(1, 2)], dim=1)
        return self.norm(x), f.shape

    def forward(self, pixel_values):
        x, fshape = self.forward_tokens(pixel_values)
        if self.layout == "map":
            return x[:, self.prefix_tokens:].transpose(1, 2).reshape(fshape)
        return x


class SegHead(nn.Module):
    """Training-only heads on patch tokens (not exported): linear segmentation logits over the
    inlier classes, and a linear appearance head that predicts the patch's 2x2-pooled pixels
    (7x7x3 values), which keeps colour and texture in the features."""

    def __init__(self, dim, classes):
        super().__init__()
        self.fc = nn.Linear(dim, classes)
        self.recon = nn.Linear(dim, 3 * 7 * 7)

    def forward(self, tokens, T, h, w):
        p = self.fc(tokens[:, T:])  # [B, hw, K]
        return p.transpose(1, 2).reshape(p.shape[0], -1, h, w)

    def appearance(self, tokens, T, h, w):
        """[B, 3, 7h, 7w] predicted 2x2-pooled image."""
        r = self.recon(tokens[:, T:])  # [B, hw, 147]
        b = r.shape[0]
        return r.reshape(b, h, w, 3, 7, 7).permute(0, 3, 1, 4, 2, 5).reshape(b, 3, 7 * h, 7 * w)


class MimHead(nn.Module):
    """Training-only heads of the self-supervised backbone objective (not exported): a learned mask token
    that replaces masked patch embeddings, a linear pixel decoder (token -> the patch's 14x14x3 normalised
    pixels, SimMIM-style: a linear decoder keeps appearance linearly readable from the features) and a
    linear segmentation head over the inlier classes (the auxiliary term). With `hog_dims` > 0 also a linear
    head to the patch's gradient-orientation histograms (hog_targets), the texture a pixel MSE averages away."""

    def __init__(self, dim, classes, patch=PATCH, hog_dims=0):
        super().__init__()
        self.patch = patch
        self.mask_token = nn.Parameter(torch.zeros(1, dim, 1, 1))
        nn.init.normal_(self.mask_token, std=0.02)
        self.pixels = nn.Linear(dim, 3 * patch * patch)
        self.seg = nn.Linear(dim, classes)
        self.hog = nn.Linear(dim, hog_dims) if hog_dims else None

    def masked_embedding(self, mask):
        """Hook for ViTBackbone.forward_tokens: patch embeddings [B, C, h, w] -> with masked cells replaced.
        mask: [B, h, w] bool (True = masked)."""
        def apply(f):
            m = mask[:, None].to(f.dtype)
            return f * (1 - m) + self.mask_token * m
        return apply

    def predict_pixels(self, tokens, T, h, w):
        """[B, h*w, 3*P*P] predicted patch pixels in the patchified layout of `patchify`."""
        return self.pixels(tokens[:, T:])

    def seg_logits(self, tokens, T, h, w):
        p = self.seg(tokens[:, T:])
        return p.transpose(1, 2).reshape(p.shape[0], -1, h, w)


HOG_BINS = 9
HOG_CELLS = 2  # cells per patch side


def hog_targets(x, patch=PATCH, bins=HOG_BINS, cells=HOG_CELLS):
    """Per patch, histograms of unsigned gradient orientation weighted by gradient magnitude (as HOG, the
    target of MaskFeat), per colour channel, over cells x cells cells of the patch, each cell's histograms
    L2-normalised. [B, 3, H, W] -> [B, (H/P)(W/P), 3 * bins * cells^2], patches row-major."""
    b, c, hh, ww = x.shape
    xp = F.pad(x, (1, 1, 1, 1), mode="replicate")
    gx = xp[:, :, 1:-1, 2:] - xp[:, :, 1:-1, :-2]
    gy = xp[:, :, 2:, 1:-1] - xp[:, :, :-2, 1:-1]
    mag = torch.sqrt(gx * gx + gy * gy)
    ang = torch.remainder(torch.atan2(gy, gx), math.pi)  # [0, pi)
    idx = torch.clamp((ang / math.pi * bins).long(), 0, bins - 1)
    hist = torch.zeros(b, c, bins, hh, ww, dtype=x.dtype).scatter_(2, idx[:, :, None], mag[:, :, None])
    cs = patch // cells
    hist = F.avg_pool2d(hist.reshape(b, c * bins, hh, ww), cs) * (cs * cs)  # sums per cell
    h, w = hh // patch, ww // patch
    hist = hist.reshape(b, c, bins, h, cells, w, cells).permute(0, 3, 5, 1, 4, 6, 2)  # [b, h, w, c, cy, cx, bins]
    hist = hist / (hist.norm(dim=-1, keepdim=True) + 1e-3)
    return hist.reshape(b, h * w, c * cells * cells * bins)


def patchify(x, patch=PATCH):
    """[B, 3, H, W] -> [B, (H/P)(W/P), 3*P*P], patches row-major, each patch (c, py, px) flattened."""
    b, c, hh, ww = x.shape
    h, w = hh // patch, ww // patch
    return x.reshape(b, c, h, patch, w, patch).permute(0, 2, 4, 1, 3, 5).reshape(b, h * w, c * patch * patch)


# ============================================================================ flow

class Subnet(nn.Module):
    """Residual coupling subnet, width C/2: (GN1 -> ReLU -> conv3x3), (GN1 -> ReLU -> conv1x1),
    (GN1 -> ReLU -> conv3x3), + identity, then a zero-initialised 1x1 conv to C channels. No biases."""

    def __init__(self, half):
        super().__init__()
        self.gn1, self.gn2, self.gn3 = GroupNorm1(half), GroupNorm1(half), GroupNorm1(half)
        self.conv1 = nn.Conv2d(half, half, 3, padding=1, bias=False)
        self.conv2 = nn.Conv2d(half, half, 1, bias=False)
        self.conv3 = nn.Conv2d(half, half, 3, padding=1, bias=False)
        self.out = nn.Conv2d(half, 2 * half, 1, bias=False)
        nn.init.zeros_(self.out.weight)

    def forward(self, x):
        h = self.conv1(F.relu(self.gn1(x)))
        h = self.conv2(F.relu(self.gn2(h)))
        h = self.conv3(F.relu(self.gn3(h)))
        return self.out(h + x)


class FlowCLAS(nn.Module):
    """FlowCLAS normalising flow (pipeline.md §3): LayerNorm over C, then `steps` x
    (ActNorm, fixed permutation, one-sided affine coupling with s = 2 tanh), diagonal Gaussian base.

    forward(features [B, C, h, w]) -> q = exp(l) [B, 1, h, w] with
    l = (1/C) sum_c (-u_c^2 / 2 - log sigma_c), u = (z - mu) exp(-log sigma): no 2pi, no log-det."""

    def __init__(self, channels=192, steps=8, seed=0):
        super().__init__()
        assert channels % 2 == 0
        self.C, self.steps = channels, steps
        self.ln_weight = nn.Parameter(torch.ones(channels))
        self.ln_bias = nn.Parameter(torch.zeros(channels))
        self.act_loc = nn.Parameter(torch.zeros(steps, channels))
        self.act_logscale = nn.Parameter(torch.zeros(steps, channels))
        g = torch.Generator().manual_seed(seed)
        self.register_buffer("perm", torch.stack([torch.randperm(channels, generator=g) for _ in range(steps)]))
        self.subnets = nn.ModuleList([Subnet(channels // 2) for _ in range(steps)])
        self.mu = nn.Parameter(torch.zeros(channels))
        self.log_sigma = nn.Parameter(torch.zeros(channels))
        self.register_buffer("initialised", torch.tensor(0))

    def transform(self, x):
        """features -> (z [B, C, h, w], logdet [B, h, w]) ; logdet counts the LayerNorm affine,
        ActNorm and the couplings (the normalisation itself is a fixed preprocessing)."""
        half = self.C // 2
        z = channel_layer_norm(x, self.ln_weight, self.ln_bias)
        logdet = torch.log(self.ln_weight.abs() + 1e-12).sum().expand(z.shape[0], z.shape[2], z.shape[3])
        init = self.training and int(self.initialised) == 0
        for k in range(self.steps):
            if init:  # data-dependent ActNorm init (Glow): unit variance per channel
                with torch.no_grad():
                    m = z.mean(dim=(0, 2, 3))
                    s = z.std(dim=(0, 2, 3)) + 1e-6
                    self.act_loc.data[k] = m
                    self.act_logscale.data[k] = torch.log(s)
            z = (z - self.act_loc[k][None, :, None, None]) * torch.exp(-self.act_logscale[k])[None, :, None, None]
            logdet = logdet - self.act_logscale[k].sum()
            z = z[:, self.perm[k]]
            x1, x2 = z[:, :half], z[:, half:]
            a = self.subnets[k](x1)
            s = 2.0 * torch.tanh(a[:, :half])
            z = torch.cat([x1, x2 * torch.exp(s) + a[:, half:]], dim=1)
            logdet = logdet + s.sum(dim=1)
        if init:
            self.initialised.fill_(1)
        return z, logdet

    def log_likelihood(self, z):
        """Inference l [B, 1, h, w]: per-channel mean over the last axis (NHWC) via MatMul."""
        zt = z.permute(0, 2, 3, 1)  # [B, h, w, C]
        u = (zt - self.mu) * torch.exp(-self.log_sigma)
        per = -0.5 * u * u - self.log_sigma
        mean_vec = torch.full((self.C, 1), 1.0 / self.C, dtype=z.dtype)
        return (per @ mean_vec).permute(0, 3, 1, 2)

    def forward(self, features):
        z, _ = self.transform(features)
        return torch.exp(self.log_likelihood(z))

    def nll_per_dim(self, z, logdet):
        """Training NLL per position, normalised per dimension: -(log N(z; mu, sigma) + logdet) / C,
        with the full Gaussian (2 pi constant included). [B, h, w]"""
        u = (z - self.mu[None, :, None, None]) * torch.exp(-self.log_sigma)[None, :, None, None]
        logp = (-0.5 * u * u - self.log_sigma[None, :, None, None] - 0.5 * math.log(2 * math.pi)).sum(1)
        return -(logp + logdet) / self.C


# ============================================================================ segmenter

def fourier_pe(coords01, gauss):
    """coords in [0, 1] (..., 2) -> (..., 2F) random Fourier features (SAM's PositionEmbeddingRandom)."""
    c = 2.0 * coords01 - 1.0
    c = (c @ gauss) * (2 * math.pi)
    return torch.cat([torch.sin(c), torch.cos(c)], dim=-1)


class DWBlock(nn.Module):
    def __init__(self, ch, dilation):
        super().__init__()
        self.dw = nn.Conv2d(ch, ch, 3, padding=dilation, dilation=dilation, groups=ch)
        self.pw = nn.Conv2d(ch, ch, 1)

    def forward(self, x):
        return x + self.pw(F.relu(self.dw(x)))


class SamEncoder(nn.Module):
    """Cheap encoder with SAM 2's output contract. The 1024 input is area-averaged to 256 first
    (`inner` is what training runs on, from the same 256x256 tensor). The last 3 channels of
    high_res_feats_0 are that pooled, normalised RGB image itself (the decoder's colour term)."""

    def __init__(self, width=64):
        super().__init__()
        self.stem = nn.Conv2d(3, 24, 3, padding=1)
        self.stem2 = nn.Conv2d(24, 24, 3, padding=1, groups=24)
        self.hr0 = nn.Conv2d(24, 29, 1)  # + the pooled RGB input itself: 32 channels
        self.down1 = nn.Conv2d(32, 64, 2, stride=2)
        self.blk1 = DWBlock(64, 1)
        self.hr1 = nn.Conv2d(64, 64, 1)
        self.down2 = nn.Conv2d(64, width, 2, stride=2)
        self.blocks = nn.Sequential(*[DWBlock(width, d) for d in (1, 2, 4, 8, 16, 1)])
        self.embed = nn.Conv2d(width, 256, 1)

    def inner(self, x256):
        x = F.relu(self.stem(x256))
        x = F.relu(x + self.stem2(x))
        hr0 = torch.cat([self.hr0(x), x256], dim=1)
        x = self.blk1(F.relu(self.down1(F.relu(hr0))))
        hr1 = self.hr1(x)
        x = self.blocks(F.relu(self.down2(F.relu(hr1))))
        return hr0, hr1, self.embed(x)

    def forward(self, image):
        return self.inner(F.avg_pool2d(image, 4))


class TokenBlock(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.n1, self.n2, self.n3 = nn.LayerNorm(d), nn.LayerNorm(d), nn.LayerNorm(d)
        self.q_s, self.k_s, self.v_s = nn.Linear(d, d), nn.Linear(d, d), nn.Linear(d, d)
        self.q_c, self.k_c, self.v_c = nn.Linear(d, d), nn.Linear(d, d), nn.Linear(d, d)
        self.mlp = nn.Sequential(nn.Linear(d, 2 * d), nn.ReLU(), nn.Linear(2 * d, d))
        self.scale = d ** -0.5

    def forward(self, t, ctx):  # t [N, L, d]; ctx [K, d] (shared by all prompts)
        h = self.n1(t)
        a = torch.softmax((self.q_s(h) @ self.k_s(h).transpose(1, 2)) * self.scale, dim=-1)
        t = t + a @ self.v_s(h)
        h = self.n2(t)
        a = torch.softmax((self.q_c(h) @ self.k_c(ctx).t()) * self.scale, dim=-1)  # [N, L, K]
        t = t + a @ self.v_c(ctx)
        return t + self.mlp(self.n3(t))


class SamDecoder(nn.Module):
    """Small promptable decoder with SAM 2's decoder I/O contract.

    point_coords are pixels in the 1024 frame; the graph adds the half-pixel shift and
    appends its own padding point (label -1), as SAM's prompt encoder does. The mask
    logit of output i is  (hyper_i + gain_i * U(click)) . U + b_i - g_i * d^2 - k_i * |c - c(click)|^2,
    with U the upscaled image features [32, 256, 256], U(click) the feature under the first point,
    d the distance to that point (a learned locality prior) and c the pooled RGB carried in
    high_res_feats_0 (a colour-similarity prior); b, g, k come from the output token."""

    def __init__(self, d=64, pe_feats=32, seed=0):
        super().__init__()
        self.d = d
        g = torch.Generator().manual_seed(seed + 1)
        self.register_buffer("gauss", torch.randn(2, pe_feats, generator=g))
        self.reduce = nn.Conv2d(256, d, 1)
        self.label_embed = nn.Parameter(torch.randn(5, d) * 0.1)  # labels -1, 0, 1, 2, 3
        self.pe_proj = nn.Linear(2 * pe_feats, d)
        self.out_tokens = nn.Parameter(torch.randn(4, d) * 0.1)  # iou + 3 masks
        self.mask_in = nn.Linear(256, d)
        self.local = nn.Linear(d, d)
        self.blocks = nn.ModuleList([TokenBlock(d), TokenBlock(d)])
        self.up1 = nn.ConvTranspose2d(d, 64, 2, stride=2)
        self.hr1_proj = nn.Conv2d(64, 64, 1)
        self.up2 = nn.ConvTranspose2d(64, 32, 2, stride=2)
        self.hr0_proj = nn.Conv2d(32, 32, 1)
        self.hyper = nn.ModuleList([nn.Sequential(nn.Linear(d, d), nn.ReLU(), nn.Linear(d, 35)) for _ in range(3)])
        with torch.no_grad():
            for hp in self.hyper:
                hp[-1].bias[32] = 4.0  # offset
                hp[-1].bias[34] = 2.5  # colour-distance gain (softplus -> about 10)
        self.iou_head = nn.Sequential(nn.Linear(d, d), nn.ReLU(), nn.Linear(d, 3))
        self.click_gain = nn.Parameter(torch.full((3, 32), 0.1))  # similarity to the clicked feature
        ys = (torch.arange(16, dtype=torch.float32) + 0.5) / 16
        grid16 = torch.stack(torch.meshgrid(ys, ys, indexing="ij")[::-1], -1).reshape(256, 2)  # (x, y)
        self.register_buffer("grid16", grid16)
        ys64 = (torch.arange(64, dtype=torch.float32) + 0.5) / 64
        self.register_buffer("grid64", torch.stack(torch.meshgrid(ys64, ys64, indexing="ij")[::-1], -1).reshape(4096, 2))
        self.register_buffer("axis256", (torch.arange(256, dtype=torch.float32) + 0.5) / 256)

    def forward(self, image_embed, high_res_feats_0, high_res_feats_1, point_coords, point_labels,
                mask_input, has_mask_input):
        d = self.d
        # ---- prompt-independent part
        e = self.reduce(image_embed)  # [1, d, 64, 64]
        e_flat = e.flatten(2)[0].t()  # [4096, d]
        ctx = F.avg_pool2d(e, 4).flatten(2)[0].t() + self.pe_proj(fourier_pe(self.grid16, self.gauss))  # [256, d]
        u = F.relu(self.up1(e) + self.hr1_proj(high_res_feats_1))
        u = self.up2(u) + self.hr0_proj(high_res_feats_0)  # [1, 32, 256, 256]
        u_flat = u.reshape(32, 256 * 256)
        rgb = high_res_feats_0[0, 29:32].reshape(3, 256 * 256)
        rgb_sq = torch.ones(1, 3, dtype=rgb.dtype) @ (rgb * rgb)  # [1, 65536] (MatMul, no channel reduce)
        # ---- prompts: add SAM's padding point
        n = point_coords.shape[0]
        pad_pt = torch.zeros_like(point_coords[:, :1])
        coords = torch.cat([point_coords, pad_pt], dim=1)
        labels = torch.cat([point_labels, -torch.ones_like(point_labels[:, :1])], dim=1)
        c01 = (coords + 0.5) / 1024.0
        is_pad = (labels == -1).to(coords.dtype).unsqueeze(-1)
        tok = self.pe_proj(fourier_pe(c01, self.gauss)) * (1.0 - is_pad)
        for k in range(5):
            tok = tok + (labels == float(k - 1)).to(coords.dtype).unsqueeze(-1) * self.label_embed[k]
        # local feature at the first point (soft bilinear-like lookup on the 64x64 map)
        p0 = c01[:, 0]  # [N, 2]
        dist64 = ((self.grid64[None] - p0[:, None]) ** 2).sum(-1)  # [N, 4096]
        wts = torch.softmax(-dist64 * (64.0 * 64.0 / 0.72), dim=-1)
        local = self.local(wts @ e_flat)  # [N, d]
        mask_tok = self.mask_in(F.avg_pool2d(mask_input, 16).reshape(n, 256)) * has_mask_input
        out = self.out_tokens[None].expand(n, -1, -1) + (local + mask_tok)[:, None]
        t = torch.cat([out, tok], dim=1)
        for blk in self.blocks:
            t = blk(t, ctx)
        # ---- masks
        # the upscaled feature under the first point (nearest cell of the 256 grid)
        cell = torch.clamp(torch.floor(p0 * 256.0), 0.0, 255.0)
        flat_idx = (cell[:, 1] * 256.0 + cell[:, 0]).long()
        u_click = u_flat.index_select(1, flat_idx).t()  # [N, 32]
        rgb_click = rgb.index_select(1, flat_idx).t()  # [N, 3]
        # squared colour distance to the clicked pixel [N, 256, 256]
        col_dist = (rgb_sq - 2.0 * (rgb_click @ rgb) + (rgb_click * rgb_click) @ torch.ones(3, 1)).reshape(n, 256, 256)
        dx = (self.axis256[None, :] - p0[:, 0:1])  # [N, 256] along x
        dy = (self.axis256[None, :] - p0[:, 1:2])  # [N, 256] along y
        dist = (dy * dy)[:, :, None] + (dx * dx)[:, None, :]  # [N, 256, 256]
        masks = []
        for i in range(3):
            hp = self.hyper[i](t[:, 1 + i])  # [N, 34]
            base = ((hp[:, :32] + self.click_gain[i] * u_click) @ u_flat).reshape(n, 256, 256)
            masks.append(base + hp[:, 32:33, None] - F.softplus(hp[:, 33:34, None]) * 20.0 * dist
                         - F.softplus(hp[:, 34:35, None]) * col_dist)
        masks = torch.clamp(torch.stack(masks, dim=1), -32.0, 32.0)
        iou = torch.sigmoid(self.iou_head(t[:, 0]))
        return masks, iou
