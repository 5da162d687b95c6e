"""Training of the three demo models on the road world (CPU, deterministic seeds)."""
from __future__ import annotations

import math
import time

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

from . import reference as ref
from . import world
from .models import FlowCLAS, SamDecoder, SamEncoder, SegHead, ViTBackbone

MEAN = torch.tensor(ref.IMAGENET_MEAN)[:, None, None]
STD = torch.tensor(ref.IMAGENET_STD)[:, None, None]


def normalise(img: np.ndarray) -> torch.Tensor:
    return (torch.from_numpy(np.array(img)).permute(2, 0, 1).float() / 255.0 - MEAN) / STD


def one_cycle(opt, total, max_lr, pct=0.15):
    return torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=max_lr, total_steps=max(2, total), pct_start=pct,
                                               anneal_strategy="cos", div_factor=20, final_div_factor=100)


def param_groups(model, wd, no_decay_all=False):
    """Weight decay 0 on norm parameters, biases and (for the flow) everything."""
    dec, nodec = [], []
    for n, p in model.named_parameters():
        if no_decay_all or p.ndim <= 1 or "norm" in n or "gn" in n or "token" in n:
            nodec.append(p)
        else:
            dec.append(p)
    return [{"params": dec, "weight_decay": wd}, {"params": nodec, "weight_decay": 0.0}]


class Log:
    def __init__(self, fn=print):
        self.fn = fn

    def __call__(self, *a):
        self.fn(" ".join(str(x) for x in a))


# ============================================================================ datasets

def scene_dataset(seed: int, count: int, anomalies: str = "none", sizes=None):
    sizes = sizes or list(world.SIZES.values())
    out = []
    for i in range(count):
        size = sizes[i % len(sizes)]
        s = world.render_scene(int(world.rng_for(seed, 21, i).integers(0, 2**31)), size, anomalies=anomalies)
        out.append(s)
    return out


def oe_dataset(seed: int, count: int, sizes=None):
    sizes = sizes or list(world.SIZES.values())
    return [world.render_oe_pair(int(world.rng_for(seed, 31, i).integers(0, 2**31)), sizes[i % len(sizes)])
            for i in range(count)]


def by_size(items, key):
    groups = {}
    for i, it in enumerate(items):
        groups.setdefault(key(it).shape[:2], []).append(i)
    return groups


# ============================================================================ backbone

def train_backbone(model: ViTBackbone, scenes, steps: int, batch: int, lr: float, seed: int, log=print):
    head = SegHead(model.dim, world.NUM_CLASSES)
    g = torch.Generator().manual_seed(seed)
    rng = np.random.default_rng(seed)
    groups = list(by_size(scenes, lambda s: s["image"]).values())
    params = param_groups(model, 0.05) + [{"params": head.parameters(), "weight_decay": 0.0}]
    opt = torch.optim.AdamW(params, lr=lr)
    sched = one_cycle(opt, steps, lr)
    model.train()
    t0 = time.time()
    for step in range(steps):
        idx = groups[step % len(groups)]
        pick = rng.choice(idx, size=min(batch, len(idx)), replace=False)
        flip = torch.rand(len(pick), generator=g) < 0.5
        x = torch.stack([normalise(scenes[i]["image"]) for i in pick])
        y = torch.stack([torch.from_numpy(scenes[i]["labels"].astype(np.int64)) for i in pick])
        x = torch.where(flip[:, None, None, None], x.flip(-1), x)
        y = torch.where(flip[:, None, None], y.flip(-1), y)
        tok = model.forward_tokens(x)[0]
        h, w = x.shape[2] // 14, x.shape[3] // 14
        logits = head(tok, model.prefix_tokens, h, w)
        logits = F.interpolate(logits, size=x.shape[2:], mode="bilinear", align_corners=False)
        loss_seg = F.cross_entropy(logits, y, ignore_index=world.ANOMALY_CLASS)
        loss_app = F.mse_loss(head.appearance(tok, model.prefix_tokens, h, w), F.avg_pool2d(x, 2))
        loss = loss_seg + loss_app
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        sched.step()
        if step % 50 == 0 or step == steps - 1:
            acc = (logits.argmax(1) == y).float().mean().item()
            log(f"backbone step {step}/{steps} seg {loss_seg.item():.4f} appearance {loss_app.item():.4f} "
                f"pixel-acc {acc:.3f} ({time.time() - t0:.0f}s)")
    model.eval()
    return {"seconds": time.time() - t0, "final_loss": float(loss.item())}


@torch.no_grad()
def features_of(model: ViTBackbone, img: np.ndarray) -> torch.Tensor:
    """[1, C, h, w] features for an image whose sides are multiples of 14."""
    out = model(normalise(img)[None])
    h, w = img.shape[0] // 14, img.shape[1] // 14
    return ref.to_feature_map(out, model.layout, model.prefix_tokens if model.layout == "tokens" else 0, (h, w))


def patch_labels(pasted: np.ndarray) -> np.ndarray:
    """Grid labels from a pixel mask: 1 if > 50 % of the patch is pasted object, 0 if none, 255 otherwise."""
    h, w = pasted.shape[0] // 14, pasted.shape[1] // 14
    frac = pasted.reshape(h, 14, w, 14).mean((1, 3))
    lab = np.full((h, w), 255, np.uint8)
    lab[frac == 0] = 0
    lab[frac > 0.5] = 1
    return lab


# ============================================================================ flow

def info_nce(anchor_e, anchor_y, contrast_e, contrast_y, tau: float, anchor_in_contrast: bool = True):
    """Supervised InfoNCE: each (anchor, positive) pair is scored against the anchor's negatives only
    (other positives are not in the denominator). Embeddings L2-normalised. The first len(anchor) rows of
    the contrast set are the anchors themselves (self-pairs excluded)."""
    sim = anchor_e @ contrast_e.t() / tau  # [A, K]
    pos = anchor_y[:, None] == contrast_y[None, :]
    if anchor_in_contrast:
        eye = torch.zeros_like(pos)
        eye[:, : anchor_e.shape[0]] = torch.eye(anchor_e.shape[0], dtype=torch.bool)
        pos = pos & ~eye
    neg = anchor_y[:, None] != contrast_y[None, :]
    neg_lse = torch.logsumexp(sim.masked_fill(~neg, float("-inf")), dim=1, keepdim=True)  # [A, 1]
    pair = -sim + torch.logaddexp(sim, neg_lse.expand_as(sim))
    valid = pos & torch.isfinite(neg_lse)
    if not valid.any():
        return sim.sum() * 0.0
    return pair[valid].mean()


def train_flow(flow: FlowCLAS, data, steps: int, batch: int, lr: float, seed: int, infonce: bool,
               tau: float = 0.13, alpha: float = 1.0, max_anchors: int = 512, log=print):
    """data: list of dicts with feats_mixed [1, C, h, w], lab_mixed [h, w], feats_view2, lab_view2.
    Loss = alpha * NLL (per-dimension mean over inlier positions) + InfoNCE (if enabled)."""
    proj = torch.nn.Conv2d(flow.C, 128, 1)
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    groups = list(by_size(data, lambda d: d["lab_mixed"]).values())
    opt = torch.optim.AdamW([{"params": flow.parameters(), "weight_decay": 0.0},
                             {"params": proj.parameters(), "weight_decay": 1e-4}], lr=lr)
    sched = one_cycle(opt, steps, lr)
    flow.train()
    t0 = time.time()
    for step in range(steps):
        idx = groups[step % len(groups)]
        pick = rng.choice(idx, size=min(batch, len(idx)), replace=False)
        fm = torch.cat([data[i]["feats_mixed"] for i in pick])
        fv = torch.cat([data[i]["feats_view2"] for i in pick])
        lm = torch.from_numpy(np.stack([data[i]["lab_mixed"] for i in pick]).astype(np.int64))
        lv = torch.from_numpy(np.stack([data[i]["lab_view2"] for i in pick]).astype(np.int64))
        z, logdet = flow.transform(torch.cat([fm, fv]))
        nll = flow.nll_per_dim(z, logdet)
        lab = torch.cat([lm, lv])
        loss_nll = nll[lab == 0].mean()
        loss = alpha * loss_nll
        loss_c = torch.zeros(())
        if infonce:
            e = F.normalize(proj(z), dim=1)  # [2B, 128, h, w]
            b = len(pick)
            em = e[:b].permute(0, 2, 3, 1).reshape(-1, 128)
            ev = e[b:].permute(0, 2, 3, 1).reshape(-1, 128)
            ym, yv = lm.reshape(-1), lv.reshape(-1)

            def take(y, cls):
                ids = torch.nonzero(y == cls).flatten()
                if len(ids) > max_anchors:
                    ids = ids[torch.from_numpy(rng.permutation(len(ids))[:max_anchors])]
                return ids

            a_out, a_in = take(ym, 1), take(ym, 0)
            v_out, v_in = take(yv, 1), take(yv, 0)
            anchors = torch.cat([em[a_out], em[a_in]])
            ay = torch.cat([torch.ones(len(a_out)), torch.zeros(len(a_in))]).long()
            contrast = torch.cat([anchors, ev[v_out], ev[v_in]])
            cy = torch.cat([ay, torch.ones(len(v_out)).long(), torch.zeros(len(v_in)).long()])
            if len(a_out) and len(a_in):
                loss_c = info_nce(anchors, ay, contrast, cy, tau)
                loss = loss + loss_c
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(list(flow.parameters()) + list(proj.parameters()), 5.0)
        opt.step()
        sched.step()
        if step % 25 == 0 or step == steps - 1:
            log(f"flow({'nll+infonce' if infonce else 'nll'}) step {step}/{steps} nll {loss_nll.item():.4f} "
                f"infonce {loss_c.item():.4f} ({time.time() - t0:.0f}s)")
    flow.eval()
    return {"seconds": time.time() - t0, "final_nll": float(loss_nll.item()), "final_infonce": float(loss_c.item())}


# ============================================================================ segmenter

def seg_input256(img: np.ndarray) -> torch.Tensor:
    """The encoder's 256x256 view of an image: the contract's stretch to 1024 (resize rule), normalised,
    then the encoder's own 4x4 average pool."""
    x = ref.resize2d(torch.from_numpy(img.astype(np.float32)).permute(2, 0, 1), (1024, 1024))
    x = (x / 255.0 - MEAN) / STD
    return F.avg_pool2d(x[None], 4)[0]


def inst256(inst: np.ndarray) -> np.ndarray:
    return np.asarray(Image.fromarray(inst.astype(np.int32), mode="I").resize((256, 256), Image.NEAREST))


def sample_prompts(ins: np.ndarray, k: int, rng):
    """k prompts on a 256x256 instance map: half uniform over pixels, half instance-balanced.
    Returns coords in the 1024 frame [k, 2] (x, y) and target masks [k, 256, 256] bool."""
    ids = np.unique(ins)
    coords, targets = [], []
    for j in range(k):
        if j % 2 == 0:
            y, x = rng.integers(0, 256, 2)
        else:
            ys, xs = np.nonzero(ins == ids[rng.integers(0, len(ids))])
            t = rng.integers(0, len(ys))
            y, x = ys[t], xs[t]
        coords.append(((x + rng.uniform(0.1, 0.9)) * 4.0, (y + rng.uniform(0.1, 0.9)) * 4.0))
        targets.append(ins == ins[y, x])
    return np.array(coords, np.float32), np.stack(targets)


def mask_loss(logits, target):
    """logits [K, 3, S, S], target [K, S, S] -> per (prompt, output) loss [K, 3]: BCE + dice."""
    t = target[:, None].float().expand_as(logits)
    bce = F.binary_cross_entropy_with_logits(logits, t, reduction="none").mean((2, 3))
    p = torch.sigmoid(logits)
    dice = 1 - (2 * (p * t).sum((2, 3)) + 1) / (p.sum((2, 3)) + t.sum((2, 3)) + 1)
    return bce + dice


def train_segmenter(enc: SamEncoder, dec: SamDecoder, items, steps: int, batch: int, prompts: int, lr: float,
                    seed: int, log=print):
    """items: list of (x256 [3, 256, 256], inst256 [256, 256])."""
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    params = param_groups(enc, 1e-4) + param_groups(dec, 1e-4)
    opt = torch.optim.AdamW(params, lr=lr)
    sched = one_cycle(opt, steps, lr)
    enc.train()
    dec.train()
    t0 = time.time()
    for step in range(steps):
        pick = rng.choice(len(items), size=min(batch, len(items)), replace=False)
        x = torch.stack([items[i][0] for i in pick])
        hr0, hr1, emb = enc.inner(x)
        loss_m, loss_i, mious = 0.0, 0.0, []
        for b, i in enumerate(pick):
            coords, targets = sample_prompts(items[i][1], prompts, rng)
            tg = torch.from_numpy(targets)
            n = len(coords)
            masks, iou = dec(emb[b:b + 1], hr0[b:b + 1], hr1[b:b + 1], torch.from_numpy(coords)[:, None],
                             torch.ones(n, 1), torch.zeros(n, 1, 256, 256), torch.zeros(1))
            per = mask_loss(masks, tg)  # [K, 3]
            loss_m = loss_m + per.min(1).values.mean()
            with torch.no_grad():
                pm = masks > 0
                inter = (pm & tg[:, None]).sum((2, 3)).float()
                union = (pm | tg[:, None]).sum((2, 3)).float()
                actual = inter / union.clamp(min=1)
            loss_i = loss_i + F.mse_loss(iou, actual)
            mious.append(actual.max(1).values.mean().item())
        loss = (loss_m + loss_i) / len(pick)
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(list(enc.parameters()) + list(dec.parameters()), 1.0)
        opt.step()
        sched.step()
        if step % 25 == 0 or step == steps - 1:
            log(f"segmenter step {step}/{steps} loss {loss.item():.4f} best-mask IoU {np.mean(mious):.3f} "
                f"({time.time() - t0:.0f}s)")
    enc.eval()
    dec.eval()
    return {"seconds": time.time() - t0, "final_loss": float(loss.item())}
