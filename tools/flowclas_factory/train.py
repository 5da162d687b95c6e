"""Training of the three demo models on the road world (CPU, deterministic seeds)."""
from __future__ import annotations

import math
import os
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

from . import reference as ref
from . import world
from .models import FlowCLAS, MimHead, SamDecoder, SamEncoder, SegHead, ViTBackbone, hog_targets, patchify

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


# ============================================================================ resumable stages

def load_checkpoint(path):
    """torch.load of the factory's own checkpoint files (modules, optimiser and random-generator states):
    trusted pickles, so torch >= 2.6's weights-only default is turned off."""
    return torch.load(path, weights_only=False)


class StageCheckpoint:
    """The progress of one training stage in one file, so a long build can stop anywhere and continue.

    `sig` is the configuration the progress depends on; a file with another sig is ignored. The file is
    written atomically (temporary file, then rename) at most every `every_s` seconds and when asked."""

    def __init__(self, path, sig: str, every_s: float = 300.0, log=print):
        self.path, self.sig, self.every_s, self.log = Path(path), sig, every_s, log
        self.last = time.time()

    def load(self):
        if not self.path.exists():
            return None
        state = load_checkpoint(self.path)
        if state.get("sig") != self.sig:
            self.log(f"{self.path.name}: configuration changed, starting this stage over")
            return None
        return state

    def due(self) -> bool:
        return time.time() - self.last >= self.every_s

    def save(self, state: dict):
        tmp = self.path.with_suffix(".tmp")
        torch.save({**state, "sig": self.sig}, tmp)
        os.replace(tmp, self.path)
        self.last = time.time()


def _rng_state(rng):
    return {"np": rng.bit_generator.state, "torch": torch.get_rng_state()}


def _set_rng_state(rng, st):
    rng.bit_generator.state = st["np"]
    torch.set_rng_state(st["torch"])


def wsd_lr(step: int, total: int, base: float, warmup: int, decay_frac: float = 0.2) -> float:
    """Warmup-stable-decay: linear warmup, constant, then linear decay to 1 % over the last `decay_frac`.
    A pure function of the step, so a resumed run continues the schedule exactly, and checkpoints of the
    stable phase stay usable if the total is extended."""
    if step < warmup:
        return base * (step + 1) / warmup
    d0 = int(total * (1 - decay_frac))
    if step < d0:
        return base
    return base * max(0.01, 1 - (step - d0) / max(1, total - d0))


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


def block_mask(rng, h: int, w: int, ratio: float) -> np.ndarray:
    """Blockwise mask of about `ratio` of an h x w patch grid (rectangles of random area and aspect, as in
    BEiT), so masked patches must be predicted from context rather than copied from a neighbour."""
    m = np.zeros((h, w), bool)
    target = int(round(ratio * h * w))
    while m.sum() < target:
        area = rng.uniform(4, max(5.0, 0.3 * target))
        aspect = math.exp(rng.uniform(math.log(0.3), math.log(3.3)))
        bh = int(min(h, max(1, round(math.sqrt(area * aspect)))))
        bw = int(min(w, max(1, round(math.sqrt(area / aspect)))))
        t, l = int(rng.integers(0, h - bh + 1)), int(rng.integers(0, w - bw + 1))
        m[t:t + bh, l:l + bw] = True
    return m


def pretraining_batch(seed: int, step: int, batch: int, varied_share: float):
    """The images of one pretraining step, a pure function of (seed, step): one size per step (cycling),
    `varied_share` of them from the varied pretraining world, the rest clean road scenes, random flips."""
    sizes = list(world.SIZES.values())
    size = sizes[step % len(sizes)]
    xs, ys = [], []
    for j in range(batch):
        r = world.rng_for(seed, 41, step, j)
        sd = int(r.integers(0, 2**31))
        s = world.render_varied_scene(sd, size) if r.random() < varied_share else world.render_scene(sd, size, "none")
        x, y = normalise(s["image"]), torch.from_numpy(s["labels"].astype(np.int64))
        if r.random() < 0.5:
            x, y = x.flip(-1), y.flip(-1)
        xs.append(x)
        ys.append(y)
    return torch.stack(xs), torch.stack(ys)


def train_backbone_ssl(model: ViTBackbone, steps: int, batch: int, lr: float, seed: int, mask_ratio: float = 0.4,
                       visible_weight: float = 0.5, seg_weight: float = 0.5, varied_share: float = 0.75,
                       hog_weight: float = 0.0, ckpt: StageCheckpoint | None = None, diagnose=None,
                       diag_every: int = 0, log=print):
    """Self-supervised backbone training: masked-image modelling (blockwise masks, a linear decoder to the
    patch's pixels; loss on masked patches + `visible_weight` x on visible ones, which keeps each token's own
    appearance; with `hog_weight` also the patch's gradient-orientation histograms, MaskFeat's target, which
    keeps texture that a pixel MSE averages away) with the inlier segmentation as an auxiliary term (clutter
    pixels ignored). Data are drawn on
    the fly (pretraining_batch). `diagnose(model, step)` -> dict runs every `diag_every` steps and at the end;
    its results are kept in the checkpoint. Returns {"seconds", "diagnostics", ...}."""
    head = MimHead(model.dim, world.NUM_CLASSES, hog_dims=hog_targets(torch.zeros(1, 3, 14, 14)).shape[-1]
                   if hog_weight else 0)
    params = param_groups(model, 0.05) + [{"params": head.parameters(), "weight_decay": 0.0}]
    opt = torch.optim.AdamW(params, lr=lr, betas=(0.9, 0.98))
    rng = np.random.default_rng(seed)
    torch.manual_seed(seed)
    start, elapsed, diags = 0, 0.0, []
    st = ckpt.load() if ckpt else None
    if st is not None:
        model.load_state_dict(st["model"])
        head.load_state_dict(st["head"])
        opt.load_state_dict(st["opt"])
        _set_rng_state(rng, st["rng"])
        start, elapsed, diags = st["step"], st["seconds"], st["diagnostics"]
        log(f"backbone: resumed at step {start}/{steps} ({elapsed:.0f}s of training so far)")
    warmup = max(1, min(500, steps // 10))

    def state(step):
        return {"model": model.state_dict(), "head": head.state_dict(), "opt": opt.state_dict(),
                "rng": _rng_state(rng), "step": step, "seconds": elapsed + time.time() - t0, "diagnostics": diags}

    def run_diag(step):
        if diagnose is None:
            return
        model.eval()
        d = {"step": step, **diagnose(model, step)}
        model.train()
        diags.append(d)
        log(f"backbone diagnostic at step {step}: " + " ".join(f"{k} {v:.4f}" if isinstance(v, float) else f"{k} {v}"
                                                           for k, v in d.items() if k != "step"))

    t0 = time.time()
    if start == 0 and diag_every:
        run_diag(0)
    model.train()
    for step in range(start, steps):
        for g in opt.param_groups:
            g["lr"] = wsd_lr(step, steps, lr, warmup)
        x, y = pretraining_batch(seed, step, batch, varied_share)
        h, w = x.shape[2] // 14, x.shape[3] // 14
        mask = torch.from_numpy(np.stack([block_mask(rng, h, w, mask_ratio) for _ in range(len(x))]))
        tok = model.forward_tokens(x, embed_hook=head.masked_embedding(mask))[0]
        T = model.prefix_tokens
        per = ((head.predict_pixels(tok, T, h, w) - patchify(x)) ** 2).mean(-1)  # [B, h*w]
        mf = mask.reshape(len(x), -1)
        loss_mim, loss_vis = per[mf].mean(), per[~mf].mean()
        logits = F.interpolate(head.seg_logits(tok, T, h, w), size=x.shape[2:], mode="bilinear", align_corners=False)
        loss_seg = F.cross_entropy(logits, y, ignore_index=world.ANOMALY_CLASS)
        loss = loss_mim + visible_weight * loss_vis + seg_weight * loss_seg
        loss_hog = torch.zeros(())
        if hog_weight:  # texture: gradient-orientation histograms of the patch, masked + visible as for pixels
            ph = ((head.hog(tok[:, T:]) - hog_targets(x)) ** 2).mean(-1)
            loss_hog = ph[mf].mean() + visible_weight * ph[~mf].mean()
            loss = loss + hog_weight * loss_hog
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(list(model.parameters()) + list(head.parameters()), 1.0)
        opt.step()
        done = step + 1
        if step % 50 == 0 or done == steps:
            log(f"backbone step {step}/{steps} masked-pixels {loss_mim.item():.4f} visible-pixels "
                f"{loss_vis.item():.4f} seg {loss_seg.item():.4f} "
                + (f"hog {loss_hog.item():.4f} " if hog_weight else "") + f"lr {opt.param_groups[0]['lr']:.2e} "
                f"({elapsed + time.time() - t0:.0f}s)")
        if diag_every and (done % diag_every == 0 or done == steps):
            run_diag(done)
        if ckpt and (ckpt.due() or done == steps or (diag_every and done % diag_every == 0)):
            ckpt.save(state(done))
    model.eval()
    return {"seconds": elapsed + time.time() - t0, "diagnostics": diags, "final_loss": float(loss.item()) if steps > start else None}


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
               tau: float = 0.13, alpha: float = 1.0, max_anchors: int = 512, ckpt: StageCheckpoint | None = None,
               log=print):
    """data: list of dicts with feats_mixed [1, C, h, w], lab_mixed [h, w], feats_view2, lab_view2.
    Loss = alpha * NLL (per-dimension mean over inlier positions) + InfoNCE (if enabled)."""
    proj = torch.nn.Conv2d(flow.C, 128, 1)
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    groups = list(by_size(data, lambda d: d["lab_mixed"]).values())
    opt = torch.optim.AdamW([{"params": flow.parameters(), "weight_decay": 0.0},
                             {"params": proj.parameters(), "weight_decay": 1e-4}], lr=lr)
    sched = one_cycle(opt, steps, lr)
    start, elapsed = 0, 0.0
    st = ckpt.load() if ckpt else None
    if st is not None:
        flow.load_state_dict(st["flow"])
        proj.load_state_dict(st["proj"])
        opt.load_state_dict(st["opt"])
        sched.load_state_dict(st["sched"])
        _set_rng_state(rng, st["rng"])
        start, elapsed = st["step"], st["seconds"]
        log(f"flow({'nll+infonce' if infonce else 'nll'}): resumed at step {start}/{steps}")
    flow.train()
    t0 = time.time()
    loss_nll = loss_c = torch.zeros(())
    for step in range(start, steps):
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
                f"infonce {loss_c.item():.4f} ({elapsed + time.time() - t0:.0f}s)")
        if ckpt and (ckpt.due() or step + 1 == steps):
            ckpt.save({"flow": flow.state_dict(), "proj": proj.state_dict(), "opt": opt.state_dict(),
                       "sched": sched.state_dict(), "rng": _rng_state(rng), "step": step + 1,
                       "seconds": elapsed + time.time() - t0})
    flow.eval()
    return {"seconds": elapsed + time.time() - t0, "final_nll": float(loss_nll.item()), "final_infonce": float(loss_c.item())}


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
                    seed: int, ckpt: StageCheckpoint | None = None, log=print):
    """items: list of (x256 [3, 256, 256], inst256 [256, 256])."""
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    params = param_groups(enc, 1e-4) + param_groups(dec, 1e-4)
    opt = torch.optim.AdamW(params, lr=lr)
    sched = one_cycle(opt, steps, lr)
    start, elapsed = 0, 0.0
    st = ckpt.load() if ckpt else None
    if st is not None:
        enc.load_state_dict(st["enc"])
        dec.load_state_dict(st["dec"])
        opt.load_state_dict(st["opt"])
        sched.load_state_dict(st["sched"])
        _set_rng_state(rng, st["rng"])
        start, elapsed = st["step"], st["seconds"]
        log(f"segmenter: resumed at step {start}/{steps}")
    enc.train()
    dec.train()
    t0 = time.time()
    loss = torch.zeros(())
    for step in range(start, steps):
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
                f"({elapsed + time.time() - t0:.0f}s)")
        if ckpt and (ckpt.due() or step + 1 == steps):
            ckpt.save({"enc": enc.state_dict(), "dec": dec.state_dict(), "opt": opt.state_dict(),
                       "sched": sched.state_dict(), "rng": _rng_state(rng), "step": step + 1,
                       "seconds": elapsed + time.time() - t0})
    enc.eval()
    dec.eval()
    return {"seconds": elapsed + time.time() - t0, "final_loss": float(loss.item())}
