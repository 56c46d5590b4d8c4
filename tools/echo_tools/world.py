"""The synthetic audio-visual world the demo bundle is trained and evaluated on (issue 4).

Class k = 0..7 ties the picture's hue (45*k degrees, +-10) to the sound's band (band k of 8 log-spaced
bands from 150 to 6000 Hz). The texture ties the picture's layout to the sound's time pattern:

    steady  <- stripes, lines, rings, gradient   (a tone or a slow chirp, constant loudness)
    pulsed  <- blobs, dots, shapes                (tone or chirp bursts switched on/off at 2-6 Hz)
    noise   <- noise, clouds                      (narrow-band noise inside the band)

Every sample is a pure function of (seed, split, index): the train and held-out splits never share a draw.
"""
from dataclasses import dataclass

import numpy as np

CLASSES = 8
SIZE = 256
SAMPLE_RATE = 22050
CLIP_SAMPLES = 220500
PATTERNS = ("steady", "pulsed", "noise")
TEXTURES = {
    "steady": ("stripes", "lines", "rings", "gradient"),
    "pulsed": ("blobs", "dots", "shapes"),
    "noise": ("noise", "clouds"),
}
SPLITS = {"train": 0, "heldout": 1}


def band_edges(k: int) -> tuple:
    """Band k of the 8 log-spaced bands: 150*40^(k/8) .. 150*40^((k+1)/8) Hz."""
    return 150.0 * 40.0 ** (k / 8), 150.0 * 40.0 ** ((k + 1) / 8)


@dataclass(frozen=True)
class Sample:
    label: int
    pattern: str
    texture: str
    hue: float           # degrees
    image: np.ndarray    # [256, 256, 3] uint8
    audio: np.ndarray    # [220500] float32 in (-1, 1)


def _rng(seed: int, split: str, index: int) -> np.random.Generator:
    return np.random.default_rng([seed, SPLITS[split], index])


def sample(seed: int, split: str, index: int) -> Sample:
    """Balanced: the label cycles through the 8 classes, the pattern through the 3 patterns every 8 samples."""
    rng = _rng(seed, split, index)
    label, pattern = index % CLASSES, PATTERNS[(index // CLASSES) % len(PATTERNS)]
    texture = str(rng.choice(TEXTURES[pattern]))
    hue = 45.0 * label + rng.uniform(-10, 10)
    image = render_image(rng, texture, hue)
    audio = render_audio(rng, label, pattern)
    return Sample(label, pattern, texture, hue % 360, image, audio)


# ---------------------------------------------------------------- images

def _rotated(rng: np.random.Generator) -> tuple:
    y, x = np.mgrid[0:SIZE, 0:SIZE].astype(np.float64)
    angle = rng.uniform(0, np.pi)
    cx, cy = rng.uniform(0, SIZE, 2)
    u = (x - cx) * np.cos(angle) + (y - cy) * np.sin(angle)
    v = -(x - cx) * np.sin(angle) + (y - cy) * np.cos(angle)
    return u, v


def _smooth(a: np.ndarray, radius: int) -> np.ndarray:
    """Box blur (separable, wrap-around) of a square array."""
    if radius < 1:
        return a
    for axis in (0, 1):
        a = sum(np.roll(a, s, axis=axis) for s in range(-radius, radius + 1)) / (2 * radius + 1)
    return a


def _texture(rng: np.random.Generator, texture: str) -> np.ndarray:
    """A [256, 256] pattern in [0, 1]."""
    y, x = np.mgrid[0:SIZE, 0:SIZE].astype(np.float64)
    if texture == "stripes":
        u, _ = _rotated(rng)
        return 0.5 + 0.5 * np.tanh(rng.uniform(1, 6) * np.sin(2 * np.pi * u / rng.uniform(10, 64)))
    if texture == "lines":
        u, _ = _rotated(rng)
        period = rng.uniform(14, 64)
        width = rng.uniform(1.5, 5)
        return (np.abs((u % period) - period / 2) < width / 2).astype(np.float64)
    if texture == "rings":
        cx, cy = rng.uniform(0, SIZE, 2)
        r = np.hypot(x - cx, y - cy)
        return 0.5 + 0.5 * np.tanh(rng.uniform(1, 6) * np.sin(2 * np.pi * r / rng.uniform(10, 48)))
    if texture == "gradient":
        u, _ = _rotated(rng)
        return np.clip(u / rng.uniform(150, 400) + 0.5, 0, 1)
    if texture == "blobs":
        t = np.zeros((SIZE, SIZE))
        for _ in range(rng.integers(4, 20)):
            cx, cy = rng.uniform(0, SIZE, 2)
            t += np.exp(-((x - cx) ** 2 + (y - cy) ** 2) / (2 * rng.uniform(8, 36) ** 2))
        return np.clip(t, 0, 1)
    if texture == "dots":
        t = np.zeros((SIZE, SIZE))
        radius = rng.uniform(2.5, 9)
        for _ in range(rng.integers(15, 90)):
            cx, cy = rng.uniform(0, SIZE, 2)
            t = np.maximum(t, (np.hypot(x - cx, y - cy) < radius * rng.uniform(0.7, 1.3)).astype(np.float64))
        return t
    if texture == "shapes":
        t = np.zeros((SIZE, SIZE))
        for _ in range(rng.integers(3, 12)):
            cx, cy = rng.uniform(0, SIZE, 2)
            size = rng.uniform(12, 60)
            kind = rng.integers(3)
            if kind == 0:
                inside = np.hypot(x - cx, y - cy) < size
            elif kind == 1:
                inside = (np.abs(x - cx) < size) & (np.abs(y - cy) < size * rng.uniform(0.4, 1))
            else:
                inside = (y - cy < size) & (np.abs(x - cx) < (y - cy + size) / 2)
            t = np.where(inside, rng.uniform(0.6, 1), t)
        return t
    if texture == "noise":
        return np.clip(_smooth(rng.uniform(0, 1, (SIZE, SIZE)), int(rng.integers(0, 3))) * 1.6 - 0.3, 0, 1)
    if texture == "clouds":
        t = np.zeros((SIZE, SIZE))
        for octave in range(int(rng.integers(2, 5)), 8):
            cells = 2 ** octave
            grid = rng.uniform(0, 1, (cells, cells))
            t += np.kron(grid, np.ones((SIZE // cells, SIZE // cells))) / (8 - octave)
        t = _smooth(t, 2)
        return (t - t.min()) / max(t.max() - t.min(), 1e-9)
    raise ValueError(f"unknown texture {texture}")


def hsv_to_rgb(h: np.ndarray, s: np.ndarray, v: np.ndarray) -> np.ndarray:
    """h in degrees, s and v in [0, 1] -> [..., 3] floats in [0, 1]."""
    h = (h % 360) / 60.0
    c = v * s
    xc = c * (1 - np.abs(h % 2 - 1))
    zero = np.zeros_like(c)
    sector = np.floor(h).astype(int) % 6
    choices = [(c, xc, zero), (xc, c, zero), (zero, c, xc), (zero, xc, c), (xc, zero, c), (c, zero, xc)]
    rgb = np.zeros(h.shape + (3,))
    for i, (r, g, b) in enumerate(choices):
        rgb[sector == i] = np.stack([r, g, b], -1)[sector == i]
    return rgb + (v - c)[..., None]


def render_image(rng: np.random.Generator, texture: str, hue: float) -> np.ndarray:
    t = _texture(rng, texture)
    if rng.uniform() < 0.5:
        t = 1 - t
    h = hue + rng.uniform(-2, 2, (SIZE, SIZE))
    s = rng.uniform(0.5, 1.0) + (rng.uniform(0.0, 0.3) * (t - 0.5) if rng.uniform() < 0.5 else 0.0)
    v = 0.4 + rng.uniform(0.45, 0.6) * t
    rgb = hsv_to_rgb(h, np.clip(np.broadcast_to(s, t.shape), 0.5, 1), np.clip(v, 0.4, 1))
    return np.round(rgb * 255).astype(np.uint8)


# ---------------------------------------------------------------- sounds

def _tone(rng: np.random.Generator, lo: float, hi: float, t: np.ndarray) -> np.ndarray:
    """A tone or a chirp gliding between two frequencies, all inside [lo, hi] (log margins of 8%)."""
    llo, lhi = np.log(lo), np.log(hi)
    margin = 0.08 * (lhi - llo)
    f0, f1 = np.exp(rng.uniform(llo + margin, lhi - margin, 2))
    if rng.uniform() < 0.5:
        freq = np.full_like(t, f0)
    else:  # chirp: glide back and forth between f0 and f1 with a period of 1-5 s
        glide = 0.5 - 0.5 * np.cos(2 * np.pi * t / rng.uniform(1, 5))
        freq = f0 * (f1 / f0) ** glide
    phase = 2 * np.pi * np.cumsum(freq) / SAMPLE_RATE
    return np.sin(phase + rng.uniform(0, 2 * np.pi))


def _narrow_noise(rng: np.random.Generator, lo: float, hi: float, n: int) -> np.ndarray:
    """White noise band-limited in the FFT domain to a sub-band of 50-80% of [lo, hi] (log)."""
    llo, lhi = np.log(lo), np.log(hi)
    width = rng.uniform(0.5, 0.8) * (lhi - llo)
    start = rng.uniform(llo, lhi - width)
    f_lo, f_hi = np.exp(start), np.exp(start + width)
    spectrum = np.fft.rfft(rng.standard_normal(n))
    freqs = np.fft.rfftfreq(n, 1 / SAMPLE_RATE)
    spectrum[(freqs < f_lo) | (freqs > f_hi)] = 0
    x = np.fft.irfft(spectrum, n)
    return x / (np.sqrt(np.mean(x * x)) * np.sqrt(2) + 1e-12)  # same RMS as a unit sine


def _gate(rng: np.random.Generator, t: np.ndarray) -> np.ndarray:
    """On/off at 2-6 Hz, duty 35-65%, 5 ms raised-cosine edges."""
    rate, duty = rng.uniform(2, 6), rng.uniform(0.35, 0.65)
    position = (t * rate + rng.uniform()) % 1.0
    ramp = 0.005 * rate
    on = np.clip(np.minimum(position / ramp, (duty - position) / ramp), 0, 1)
    return 0.5 - 0.5 * np.cos(np.pi * on)


def render_audio(rng: np.random.Generator, label: int, pattern: str) -> np.ndarray:
    lo, hi = band_edges(label)
    t = np.arange(CLIP_SAMPLES) / SAMPLE_RATE
    if pattern == "noise":
        x = _narrow_noise(rng, lo, hi, CLIP_SAMPLES)
    else:
        x = _tone(rng, lo, hi, t)
        if pattern == "pulsed":
            x = x * _gate(rng, t)
    loudness = rng.uniform(0.25, 0.6) * (1 + 0.1 * np.sin(2 * np.pi * t / rng.uniform(3, 9)))
    return np.clip(x * loudness, -0.99, 0.99).astype(np.float32)


# ---------------------------------------------------------------- labels read back from media

def dominant_hue_class(rgb: np.ndarray) -> int:
    """Hue class of an image: the 45-degree sector of the saturation-weighted circular mean hue."""
    x = rgb.astype(np.float64) / 255.0
    mx, mn = x.max(-1), x.min(-1)
    chroma = mx - mn
    r, g, b = x[..., 0], x[..., 1], x[..., 2]
    safe = np.where(chroma > 0, chroma, 1)
    h = np.where(mx == r, ((g - b) / safe) % 6, np.where(mx == g, (b - r) / safe + 2, (r - g) / safe + 4)) * 60
    angle = np.deg2rad(h)
    mean = np.rad2deg(np.arctan2((chroma * np.sin(angle)).sum(), (chroma * np.cos(angle)).sum())) % 360
    return int(np.floor((mean + 22.5) / 45)) % CLASSES
