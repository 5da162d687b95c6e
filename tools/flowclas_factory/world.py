"""Procedural road world: dashcam-like road scenes with exact labels.

Every scene is a pure function of (seed, size, options). It returns
  image     uint8 [H, W, 3]  RGB
  labels    uint8 [H, W]     inlier class id (CLASSES), ANOMALY_CLASS on anomalies / pasted objects
  instances int32 [H, W]     one id per region or object (0 is never used)
  anomaly   uint8 [H, W]     0 inlier, 1 anomaly, 255 ignore (a 1-pixel band just outside
                             each anomaly outline, where blur mixes object and road colours)

Test anomalies ("test" families) and the outlier-exposure objects pasted during flow
training ("oe" families) come from disjoint shape *and* texture families, so the held-out
evaluation never sees what training pasted.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

CLASSES = [
    "road", "lane_marking", "sidewalk", "kerb", "vegetation", "terrain", "sky",
    "building", "pole", "sign", "vehicle",
]
NUM_CLASSES = len(CLASSES)
ANOMALY_CLASS = 255  # in `labels`: pixels of anomalies or pasted objects (no inlier class)
C = {n: i for i, n in enumerate(CLASSES)}

TEST_FAMILIES = ("animal", "cone", "rock", "cargo")
OE_FAMILIES = ("ball", "star", "ring", "wave_panel")
# shapes and materials of the clutter in the backbone's pretraining world (render_varied_scene): a third
# family set, disjoint from both above (no spots, bands, speckle or checkerboards; no triangles, irregular
# polygons, discs, stars, rings or panels), so the held-out anomalies stay unseen by every model
CLUTTER_SHAPES = ("superellipse", "capsule", "crescent", "cross", "lshape")
CLUTTER_MATERIALS = ("marble", "wood", "brick", "gradient", "hue_noise", "matte")

# (width, height) of the image sizes the demo uses; all multiples of the patch size 14
SIZES = {"landscape": (448, 224), "square": (336, 336), "portrait": (224, 336)}


def rng_for(seed: int, *keys: int) -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence([int(seed) & 0xFFFFFFFF, *[int(k) for k in keys]]))


# ----------------------------------------------------------------------------- drawing helpers

def _poly(h: int, w: int, pts) -> np.ndarray:
    im = Image.new("L", (w, h), 0)
    ImageDraw.Draw(im).polygon([(float(x), float(y)) for x, y in pts], fill=1)
    return np.asarray(im, dtype=bool)


def _ellipse(h: int, w: int, box) -> np.ndarray:
    im = Image.new("L", (w, h), 0)
    x0, y0, x1, y1 = box
    ImageDraw.Draw(im).ellipse([float(x0), float(y0), float(max(x1, x0 + 1)), float(max(y1, y0 + 1))], fill=1)
    return np.asarray(im, dtype=bool)


def _value_noise(rng: np.random.Generator, h: int, w: int, cells: int) -> np.ndarray:
    """Smooth noise in [-1, 1] with about `cells` cells along the longer side."""
    gh = max(2, int(round(cells * h / max(h, w))) + 1)
    gw = max(2, int(round(cells * w / max(h, w))) + 1)
    g = rng.uniform(-1.0, 1.0, size=(gh, gw)).astype(np.float32)
    im = Image.fromarray(g, mode="F").resize((w, h), Image.BICUBIC)
    return np.clip(np.asarray(im, dtype=np.float32), -1.0, 1.0)


@dataclass
class Canvas:
    h: int
    w: int
    rng: np.random.Generator
    light: np.ndarray  # RGB multiplier
    img: np.ndarray = field(init=False)
    labels: np.ndarray = field(init=False)
    inst: np.ndarray = field(init=False)
    anomaly: np.ndarray = field(init=False)
    next_id: int = field(init=False, default=1)
    noise: list = field(init=False)

    def __post_init__(self):
        self.img = np.zeros((self.h, self.w, 3), np.float32)
        self.labels = np.zeros((self.h, self.w), np.uint8)
        self.inst = np.zeros((self.h, self.w), np.int32)
        self.anomaly = np.zeros((self.h, self.w), np.uint8)
        # shared noise fields: coarse, medium, fine
        self.noise = [_value_noise(self.rng, self.h, self.w, c) for c in (6, 24, 90)]

    def texture(self, base, amp=(0.08, 0.05, 0.06), weights=None) -> np.ndarray:
        """A colour field: base RGB (0..255) modulated by the shared noise fields."""
        n = amp[0] * self.noise[0] + amp[1] * self.noise[1] + amp[2] * self.noise[2]
        if weights is not None:
            n = n + weights
        return np.asarray(base, np.float32)[None, None, :] * (1.0 + n[..., None])

    def paint(self, mask: np.ndarray, colour, label: int, new_instance: bool = True,
              instance: int | None = None, anomalous: bool = False) -> int:
        if not mask.any():
            return 0
        if instance is None:
            instance = self.next_id if new_instance else 0
            if new_instance:
                self.next_id += 1
        col = np.asarray(colour, np.float32)
        if col.ndim == 1:
            self.img[mask] = col
        else:
            self.img[mask] = col[mask]
        self.labels[mask] = label
        if instance:
            self.inst[mask] = instance
        self.anomaly[mask] = 1 if anomalous else 0
        return instance


def _jitter(rng, rgb, amount=20):
    return np.clip(np.asarray(rgb, np.float32) + rng.uniform(-amount, amount, 3), 0, 255)


# ----------------------------------------------------------------------------- the scene

@dataclass
class Geometry:
    horizon: float
    vx: float
    road_left: float  # x of the left road edge at the bottom row
    road_right: float

    def road_x(self, y: float, side: float) -> float:
        """x of a road line at row y; side in [0, 1] from the left edge to the right edge."""
        t = (y - self.horizon) / max(1e-6, (self.bottom - self.horizon))
        xb = self.road_left + side * (self.road_right - self.road_left)
        return self.vx + (xb - self.vx) * t

    bottom: float = 0.0


def _scene_background(cv: Canvas, rng: np.random.Generator) -> Geometry:
    h, w = cv.h, cv.w
    horizon = h * rng.uniform(0.30, 0.52)
    vx = w * rng.uniform(0.35, 0.65)
    half = w * rng.uniform(0.30, 0.60)
    centre = w * 0.5 + rng.uniform(-0.12, 0.12) * w
    g = Geometry(horizon=horizon, vx=vx, road_left=centre - half, road_right=centre + half)
    g.bottom = float(h)
    yy = np.arange(h, dtype=np.float32)[:, None] * np.ones((1, w), np.float32)

    # sky: vertical gradient, weather-dependent colours
    weather = rng.integers(0, 3)
    top = [(70, 120, 200), (150, 155, 165), (200, 120, 80)][weather]
    low = [(170, 200, 235), (200, 200, 205), (240, 190, 140)][weather]
    top, low = _jitter(rng, top, 15), _jitter(rng, low, 15)
    t = np.clip(yy / max(1.0, horizon), 0, 1)[..., None]
    sky_col = top[None, None] * (1 - t) + low[None, None] * t
    sky_col = sky_col * (1 + 0.03 * cv.noise[0][..., None])
    cv.paint(np.ones((h, w), bool), sky_col, C["sky"])

    # terrain (grass / dirt) below the horizon
    terr = _jitter(rng, [(95, 125, 60), (120, 110, 80)][rng.integers(0, 2)], 20)
    below = yy >= horizon
    cv.paint(below, cv.texture(terr, (0.15, 0.10, 0.10)), C["terrain"])

    # buildings along both sides, standing on the horizon band
    for side in (-1, 1):
        if rng.random() < 0.2:
            continue
        x = g.vx + side * w * rng.uniform(0.05, 0.15)
        for _ in range(rng.integers(2, 6)):
            bw = w * rng.uniform(0.08, 0.22)
            bh = h * rng.uniform(0.10, 0.35)
            base = horizon + h * rng.uniform(0.0, 0.05)
            x0, x1 = (x, x + side * bw)
            x0, x1 = min(x0, x1), max(x0, x1)
            m = _poly(h, w, [(x0, base), (x1, base), (x1, base - bh), (x0, base - bh)])
            col = _jitter(rng, [(150, 140, 130), (180, 170, 150), (120, 90, 80), (200, 200, 195)][rng.integers(0, 4)], 25)
            field_ = cv.texture(col, (0.05, 0.05, 0.08))
            # windows: a regular grid of darker rectangles
            win = ((np.arange(w)[None, :] // max(2, int(bw / 6))) % 2 == 0) & ((np.arange(h)[:, None] // max(2, int(bh / 8))) % 2 == 0)
            field_ = np.where(win[..., None], field_ * rng.uniform(0.45, 0.7), field_)
            cv.paint(m, field_, C["building"])
            x = x + side * bw * rng.uniform(0.8, 1.1)

    # trees / vegetation clumps at the sides
    for _ in range(rng.integers(2, 9)):
        side = rng.choice([-1, 1])
        cx = g.vx + side * w * rng.uniform(0.15, 0.6)
        cy = horizon + h * rng.uniform(-0.05, 0.05)
        r = h * rng.uniform(0.05, 0.2)
        m = np.zeros((h, w), bool)
        for _k in range(rng.integers(3, 7)):
            ox, oy = rng.normal(0, r * 0.5, 2)
            rr = r * rng.uniform(0.5, 1.0)
            m |= _ellipse(h, w, (cx + ox - rr, cy + oy - rr * 1.3, cx + ox + rr, cy + oy + rr * 0.7))
        col = _jitter(rng, (60, 110, 45), 25)
        cv.paint(m, cv.texture(col, (0.10, 0.15, 0.25)), C["vegetation"])
    return g


def _scene_road(cv: Canvas, rng: np.random.Generator, g: Geometry) -> None:
    h, w = cv.h, cv.w
    hz = g.horizon
    # sidewalks and kerbs outside the road edges
    walk = w * rng.uniform(0.15, 0.45)
    kerb = w * rng.uniform(0.015, 0.03)
    walk_col = _jitter(rng, (165, 160, 150), 20)
    kerb_col = _jitter(rng, (200, 200, 195), 15)
    for side in (-1, 1):
        edge = g.road_left if side < 0 else g.road_right
        outer = edge + side * (walk + kerb)
        m = _poly(h, w, [(g.vx, hz), (edge + side * kerb, h), (outer, h)])
        # paving: a grid texture
        tiles = ((np.arange(w)[None, :] % 13 == 0) | (np.arange(h)[:, None] % 9 == 0))
        f = cv.texture(walk_col, (0.05, 0.05, 0.08), weights=np.where(tiles, -0.12, 0.0).astype(np.float32))
        cv.paint(m, f, C["sidewalk"])
        mk = _poly(h, w, [(g.vx, hz), (edge, h), (edge + side * kerb, h)])
        cv.paint(mk, cv.texture(kerb_col, (0.03, 0.03, 0.05)), C["kerb"])
    # asphalt
    asphalt = _jitter(rng, (95, 95, 100), 20)
    road = _poly(h, w, [(g.vx, hz), (g.road_left, h), (g.road_right, h)])
    cv.paint(road, cv.texture(asphalt, (0.06, 0.05, 0.12)), C["road"])
    # lane markings: dashed centre lines and solid edge lines
    lanes = int(rng.integers(2, 4))
    colour = (235, 235, 230) if rng.random() < 0.8 else (230, 200, 60)
    colour = _jitter(rng, colour, 10)
    dash_phase = rng.uniform(0, 1)
    for k in range(1, lanes):
        side = k / lanes
        # dashes evenly spaced in 1/depth
        n = 9
        for i in range(n):
            a0 = (i + dash_phase) / n
            a1 = a0 + 0.45 / n
            y0 = hz + (h - hz) * a0 ** 2.0
            y1 = hz + (h - hz) * min(1.0, a1) ** 2.0
            if y1 - y0 < 1:
                continue
            lw0 = 0.012 * (y0 - hz) / (h - hz) * w * 0.5 + 0.3
            lw1 = 0.012 * (y1 - hz) / (h - hz) * w * 0.5 + 0.3
            x0, x1 = g.road_x(y0, side), g.road_x(y1, side)
            cv.paint(_poly(h, w, [(x0 - lw0, y0), (x0 + lw0, y0), (x1 + lw1, y1), (x1 - lw1, y1)]),
                     cv.texture(colour, (0.02, 0.02, 0.04)), C["lane_marking"])
    for side in (0.03, 0.97):
        lw = 0.008 * w
        pts = [(g.vx, hz), (g.road_x(h, side) - lw, h), (g.road_x(h, side) + lw, h)]
        cv.paint(_poly(h, w, pts), cv.texture(colour, (0.02, 0.02, 0.04)), C["lane_marking"])


def _depth_scale(g: Geometry, y: float) -> float:
    """Apparent size factor of an object whose base is on row y (0 at the horizon, 1 at the bottom)."""
    return max(0.02, (y - g.horizon) / max(1.0, g.bottom - g.horizon))


def _scene_objects(cv: Canvas, rng: np.random.Generator, g: Geometry) -> None:
    h, w = cv.h, cv.w
    # poles with signs on the sidewalks
    for _ in range(rng.integers(0, 4)):
        side = rng.choice([-0.12, 1.12])
        yb = g.horizon + (h - g.horizon) * rng.uniform(0.15, 0.8)
        s = _depth_scale(g, yb)
        x = g.road_x(yb, side)
        ph = h * 0.9 * s + 8
        pw = max(1.5, w * 0.012 * s)
        cv.paint(_poly(h, w, [(x - pw, yb), (x + pw, yb), (x + pw, yb - ph), (x - pw, yb - ph)]),
                 cv.texture(_jitter(rng, (110, 110, 115), 20), (0.03, 0.03, 0.05)), C["pole"])
        if rng.random() < 0.7:
            r = max(3.0, w * 0.05 * s)
            cy = yb - ph
            kind = rng.integers(0, 3)
            colour = _jitter(rng, [(200, 30, 30), (30, 70, 180), (230, 200, 40)][kind], 15)
            if kind == 0:
                m = _ellipse(h, w, (x - r, cy - r, x + r, cy + r))
            elif kind == 1:
                m = _poly(h, w, [(x - r, cy - r), (x + r, cy - r), (x + r, cy + r), (x - r, cy + r)])
            else:
                m = _poly(h, w, [(x, cy - r), (x + r, cy + r * 0.8), (x - r, cy + r * 0.8)])
            cv.paint(m, cv.texture(colour, (0.02, 0.02, 0.04)), C["sign"])
    # vehicles in lanes (drawn far to near)
    ys = sorted(g.horizon + (h - g.horizon) * rng.uniform(0.05, 0.6, size=rng.integers(0, 4)))
    for yb in ys:
        s = _depth_scale(g, yb)
        lane = rng.uniform(0.15, 0.85)
        x = g.road_x(yb, lane)
        vw = (g.road_right - g.road_left) * 0.28 * s
        vh = vw * rng.uniform(0.7, 1.0)
        body = _jitter(rng, [(180, 20, 20), (20, 40, 120), (230, 230, 230), (30, 30, 30), (150, 150, 160)][rng.integers(0, 5)], 20)
        inst = cv.next_id
        cv.next_id += 1
        m_body = _poly(h, w, [(x - vw / 2, yb - vh * 0.15), (x + vw / 2, yb - vh * 0.15),
                              (x + vw / 2, yb - vh * 0.6), (x - vw / 2, yb - vh * 0.6)])
        m_cab = _poly(h, w, [(x - vw * 0.38, yb - vh * 0.6), (x + vw * 0.38, yb - vh * 0.6),
                             (x + vw * 0.3, yb - vh), (x - vw * 0.3, yb - vh)])
        cv.paint(m_body | m_cab, cv.texture(body, (0.02, 0.02, 0.03)), C["vehicle"], instance=inst)
        glass = _poly(h, w, [(x - vw * 0.32, yb - vh * 0.63), (x + vw * 0.32, yb - vh * 0.63),
                             (x + vw * 0.26, yb - vh * 0.93), (x - vw * 0.26, yb - vh * 0.93)])
        cv.paint(glass, cv.texture((60, 70, 85), (0.03, 0.02, 0.02)), C["vehicle"], instance=inst)
        for sx in (-0.35, 0.35):
            wr = vw * 0.12
            cv.paint(_poly(h, w, [(x + sx * vw - wr, yb), (x + sx * vw + wr, yb),
                                  (x + sx * vw + wr, yb - vh * 0.2), (x + sx * vw - wr, yb - vh * 0.2)]),
                     (25, 25, 25), C["vehicle"], instance=inst)
        for sx in (-0.38, 0.38):  # lights
            lr = vw * 0.06
            cv.paint(_ellipse(h, w, (x + sx * vw - lr, yb - vh * 0.5, x + sx * vw + lr, yb - vh * 0.38)),
                     (240, 60, 40), C["vehicle"], instance=inst)


# ----------------------------------------------------------------------------- anomaly objects

def _radial_poly(rng, cx, cy, r, n, irregular, aspect=1.0):
    angles = np.sort(rng.uniform(0, 2 * math.pi, n)) if irregular else np.linspace(0, 2 * math.pi, n, endpoint=False)
    radii = r * (1 + irregular * rng.uniform(-0.5, 0.5, n))
    return [(cx + rr * math.cos(a), cy + rr * math.sin(a) * aspect) for a, rr in zip(angles, radii)]


def object_mask_and_colour(family: str, rng: np.random.Generator, h: int, w: int, cx: float, cy: float, size: float):
    """Render one foreign object of `family`, about `size` px across, centred at (cx, cy).

    Returns (mask [h, w] bool, colour field [h, w, 3] float32)."""
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    r = size / 2
    if family == "animal":  # organic blob with legs, spotted coat
        m = np.zeros((h, w), bool)
        m |= _ellipse(h, w, (cx - r, cy - r * 0.45, cx + r * 0.7, cy + r * 0.25))
        m |= _ellipse(h, w, (cx + r * 0.5, cy - r * 0.7, cx + r, cy - r * 0.2))
        for lx in (-0.7, -0.4, 0.2, 0.5):
            m |= _poly(h, w, [(cx + lx * r, cy), (cx + (lx + 0.12) * r, cy), (cx + (lx + 0.12) * r, cy + r * 0.6), (cx + lx * r, cy + r * 0.6)])
        base = _jitter(rng, [(240, 240, 235), (140, 90, 50)][rng.integers(0, 2)], 15)
        spots = np.sin(xx * (5.0 / max(r, 1)) * 3 + rng.uniform(0, 6)) * np.sin(yy * (4.0 / max(r, 1)) * 3 + rng.uniform(0, 6))
        col = np.where((spots > 0.35)[..., None], np.array([20, 20, 20], np.float32), base[None, None])
    elif family == "cone":  # traffic-cone triangle with white bands
        m = _poly(h, w, [(cx, cy - r), (cx + r * 0.45, cy + r * 0.8), (cx - r * 0.45, cy + r * 0.8)])
        m |= _poly(h, w, [(cx - r * 0.6, cy + r * 0.8), (cx + r * 0.6, cy + r * 0.8), (cx + r * 0.6, cy + r), (cx - r * 0.6, cy + r)])
        bands = (np.floor((yy - (cy - r)) / max(1.0, r * 0.35)) % 2 == 1)
        col = np.where(bands[..., None], np.array([245, 245, 245], np.float32), _jitter(rng, (250, 110, 20), 15)[None, None])
    elif family == "rock":  # irregular polygon, speckled
        m = _poly(h, w, _radial_poly(rng, cx, cy, r, int(rng.integers(7, 12)), 0.8, aspect=0.7))
        base = _jitter(rng, [(120, 100, 80), (90, 85, 80), (150, 130, 100)][rng.integers(0, 3)], 15)
        speck = rng.uniform(-1, 1, (h, w)).astype(np.float32)
        col = base[None, None] * (1 + 0.35 * speck[..., None])
    elif family == "cargo":  # lost cargo: box with a checkerboard / crate print
        x0, x1 = cx - r, cx + r
        y0, y1 = cy - r * rng.uniform(0.4, 0.8), cy + r * 0.5
        m = _poly(h, w, [(x0, y0), (x1, y0), (x1, y1), (x0, y1)])
        m |= _poly(h, w, [(x0, y0), (x1, y0), (x1 + r * 0.3, y0 - r * 0.25), (x0 + r * 0.3, y0 - r * 0.25)])
        cell = max(2.0, r * 0.3)
        chk = ((np.floor(xx / cell) + np.floor(yy / cell)) % 2 == 0)
        a = _jitter(rng, (200, 160, 90), 20)
        col = np.where(chk[..., None], a[None, None], (a * 0.35)[None, None])
    elif family == "ball":  # disc, saturated colour with a radial highlight
        m = _ellipse(h, w, (cx - r, cy - r, cx + r, cy + r))
        hue = rng.uniform(0, 1)
        base = np.array([255 * abs(math.sin(math.pi * (hue + k / 3))) for k in range(3)], np.float32)
        d = np.sqrt((xx - cx + r * 0.3) ** 2 + (yy - cy + r * 0.3) ** 2) / max(r, 1)
        col = base[None, None] * np.clip(1.2 - 0.6 * d, 0.3, 1.2)[..., None]
    elif family == "star":  # star polygon with a linear gradient
        n = int(rng.integers(5, 9))
        pts = []
        for k in range(2 * n):
            rr = r if k % 2 == 0 else r * 0.45
            a = math.pi * k / n + rng.uniform(0, 0.2)
            pts.append((cx + rr * math.cos(a), cy + rr * math.sin(a)))
        m = _poly(h, w, pts)
        c0, c1 = rng.uniform(0, 255, 3), rng.uniform(0, 255, 3)
        t = np.clip((xx - (cx - r)) / max(1.0, 2 * r), 0, 1)[..., None]
        col = (c0[None, None] * (1 - t) + c1[None, None] * t).astype(np.float32)
    elif family == "ring":  # annulus, flat colour
        m = _ellipse(h, w, (cx - r, cy - r, cx + r, cy + r)) & ~_ellipse(h, w, (cx - r * 0.5, cy - r * 0.5, cx + r * 0.5, cy + r * 0.5))
        col = np.broadcast_to(rng.uniform(0, 255, 3).astype(np.float32), (h, w, 3)).copy()
    elif family == "wave_panel":  # tilted panel with sinusoidal colour waves
        a = rng.uniform(-0.5, 0.5)
        ca, sa = math.cos(a), math.sin(a)
        corners = [(-r, -r * 0.6), (r, -r * 0.6), (r, r * 0.6), (-r, r * 0.6)]
        m = _poly(h, w, [(cx + x * ca - y * sa, cy + x * sa + y * ca) for x, y in corners])
        ph = rng.uniform(0, 6, 3)
        fr = rng.uniform(2, 5) / max(r, 1)
        col = np.stack([127 + 120 * np.sin(yy * fr * 3 + ph[k]) for k in range(3)], -1).astype(np.float32)
    else:
        raise ValueError(family)
    return m, col


def _ignore_band(mask: np.ndarray) -> np.ndarray:
    """Pixels within one pixel (8-neighbourhood) outside `mask`."""
    d = mask.copy()
    d[1:] |= mask[:-1]
    d[:-1] |= mask[1:]
    d[:, 1:] |= d[:, :-1].copy()
    d[:, :-1] |= d[:, 1:].copy()
    return d & ~mask


def place_object(cv: Canvas, rng: np.random.Generator, family: str, cx: float, cy: float, size: float,
                 anomalous_label: bool, tint=None) -> np.ndarray:
    m, col = object_mask_and_colour(family, rng, cv.h, cv.w, cx, cy, size)
    if tint is not None:
        col = col * np.asarray(tint, np.float32)[None, None]
    cv.paint(m, col, ANOMALY_CLASS, anomalous=anomalous_label)
    return m


# ----------------------------------------------------------------------------- public API

def _finish(cv: Canvas, rng: np.random.Generator, blur: float | None = None) -> np.ndarray:
    img = cv.img * cv.light[None, None]
    img = img + rng.normal(0, rng.uniform(1.0, 5.0), img.shape).astype(np.float32)
    img = np.clip(img, 0, 255).astype(np.uint8)
    blur = rng.choice([0.0, 0.0, 0.5, 0.8]) if blur is None else blur
    if blur > 0:
        img = np.asarray(Image.fromarray(img).filter(ImageFilter.GaussianBlur(float(blur))))
    return img


def render_scene(seed: int, size=(448, 224), anomalies: str = "test", n_objects: int | None = None) -> dict:
    """One road scene. anomalies: "test" (unseen families, labelled 1), "none" (clean)."""
    w, h = size
    rng = rng_for(seed, w, h, {"none": 0, "test": 1}[anomalies])
    light = np.array([rng.uniform(0.6, 1.15)] * 3, np.float32) * rng.uniform(0.92, 1.08, 3).astype(np.float32)
    cv = Canvas(h, w, rng, light)
    g = _scene_background(cv, rng)
    _scene_road(cv, rng, g)
    _scene_objects(cv, rng, g)
    if anomalies == "test":
        count = int(rng.integers(1, 4)) if n_objects is None else n_objects
        for _ in range(count):
            fam = TEST_FAMILIES[rng.integers(0, len(TEST_FAMILIES))]
            yb = g.horizon + (h - g.horizon) * rng.uniform(0.25, 0.95)
            s = _depth_scale(g, yb)
            x = g.road_x(yb, rng.uniform(0.05, 0.95))
            size_px = max(6.0, (g.road_right - g.road_left) * rng.uniform(0.08, 0.25) * s)
            # a soft shadow on the road first (stays inlier road)
            sh = _ellipse(h, w, (x - size_px * 0.6, yb - size_px * 0.1, x + size_px * 0.6, yb + size_px * 0.12))
            cv.img[sh] *= 0.6
            place_object(cv, rng, fam, x, yb - size_px * 0.45, size_px, anomalous_label=True)
    anomaly = cv.anomaly.copy()
    anomaly[_ignore_band(anomaly == 1)] = 255
    img = _finish(cv, rng)
    return {"image": img, "labels": cv.labels.copy(), "instances": cv.inst.copy(), "anomaly": anomaly}


OE_SCALES = (0.1, 0.125, 0.25, 0.5, 0.5, 0.75)


def render_oe_pair(seed: int, size=(448, 224)) -> dict:
    """Outlier-exposure training pair.

    mixed: a clean scene with one foreign object (OE family) pasted at a random place,
    scaled by a factor from OE_SCALES (relative to 0.8·min(H, W));
    view2: a second view of the pasted source: the same object (same family and seed,
    another scale, colour jitter) pasted into another clean scene.
    Each has image, labels, instances and `pasted` (bool mask of the object)."""
    w, h = size
    rng = rng_for(seed, w, h, 2)
    fam = OE_FAMILIES[rng.integers(0, len(OE_FAMILIES))]
    obj_seed = int(rng.integers(0, 2**31))
    out = {}
    for view in ("mixed", "view2"):
        scene = render_scene(int(rng.integers(0, 2**31)), size, anomalies="none")
        cv = Canvas(h, w, rng, np.ones(3, np.float32))
        cv.img = scene["image"].astype(np.float32)
        cv.labels = scene["labels"].copy()
        cv.inst = scene["instances"].copy()
        cv.next_id = int(cv.inst.max()) + 1
        tint = rng.uniform(0.8, 1.2, 3).astype(np.float32)  # colour jitter of the pasted object
        size_px = 0.8 * min(w, h) * OE_SCALES[rng.integers(0, len(OE_SCALES))]
        cx, cy = rng.uniform(size_px / 2, w - size_px / 2), rng.uniform(size_px / 2, h - size_px / 2)
        m = place_object(cv, rng_for(obj_seed, 7), fam, cx, cy, size_px, anomalous_label=True, tint=tint)
        img = np.clip(cv.img, 0, 255).astype(np.uint8)
        out[view] = {"image": img, "labels": cv.labels, "instances": cv.inst, "pasted": m}
    out["family"] = fam
    return out


# ----------------------------------------------------------------------------- pretraining world

def _rotated(xx, yy, cx, cy, angle):
    ca, sa = math.cos(angle), math.sin(angle)
    return (xx - cx) * ca + (yy - cy) * sa, -(xx - cx) * sa + (yy - cy) * ca


def clutter_mask(shape: str, rng: np.random.Generator, h: int, w: int, cx: float, cy: float, size: float) -> np.ndarray:
    """One clutter silhouette of about `size` px across, centred at (cx, cy), randomly rotated."""
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    u, v = _rotated(xx, yy, cx, cy, rng.uniform(0, math.pi))
    r = max(size / 2, 1.0)
    aspect = rng.uniform(0.35, 1.0)
    if shape == "superellipse":
        e = rng.uniform(0.7, 4.0)
        return (np.abs(u / r) ** e + np.abs(v / (r * aspect)) ** e) <= 1.0
    if shape == "capsule":
        half = r * (1 - aspect * 0.5)
        rad = r * aspect * 0.5
        return (np.maximum(np.abs(u) - half, 0) ** 2 + v ** 2) <= rad ** 2
    if shape == "crescent":
        outer = u ** 2 + v ** 2 <= r ** 2
        off = r * rng.uniform(0.3, 0.6)
        return outer & ((u - off) ** 2 + v ** 2 > (r * rng.uniform(0.7, 0.9)) ** 2)
    if shape == "cross":
        t = r * rng.uniform(0.2, 0.4)
        return ((np.abs(u) <= r) & (np.abs(v) <= t)) | ((np.abs(v) <= r * aspect) & (np.abs(u) <= t))
    if shape == "lshape":
        t = r * rng.uniform(0.3, 0.5)
        return ((np.abs(u) <= r) & (v >= -r * aspect) & (v <= -r * aspect + t)) | \
            ((u >= -r) & (u <= -r + t) & (np.abs(v) <= r * aspect))
    raise ValueError(shape)


def clutter_material(material: str, rng: np.random.Generator, h: int, w: int, scale: float) -> np.ndarray:
    """A colour field [h, w, 3] (0..255) of one clutter material; `scale` is the object size in px."""
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    base = rng.uniform(20, 235, 3).astype(np.float32)
    cells = max(2, int(max(h, w) / max(scale / 3, 2)))
    if material == "marble":  # veins: a sine of a warped coordinate
        warp = _value_noise(rng, h, w, cells)
        a = rng.uniform(0, math.pi)
        veins = np.sin((xx * math.cos(a) + yy * math.sin(a)) * (6.0 / max(scale, 4)) + 4.0 * warp)
        vein_col = rng.uniform(20, 235, 3).astype(np.float32)
        t = (np.abs(veins) ** 0.3)[..., None]
        return base[None, None] * t + vein_col[None, None] * (1 - t)
    if material == "wood":  # growth rings around an off-centre point, slightly warped
        ox, oy = rng.uniform(0, w), rng.uniform(0, h)
        d = np.sqrt((xx - ox) ** 2 + ((yy - oy) * 0.3) ** 2) + 3.0 * _value_noise(rng, h, w, cells)
        rings = 0.5 + 0.5 * np.sin(d * (2 * math.pi / max(scale / 6, 2.0)))
        return base[None, None] * (0.7 + 0.3 * rings[..., None])
    if material == "brick":  # offset rows of blocks with mortar lines
        bh = max(2.0, scale / rng.uniform(4, 8))
        bw = bh * rng.uniform(1.8, 3.0)
        row = np.floor(yy / bh)
        xs = xx + (row % 2) * bw / 2
        mortar = ((yy % bh) < max(1.0, bh * 0.15)) | ((xs % bw) < max(1.0, bw * 0.08))
        mortar_col = rng.uniform(150, 230, 3).astype(np.float32)
        tone = 1 + 0.15 * _value_noise(rng, h, w, cells)[..., None]
        return np.where(mortar[..., None], mortar_col[None, None], base[None, None] * tone)
    if material == "gradient":  # smooth two-colour ramp at a random angle
        a = rng.uniform(0, 2 * math.pi)
        t = (xx * math.cos(a) + yy * math.sin(a)) / max(scale, 1.0)
        t = (t - t.min())
        t = (t / max(float(t.max()), 1e-6))[..., None] if t.max() > 0 else t[..., None]
        c1 = rng.uniform(20, 235, 3).astype(np.float32)
        return base[None, None] * (1 - t) + c1[None, None] * t
    if material == "hue_noise":  # smooth multi-colour noise
        return np.stack([127 + 110 * _value_noise(rng, h, w, cells) for _ in range(3)], -1)
    if material == "matte":  # flat colour with a soft shading term
        return base[None, None] * (1 + 0.1 * _value_noise(rng, h, w, max(2, cells // 2)))[..., None]
    raise ValueError(material)


def render_varied_scene(seed: int, size=(448, 224), max_clutter: int = 6) -> dict:
    """A scene of the backbone's pretraining world: a clean road scene (render_scene's generator) with more
    lighting (level, colour temperature, cast shadows, vignetting), road wear (patches, puddles) and up to
    `max_clutter` clutter objects (CLUTTER_SHAPES x CLUTTER_MATERIALS) anywhere in the frame. Clutter pixels
    are labelled ANOMALY_CLASS (no inlier class) and have their own instances; `anomaly` stays 0 (this world
    is for pretraining only)."""
    w, h = size
    rng = rng_for(seed, w, h, 3)
    light = np.array([rng.uniform(0.45, 1.3)] * 3, np.float32) * rng.uniform(0.85, 1.15, 3).astype(np.float32)
    cv = Canvas(h, w, rng, light)
    g = _scene_background(cv, rng)
    _scene_road(cv, rng, g)
    # road wear: darker or lighter asphalt patches and puddles that mirror the sky colour (still road)
    road = cv.labels == C["road"]
    for _ in range(int(rng.integers(0, 4))):
        yb = g.horizon + (h - g.horizon) * rng.uniform(0.2, 1.0)
        s = _depth_scale(g, yb)
        x = g.road_x(yb, rng.uniform(0.1, 0.9))
        rw, rh = w * rng.uniform(0.05, 0.25) * s + 2, h * rng.uniform(0.02, 0.08) * s + 1
        m = _ellipse(h, w, (x - rw, yb - rh, x + rw, yb + rh)) if rng.random() < 0.5 else \
            _poly(h, w, [(x - rw, yb - rh), (x + rw, yb - rh), (x + rw, yb + rh), (x - rw, yb + rh)])
        m &= road
        if rng.random() < 0.4:
            sky = cv.img[: max(1, int(g.horizon))].reshape(-1, 3).mean(0)
            cv.img[m] = 0.5 * cv.img[m] + 0.5 * sky * rng.uniform(0.6, 0.9)
        else:
            cv.img[m] *= rng.uniform(0.6, 1.3)
    _scene_objects(cv, rng, g)
    for _ in range(int(rng.integers(0, max_clutter + 1))):
        shape = CLUTTER_SHAPES[rng.integers(0, len(CLUTTER_SHAPES))]
        material = CLUTTER_MATERIALS[rng.integers(0, len(CLUTTER_MATERIALS))]
        if rng.random() < 0.6:  # on the ground, sized by depth
            yb = g.horizon + (h - g.horizon) * rng.uniform(0.1, 1.0)
            x = g.road_x(yb, rng.uniform(-0.4, 1.4))
            size_px = max(5.0, (g.road_right - g.road_left) * rng.uniform(0.05, 0.4) * _depth_scale(g, yb))
            cy = yb - size_px * 0.4
        else:  # anywhere, any size
            size_px = min(w, h) * rng.uniform(0.03, 0.4)
            x, cy = rng.uniform(0, w), rng.uniform(0, h)
        m = clutter_mask(shape, rng, h, w, x, cy, size_px)
        col = clutter_material(material, rng, h, w, size_px)
        cv.paint(m, col, ANOMALY_CLASS)
    # cast shadows (soft-edged dark polygons) and vignetting
    shade = np.ones((h, w), np.float32)
    for _ in range(int(rng.integers(0, 3))):
        pts = _radial_poly(rng, rng.uniform(0, w), rng.uniform(g.horizon, h), w * rng.uniform(0.1, 0.4),
                           int(rng.integers(4, 8)), 0.6, aspect=rng.uniform(0.2, 0.6))
        m = np.asarray(Image.fromarray((_poly(h, w, pts) * 255).astype(np.uint8)).filter(
            ImageFilter.GaussianBlur(float(rng.uniform(1, 6)))), np.float32) / 255.0
        shade *= 1 - rng.uniform(0.25, 0.6) * m
    if rng.random() < 0.5:
        yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
        r2 = ((xx - w / 2) / (w / 2)) ** 2 + ((yy - h / 2) / (h / 2)) ** 2
        shade *= 1 - rng.uniform(0.1, 0.35) * np.clip(r2 / 2, 0, 1)
    cv.img *= shade[..., None]
    img = _finish(cv, rng)
    if rng.random() < 0.3:  # gamma: flat or contrasty renderings of the same scene
        img = (255.0 * (img / 255.0) ** rng.uniform(0.7, 1.4)).astype(np.uint8)
    return {"image": img, "labels": cv.labels.copy(), "instances": cv.inst.copy(), "anomaly": cv.anomaly.copy()}


def testset_names(count: int) -> list[str]:
    return [f"test_{i:04d}" for i in range(count)]


def test_size_for(i: int):
    """Held-out images cycle through the three sizes/aspects."""
    return list(SIZES.values())[i % len(SIZES)]


def write_testset(seed: int, count: int, out_dir) -> list[str]:
    """Writes <name>.png (RGB) and <name>_gt.png (0/1/255) for `count` test scenes."""
    from pathlib import Path
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    names = testset_names(count)
    for i, name in enumerate(names):
        s = render_scene(int(rng_for(seed, 11, i).integers(0, 2**31)), test_size_for(i), anomalies="test")
        Image.fromarray(s["image"]).save(out / f"{name}.png", optimize=False)
        Image.fromarray(s["anomaly"]).save(out / f"{name}_gt.png", optimize=False)
    return names
